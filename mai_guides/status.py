"""Translation coverage per locale and per guide, for `i18n status` and the build."""
from __future__ import annotations

from dataclasses import dataclass

from . import catalogs
from .i18n import load_registry
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


def status_rows(paths: Paths) -> list[StatusRow]:
    """One row per registered locale, counted against fresh templates."""
    registry = load_registry(paths.translations / "locales.toml")
    templates = catalogs.templates(paths.root, paths.content)
    slugs = sorted(p.stem for p in (paths.content / "guides").glob("*.md"))
    rows = []
    for info in registry:
        content_po = catalogs.po_path(paths.translations, info, "content")
        ui = catalogs.catalog_stats(catalogs.po_path(paths.translations, info, "messages"), info,
                                    templates["messages"])
        content = catalogs.catalog_stats(content_po, info, templates["content"])
        guides = {slug: catalogs.catalog_stats(content_po, info, templates["content"], f"content/guides/{slug}.md")
                  for slug in slugs}
        rows.append(StatusRow(info.code, info.name, info.english_name, info.dir, ui, content,
                              info.reviewed, info.last_reviewed, guides))
    return rows


def status_records(rows: list[StatusRow]):
    """Rows for the translation_status table that /translate/ reads."""
    for row in rows:
        scopes = {"ui": row.ui, "content": row.content, **{f"guide:{s}": st for s, st in row.guides.items()}}
        for scope, stats in scopes.items():
            yield {"locale": row.code, "scope": scope, "total": stats.total, "translated": stats.translated,
                   "stale": stats.stale, "percent": stats.percent}
