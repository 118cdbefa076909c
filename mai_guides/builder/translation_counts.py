"""Translation coverage per locale and per guide, for `i18n status` and the build."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from babel.messages.catalog import Catalog

from ..registry import Registry, load_registry, registry_file
from . import catalogs, reviews
from .paths import Paths


@dataclass(frozen=True)
class StatusRow:
    code: str
    name: str
    english_name: str
    dir: str
    ui: catalogs.CatalogStats
    content: catalogs.CatalogStats
    reviewed: bool
    last_reviewed: str | None
    guides: dict[str, catalogs.CatalogStats]
    documents: dict[str, catalogs.CatalogStats] = field(default_factory=dict)  # "card:<slug>", "news:<slug>", ...
    last_change: str | None = None  # YYYY-MM-DD: the newest revision date or review mark of its catalogs

    @property
    def stale(self) -> int:
        return self.ui.stale + self.content.stale


# content/<folder>/<file> -> the kind of document, as the status page and `i18n status` name it
KINDS = {"guides": "guide", "cards": "card", "news": "news"}


def content_files(template: Catalog) -> dict[str, str]:
    """scope ("guide:ice-encounters", "card:...", "news:...") -> the source path its entries come from."""
    files = {}
    for message in template:
        for location, _line in message.locations:
            parts = Path(location).parts
            if len(parts) == 3 and parts[0] == "content" and parts[1] in KINDS:
                files[f"{KINDS[parts[1]]}:{Path(location).stem}"] = location
    return dict(sorted(files.items(), key=lambda item: (list(KINDS.values()).index(item[0].split(":")[0]), item[0])))


def status_rows(registry: Registry, templates: dict[str, Catalog], catalog_for) -> list[StatusRow]:
    """One row per locale; `catalog_for(info, domain)` gives each catalog, read once."""
    files = content_files(templates["content"])
    rows = []
    for info in registry:
        ui, content = (catalog_for(info, domain) for domain in catalogs.DOMAINS)
        documents = {scope: catalogs.count_entries(content, info, templates["content"], path)
                     for scope, path in files.items()}
        guides = {scope.split(":", 1)[1]: stats for scope, stats in documents.items() if scope.startswith("guide:")}
        rows.append(StatusRow(info.code, info.name, info.english_name, info.dir,
                              with_obsolete(catalogs.count_entries(ui, info, templates["messages"]), ui),
                              with_obsolete(catalogs.count_entries(content, info, templates["content"]), content),
                              info.reviewed, info.last_reviewed, guides, documents,
                              last_change(ui, content)))
    return rows


REVISION_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def last_change(*read: Catalog) -> str | None:
    """The newest day a translator saved one of the catalogs (their PO-Revision-Date header, which
    Poedit and Weblate set on every save) or a person marked an entry reviewed."""
    days = [match[0] for catalog in read for name, value in catalog.mime_headers
            if name.lower() == "po-revision-date" and (match := REVISION_DATE.match(value))]
    days += [review.date for catalog in read for review in reviews.reviews(catalog).values()]
    return max(days, default=None)


def with_obsolete(stats: catalogs.CatalogStats, catalog: Catalog) -> catalogs.CatalogStats:
    return replace(stats, obsolete=len(catalog.obsolete))


def status_from_disk(paths: Paths) -> list[StatusRow]:
    """Fresh status for `flask mai i18n status`: templates from the sources, catalogs as they are."""
    registry = load_registry(registry_file(paths.translations))

    def catalog_for(info, domain):
        path = catalogs.po_path(paths.translations, info, domain)
        return catalogs.read_catalog(path, info) if path.exists() else Catalog()

    return status_rows(registry, catalogs.templates(paths.root, paths.content), catalog_for)


def status_records(rows: list[StatusRow]):
    """Rows for the translation_status table that /translate/ reads: per .po file ("ui",
    "content") and per guide, card and news post."""
    for row in rows:
        scopes = {"ui": row.ui, "content": row.content, **row.documents}
        for scope, stats in scopes.items():
            yield {"locale": row.code, "scope": scope, "total": stats.total, "translated": stats.translated,
                   "stale": stats.stale, "untranslated": stats.untranslated, "obsolete": stats.obsolete,
                   "percent": stats.percent, "words": stats.words, "reviewed_words": stats.reviewed_words,
                   "draft_words": stats.draft_words, "reviewed": stats.reviewed,
                   "last_change": row.last_change if scope in ("ui", "content") else stats.last_review}
