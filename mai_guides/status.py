"""Translation coverage per locale and per guide, for `i18n status` and the build."""
from __future__ import annotations

from dataclasses import dataclass

from . import catalogs
from .build import Paths
from .i18n import load_registry


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

    @property
    def stale(self) -> int:
        return self.ui.stale + self.content.stale


def status_rows(paths: Paths) -> list[StatusRow]:
    """One row per registered locale, counted against fresh templates."""
    registry = load_registry(paths.translations / "locales.toml")
    templates = catalogs.templates(paths.root, paths.content)
    rows = []
    for info in registry:
        stats = {d: catalogs.catalog_stats(catalogs.po_path(paths.translations, info, d), info, t)
                 for d, t in templates.items()}
        rows.append(StatusRow(info.code, info.name, info.english_name, info.dir, stats["messages"],
                              stats["content"], info.reviewed, info.last_reviewed))
    return rows
