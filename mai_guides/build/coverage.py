"""Translation coverage per locale and per guide, for `i18n status` and the build."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from . import catalogs
from ..registry import Registry, load_registry, registry_file
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

    @property
    def stale(self) -> int:
        return self.ui.stale + self.content.stale


def status_rows(registry: Registry, templates: dict[str, Catalog], catalog_for) -> list[StatusRow]:
    """One row per locale; `catalog_for(info, domain)` gives each catalog, read once."""
    slugs = sorted({loc[0] for m in templates["content"] for loc in m.locations
                    if loc[0].startswith("content/guides/")})
    rows = []
    for info in registry:
        ui, content = (catalog_for(info, domain) for domain in catalogs.DOMAINS)
        guides = {Path(slug).stem: catalogs.count_entries(content, info, templates["content"], slug) for slug in slugs}
        rows.append(StatusRow(info.code, info.name, info.english_name, info.dir,
                              catalogs.count_entries(ui, info, templates["messages"]),
                              catalogs.count_entries(content, info, templates["content"]),
                              info.reviewed, info.last_reviewed, guides))
    return rows


def status_from_disk(paths: Paths) -> list[StatusRow]:
    """Fresh status for `flask mai i18n status`: templates from the sources, catalogs as they are."""
    registry = load_registry(registry_file(paths.translations))

    def catalog_for(info, domain):
        path = catalogs.po_path(paths.translations, info, domain)
        return catalogs.read_catalog(path, info) if path.exists() else Catalog()

    return status_rows(registry, catalogs.templates(paths.root, paths.content), catalog_for)


def status_records(rows: list[StatusRow]):
    """Rows for the translation_status table that /translate/ reads."""
    for row in rows:
        scopes = {"ui": row.ui, "content": row.content, **{f"guide:{s}": st for s, st in row.guides.items()}}
        for scope, stats in scopes.items():
            yield {"locale": row.code, "scope": scope, "total": stats.total, "translated": stats.translated,
                   "stale": stats.stale, "percent": stats.percent}
