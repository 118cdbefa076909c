"""`flask mai build`: content + catalogs -> a new SQLite file, swapped in atomically."""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
from babel.messages.catalog import Catalog

from ..files import atomic_write
from ..fingerprints import Project
from ..registry import SOURCE_LOCALE, Registry, load_registry, registry_file
from ..wordforms import stemmed_text
from . import catalogs
from .content import Content, load_content
from .fallback import Localizer, sections
from .glossary import GLOSSARY, glossary_problems, load_glossary
from .legal_reviews import LegalReview, guide_source, load_reviews, valid_reviews
from .markup import english_in
from .paths import Paths
from .translation_counts import StatusRow, status_records, status_rows


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads, loaded and checked before anything is written."""

    registry: Registry
    content: Content
    translations: dict[str, dict[str, str]]
    ui_catalogs: dict[Path, Catalog]  # messages.po -> its checked catalog, compiled after the write
    version: str
    status: list[StatusRow]
    legal_reviews: dict[str, LegalReview]  # source under content/ -> the review that still matches it


def load_inputs(paths: Paths, printed_address: str | None = None) -> Inputs:
    """Read and validate every source once; raises ContentError/CatalogError/RegistryError.

    Every catalog is checked before any error is raised, so one run lists every problem in
    every file (a volunteer fixes them all, not one per build)."""
    registry = load_registry(registry_file(paths.translations))
    content = load_content(paths.content)
    reviews = valid_reviews(paths.content, load_reviews(paths.content))
    read = read_all_catalogs(paths, registry)
    translations = {code: catalogs.published(catalog) for (code, domain), catalog in read.items()
                    if domain == "content"}
    ui_catalogs = {catalogs.po_path(paths.translations, registry[code], domain): catalog
                   for (code, domain), catalog in read.items() if domain == "messages" and len(catalog)}
    status = status_rows(registry, catalogs.templates(paths.root, paths.content, content),
                         lambda info, domain: read.get((info.code, domain), Catalog()))
    return Inputs(registry, content, translations, ui_catalogs,
                  content_version(paths, printed_address), status, reviews)


def read_all_catalogs(paths: Paths, registry: Registry) -> dict[tuple[str, str], Catalog]:
    """(locale, domain) -> checked catalog; one CatalogError listing every problem of every file
    (strict gettext checks, headers, markup, legal terms)."""
    read, problems = {}, []
    for info in catalogs.locales_needing_catalogs(registry):
        for domain in catalogs.DOMAINS:
            read[(info.code, domain)], found = catalogs.checked_catalog(
                catalogs.po_path(paths.translations, info, domain), info)
            problems += found
    broken = {p.path for p in problems}
    content = {code: catalog for (code, domain), catalog in read.items() if domain == "content"
               and catalogs.po_path(paths.translations, registry[code], domain) not in broken}
    problems += legal_term_problems(paths, content, registry)
    if problems:
        raise catalogs.CatalogError(catalogs.report(problems))
    return read

def legal_term_problems(paths: Paths, content_catalogs: dict[str, Catalog], registry: Registry) -> list:
    terms = load_glossary(paths.translations / GLOSSARY)
    return [problem for code, catalog in content_catalogs.items()
            for problem in glossary_problems(terms, code, catalogs.po_path(paths.translations, registry[code],
                                                                           "content"), catalog)]


def content_version(paths: Paths, printed_address: str | None = None) -> str:
    """The version of everything a reader sees and saves (fingerprints.Project.offline): it names
    the offline copy and every page's ETag."""
    return Project(paths.root, paths.content, paths.translations).offline(printed_address)


def no_progress(items, _label, _length=None):
    return items


