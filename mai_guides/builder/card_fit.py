"""Wallet cards that do not fit: a build error naming the entries, not a 5 pt card (build side).

A card's text shrinks step by step to fit (documents.SCALES) but never below the smallest legible
size (documents.CARD_MIN_TEXT). This lays each changed card out at that smallest scale, from the
database being built, exactly as the PDF would be; a card that still needs more pages than a card
has is refused, naming the translation entries to shorten (file and line). Only cards whose text
changed since the live database are laid out, so a one-locale edit costs a couple of layouts; every
card is laid out again when anything else that decides the fit changed (fit_inputs).
"""
from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from weasyprint.formatting_structure import boxes

from ..db import connect_readonly
from ..fingerprints import Project
from ..local_help import help_fingerprint
from ..pdf.documents import CARD_MIN_TEXT, SCALES, DocSpec, document_html, printed_address
from ..pdf.render import render_document, render_fitting
from ..registry import SOURCE_LOCALE
from . import catalogs
from .po_check import Problem

CARD_PAGES = 2  # front and back
BODY_SCALE = 1.0  # the card's design size: its lines at 8.6 pt (templates/pdf/_card.html)
CARD_BODY_TEXT = 8.6
FIT_INPUTS = "card_fit_inputs"  # the meta row that records fit_inputs() of the cards checked


