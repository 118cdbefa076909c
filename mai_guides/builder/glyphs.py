"""`flask mai check`: prove every printed character of every locale has a glyph (build side).

Text extraction cannot prove this (a missing glyph still extracts as text), so we check
each character against the character maps of the fonts the PDF stylesheet names.
"""
from __future__ import annotations

from contextlib import closing
from pathlib import Path

import nh3

from .. import fonts
from ..db import connect_readonly
from ..registry import Registry
from . import catalogs


def printed_text(database: Path, translations: Path, registry: Registry, locale: str) -> str:
    """Everything a locale's cards, handouts and posters can print in that locale's font."""
    with closing(connect_readonly(database)) as db:
        parts = [row[0] for row in db.execute(
            "select title || ' ' || front from cards where locale = ? union all "
            "select title || ' ' || summary from guides where locale = ? union all "
            "select heading_html || ' ' || html from sections where locale = ?", (locale, locale, locale))]
    texts = [nh3.clean(part, tags=set()) for part in parts]
    info = registry[locale]
    ui = catalogs.po_path(translations, info, "messages")
    if ui.exists():
        texts += [form for m in catalogs.read_catalog(ui, info) if m.id and catalogs.has_translation(m)
                  for form in (m.string if isinstance(m.string, tuple) else (m.string,))]
    return " ".join(texts)


def coverage_problems(database: Path, translations: Path, registry: Registry) -> dict[str, str]:
    """locale -> the characters its fonts cannot draw (empty when all is well)."""
    problems = {}
    for info in registry:
        missing = fonts.uncovered(printed_text(database, translations, registry, info.code), info.code)
        if missing:
            problems[info.code] = "".join(sorted(missing))
    return problems