def build(paths: Paths, progress=no_progress, prerender=None, printed_address: str | None = None) -> Inputs:
    """Write a fresh database beside the live one, then replace it in one step.

    `prerender(database, inputs)` runs against the new database before it goes live, so
    the moment readers see new content its standard PDFs are already cached.
    """
    inputs = load_inputs(paths, printed_address)
    paths.database.parent.mkdir(parents=True, exist_ok=True)
    temp = paths.database.with_name(paths.database.name + ".building")
    staged = staged_catalogs(paths.database)
    with exclusive_build(paths.database):
        # a build killed midway left these behind; the lock says no other build is using them
        temp.unlink(missing_ok=True)
        shutil.rmtree(staged, ignore_errors=True)
        try:
            fill_database(temp, inputs, progress)
            # UI catalogs are compiled beside the new database, not over the live ones: nothing
            # goes live before the whole build (PDFs included) has succeeded
            live_mo = {stage_mo(paths.translations, staged, po, catalog): po.with_suffix(".mo")
                       for po, catalog in inputs.ui_catalogs.items()}
            if prerender:
                prerender(temp, inputs)
            for mo, target in live_mo.items():
                atomic_write(target, mo.read_bytes())  # translations/ may be on another file system
            os.replace(temp, paths.database)
        finally:
            temp.unlink(missing_ok=True)
            shutil.rmtree(staged, ignore_errors=True)
    return inputs


def staged_catalogs(database: Path) -> Path:
    """Where a build compiles the UI catalogs (same layout as translations/) until it goes live."""
    return database.with_name(database.name + ".building-mo")


def stage_mo(translations: Path, staged: Path, po: Path, catalog: Catalog) -> Path:
    """Compile one messages.po into the staging tree; returns the staged .mo."""
    target = staged / po.relative_to(translations)
    target.parent.mkdir(parents=True, exist_ok=True)
    return catalogs.write_mo_file(target, catalog)


class BuildInProgress(RuntimeError):
    """Another build holds the lock; two builds would write the same temp file."""