def card_texts(database: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(locale, slug) -> (title, front lines as stored): what decides a card's layout."""
    try:
        with closing(connect_readonly(database)) as connection:
            return {(row["locale"], row["slug"]): (row["title"], row["front"])
                    for row in connection.execute("select locale, slug, title, front from cards")}
    except sqlite3.Error:
        return {}


def changed_cards(new: Path, live: Path, inputs_now: str) -> list[tuple[str, str]]:
    """The cards to lay out: those whose text changed, or all of them when anything else that
    decides the fit changed since the live build (a stylesheet, a font, the printed address)."""
    before, after = card_texts(live), card_texts(new)
    if read_fit_inputs(live) != inputs_now:
        return list(after)
    return [key for key, text in after.items() if before.get(key) != text]


def fit_inputs(locales) -> str:
    """What decides whether a card fits, besides its text (fingerprints.Project.card_fit): every
    locale's renderer, the card templates, the printed address and help line. Needs an app context."""
    return Project.from_config(current_app.config).card_fit(
        locales, printed_address(current_app.config["MAI_BASE_URL"]), help_fingerprint(current_app))


def read_fit_inputs(database: Path) -> str | None:
    try:
        with closing(connect_readonly(database)) as connection:
            row = connection.execute("select value from meta where key = ?", (FIT_INPUTS,)).fetchone()
            return row["value"] if row else None
    except sqlite3.Error:
        return None


def record_fit_inputs(database: Path, value: str) -> None:
    with closing(sqlite3.connect(database)) as connection, connection:
        connection.execute("insert or replace into meta (key, value) values (?, ?)", (FIT_INPUTS, value))


@dataclass(frozen=True)
class Fit:
    """A card that does not print at full size: `size` is the text size it fits at (points), or
    None when it does not fit even at the smallest; then `cut` characters (`percent` of the
    card's front text) would have to go."""

    locale: str
    slug: str
    size: float | None
    cut: int = 0
    percent: int = 0


def overflowing(staging, cards: list[tuple[str, str]]) -> list[Fit]:
    """The cards that do not fit at the body size: one layout for a card that does (most), more
    to find the size of one that shrinks or how much of one that overflows must go."""
    found = []
    static = Path(staging.static_folder)
    with staging.app_context():
        for locale, slug in cards:
            spec = DocSpec("card", slug, locale)
            if len(render_document(document_html(spec, BODY_SCALE), static).pages) <= CARD_PAGES:
                continue
            smallest = render_document(document_html(spec, SCALES[-1]), static)
            if len(smallest.pages) > CARD_PAGES:
                found.append(Fit(locale, slug, None, *overflow(smallest)))
                continue
            smaller = [scale for scale in SCALES if scale < BODY_SCALE]
            scale = render_fitting(lambda s, spec=spec: document_html(spec, s), smaller, CARD_PAGES, static)[1]
            found.append(Fit(locale, slug, max(round(CARD_BODY_TEXT * scale, 1), CARD_MIN_TEXT)))
    return found


def overflow(document) -> tuple[int, int]:
    """How many characters of the front spill past its one page, and their share of the front's
    text: the front is every page but the last (the officer side), laid out at the smallest size."""
    front = [_characters(page) for page in document.pages[:-1]]
    spilled, total = sum(front[1:]), sum(front) or 1
    return spilled, max(1, round(100 * spilled / total))


def _characters(page) -> int:
    return sum(len(box.text) for box in page._page_box.descendants() if isinstance(box, boxes.TextBox))


def card_problems(inputs, paths, fits: list[Fit]) -> tuple[list[Problem], list[Problem]]:
    """Errors and warnings, one per entry to shorten (at the line of each card's longest text),
    naming every locale whose card it overflows: an English line too long for every locale is one
    error. A card that fits only below the body size is a warning: it prints, but small."""
    by_slug = {card.slug: card for card in inputs.content.cards}
    grouped: dict[tuple[Path, int, str, bool], list[Fit]] = {}
    for fit in fits:
        card = by_slug[fit.slug]
        path, line = _longest_entry(inputs, paths, fit.locale, [card.title, *card.front])
        grouped.setdefault((path, line, fit.slug, fit.size is None), []).append(fit)
    errors, warnings = [], []
    for (path, line, slug, overflows), found in grouped.items():
        languages = ", ".join(inputs.registry[fit.locale].english_name for fit in found)
        if overflows:
            worst = max(found, key=lambda fit: fit.cut)
            errors.append(Problem(path, line, (
                f"the wallet card '{slug}' does not fit a 3.5 x 2 inch card even at the smallest legible text "
                f"({CARD_MIN_TEXT} pt) in {languages}: cut about {worst.cut} characters ({worst.percent}% of "
                "the card's text) from this line (the card's longest) or its other lines")))
        else:
            size = min(fit.size for fit in found)
            warnings.append(Problem(path, line, (
                f"warning: the wallet card '{slug}' in {languages} fits only with its text smaller than the "
                f"body size ({CARD_BODY_TEXT} pt, down to {size} pt): it prints, but shorten this line (the "
                "card's longest) or its other lines to print it at full size")))
    return errors, warnings


def _longest_entry(inputs, paths, locale: str, msgids: list[str]) -> tuple[Path, int]:
    """The catalog file and line of the longest text this card shows, along the fallback chain."""
    best = None
    for msgid in msgids:
        for code in inputs.registry[locale].chain:
            text = msgid if code == SOURCE_LOCALE else inputs.translations.get(code, {}).get(msgid)
            if text:
                if best is None or len(text) > best[0]:
                    best = (len(text), code, msgid)
                break
    _length, code, msgid = best
    if code == SOURCE_LOCALE:
        card = next(c for c in inputs.content.cards if msgid in (c.title, *c.front))
        lines = card.path.read_text(encoding="utf-8").splitlines()
        return card.path, next((n for n, text in enumerate(lines, 1) if msgid[:40] in text), 1)
    info = inputs.registry[code]
    path = catalogs.po_path(paths.translations, info, "content")
    catalog = inputs.content_catalogs.get(code)
    message = (catalog if catalog is not None else catalogs.read_catalog(path, info)).get(msgid)
    return path, message.lineno if message is not None else 1


def check_cards(staging, paths, inputs) -> tuple[list[Problem], list[Problem]]:
    """Errors naming every card (changed since the live build) that cannot fit, and warnings for
    those that shrink below the body size; record in the new database what the cards were
    checked with. `staging` is the build's own app, reading the new database and catalogs
    (pipeline.staging_app)."""
    database = Path(staging.config["MAI_DATABASE"])
    with staging.app_context():
        inputs_now = fit_inputs(inputs.registry.codes)
    cards = changed_cards(database, paths.database, inputs_now)
    errors, warnings = card_problems(inputs, paths, overflowing(staging, cards))
    record_fit_inputs(database, inputs_now)
    return errors, warnings