@contextmanager
def exclusive_build(database: Path):
    """Hold an advisory lock beside the database for the whole build."""
    with open(database.with_name(database.name + ".lock"), "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BuildInProgress(f"another build of {database} is running; try again when it ends") from exc
        yield


def fill_database(path: Path, inputs: Inputs, progress) -> None:
    """Write every table in one transaction: sqlite-utils alone commits (and syncs to disk)
    after every row, which was most of a PDF-less build. See bench/build_db.py."""
    db = sqlite_utils.Database(path)
    try:
        with db.atomic():
            write_tables(db, inputs, progress)
        db.vacuum()
    finally:
        db.close()


def write_database(db: sqlite_utils.Database, inputs: Inputs, progress) -> None:
    """Every table the web app reads, committed row by row (the bench's baseline)."""
    write_tables(db, inputs, progress)
    db.vacuum()


def write_tables(db: sqlite_utils.Database, inputs: Inputs, progress) -> None:
    """Every table the web app reads."""
    db["meta"].insert_all([
        {"key": "content_version", "value": inputs.version},
        {"key": "built_at", "value": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")},
    ], pk="key")
    db["guide_news"].insert_all(
        ({"guide": g, "news": post.slug} for post in inputs.content.news for g in post.guides),
        pk=("guide", "news"))
    for info in progress(list(inputs.registry), "Building locales"):
        localizer = Localizer(info, inputs.registry, inputs.translations)
        _write_guides(db, inputs.content, localizer, inputs.legal_reviews)
        _write_cards(db, inputs.content, localizer)
        _write_news(db, inputs.content, localizer)
        db["locales"].insert(_locale_row(info, localizer), pk="code")
    db["translation_status"].insert_all(status_records(inputs.status), pk=("locale", "scope"))
    # `stems`: the same words cut to their Snowball stems (wordforms.py), so "abogada" finds "abogado"
    db["documents"].enable_fts(["title", "body", "stems"], fts_version="FTS5",
                               tokenize="unicode61 remove_diacritics 2")


def _locale_row(info, localizer: Localizer) -> dict:
    return {
        "code": info.code, "name": info.name, "english_name": info.english_name, "dir": info.dir,
        "chain": json.dumps(info.chain), "reviewed": info.reviewed, "last_reviewed": info.last_reviewed,
        "segments": localizer.total, "fallbacks": localizer.fallbacks,
    }


def _write_guides(db, content: Content, loc: Localizer, reviews: dict[str, LegalReview]) -> None:
    for guide in content.guides:
        review = reviews.get(guide_source(guide.slug))
        (title, title_from), (summary, summary_from) = loc.text(guide.title), loc.text(guide.summary)
        parts = sections(loc, guide.blocks)
        db["sections"].insert_all(({
            "guide": guide.slug, "locale": loc.info.code, "position": i, "anchor": s.anchor,
            "heading": s.heading, "heading_lang": s.heading_lang, "heading_html": s.heading_html, "html": s.html,
        } for i, s in enumerate(parts)), pk=("guide", "locale", "position"), columns={"heading_lang": str})
        db["guides"].insert({
            "slug": guide.slug, "locale": loc.info.code, "title": title, "summary": summary,
            # the language a fallen-back title or summary is in, marked on the page like paragraphs
            "title_lang": loc.shown_in(title_from), "summary_lang": loc.shown_in(summary_from),
            "tags": json.dumps(guide.tags), "last_reviewed": guide.last_reviewed.isoformat(),
            "sources": json.dumps([{"title": s.title, "url": s.url} for s in guide.sources]),
            # a lawyer's review of the English, only while the text is what they read
            "legal_review": json.dumps(review.as_row()) if review else None,
            **loc.take_counts(),
        }, pk=("slug", "locale"), columns={"title_lang": str, "summary_lang": str, "legal_review": str})
        _index(db, loc.info.code, "guide", guide.slug, title, summary + " " + " ".join(
            f"{s.heading} {s.text}" for s in parts))


def _card_line(loc: Localizer, card, line: str) -> dict:
    """One front line for the PDFs: its text, the English phrases a translation quotes (marked
    lang="en"), and whether it speaks of the card itself (the door poster leaves it out)."""
    text, source = loc.text(line)
    english = english_in(text, line) if source.code != SOURCE_LOCALE else []
    return {"text": text, "english": english, "card_only": line in card.card_only}


def _write_cards(db, content: Content, loc: Localizer) -> None:
    for card in content.cards:
        lines = [_card_line(loc, card, line) for line in card.front]
        db["cards"].insert({
            "slug": card.slug, "locale": loc.info.code, "title": loc.text(card.title)[0],
            "front": json.dumps([line["text"] for line in lines], ensure_ascii=False),
            "lines": json.dumps(lines, ensure_ascii=False),
            "back_title": card.back_title, "back": json.dumps(card.back),
            **loc.take_counts(),
        }, pk=("slug", "locale"))


def _write_news(db, content: Content, loc: Localizer) -> None:
    for post in content.news:
        (title, title_from), (summary, summary_from) = loc.text(post.title), loc.text(post.summary)
        html = "".join(loc.block_html(block) for block in post.blocks)
        db["news"].insert({
            "slug": post.slug, "locale": loc.info.code, "title": title, "summary": summary,
            "title_lang": loc.shown_in(title_from), "summary_lang": loc.shown_in(summary_from),
            "html": html, "tags": json.dumps(post.tags), "position": post.order, "year": post.year,
            **loc.take_counts(),
        }, pk=("slug", "locale"), columns={"title_lang": str, "summary_lang": str})
        body = " ".join(loc.plain(s) for b in post.blocks for s in b.segments)
        _index(db, loc.info.code, "news", post.slug, title, f"{summary} {body}")


def _index(db, locale: str, kind: str, slug: str, title: str, body: str) -> None:
    db["documents"].insert({"locale": locale, "kind": kind, "slug": slug, "title": title, "body": body,
                            "stems": stemmed_text(f"{title} {body}", locale)})
