"""`flask mai build`: content + catalogs -> a new SQLite file, swapped in atomically."""
from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils
from babel.messages.catalog import Catalog

from . import catalogs
from .content import Content, load_content
from .glossary import GLOSSARY, glossary_problems, load_glossary
from ..registry import Registry, load_registry, registry_file
from .fallback import Localizer, sections
from .paths import Paths
from .coverage import StatusRow, status_records, status_rows


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads, loaded and checked before anything is written."""

    registry: Registry
    content: Content
    translations: dict[str, dict[str, str]]
    ui_catalogs: dict[Path, Catalog]  # messages.po -> its checked catalog, compiled after the write
    version: str
    status: list[StatusRow]


def load_inputs(paths: Paths, printed_address: str | None = None) -> Inputs:
    """Read and validate every source once; raises ContentError/CatalogError/RegistryError."""
    registry = load_registry(registry_file(paths.translations))
    content = load_content(paths.content)
    read = {(info.code, domain): catalogs.read_checked(catalogs.po_path(paths.translations, info, domain), info)
            for info in catalogs.locales_needing_catalogs(registry) for domain in catalogs.DOMAINS}
    check_legal_terms(paths, {code: catalog for (code, domain), catalog in read.items() if domain == "content"},
                      registry)
    translations = {code: catalogs.published(catalog) for (code, domain), catalog in read.items()
                    if domain == "content"}
    ui_catalogs = {catalogs.po_path(paths.translations, registry[code], domain): catalog
                   for (code, domain), catalog in read.items() if domain == "messages" and len(catalog)}
    status = status_rows(registry, catalogs.templates(paths.root, paths.content, content),
                         lambda info, domain: read.get((info.code, domain), Catalog()))
    return Inputs(registry, content, translations, ui_catalogs,
                  content_version(paths, content, printed_address), status)


def check_legal_terms(paths: Paths, content_catalogs: dict[str, Catalog], registry: Registry) -> None:
    """Refuse the build when a translation drops a locale's approved legal term (all problems at once)."""
    terms = load_glossary(paths.translations / GLOSSARY)
    problems = [problem for code, catalog in content_catalogs.items()
                for problem in glossary_problems(terms, code, catalogs.po_path(paths.translations, registry[code],
                                                                               "content"), catalog)]
    if problems:
        raise catalogs.CatalogError("\n".join(str(p) for p in problems))


def content_version(paths: Paths, content: Content, printed_address: str | None = None) -> str:
    """A short hash of every input file, of the code, templates and styles that render them,
    and of the address printed on PDFs (the PDF cache is keyed by it, so a changed stylesheet
    or a new public address means new PDFs)."""
    digest = hashlib.sha256(f"printed address: {printed_address}\n".encode())
    files = [*content.files(), *sorted(paths.translations.rglob("*.po")), registry_file(paths.translations),
             paths.translations / GLOSSARY,
             *sorted(Path(__file__).parent.rglob("*.py")), *sorted((paths.root / "templates").rglob("*")),
             *sorted((paths.root / "static").rglob("*"))]
    for path in files:
        if path.is_file():
            digest.update(f"{path.parent.name}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


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
    with exclusive_build(paths.database):
        temp.unlink(missing_ok=True)
        try:
            db = sqlite_utils.Database(temp)
            write_database(db, inputs, progress)
            db.conn.close()
            for po, catalog in inputs.ui_catalogs.items():
                catalogs.write_mo_file(po, catalog)
            if prerender:
                prerender(temp, inputs)
            os.replace(temp, paths.database)
        finally:
            temp.unlink(missing_ok=True)
    return inputs


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


def write_database(db: sqlite_utils.Database, inputs: Inputs, progress) -> None:
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
        _write_guides(db, inputs.content, localizer)
        _write_cards(db, inputs.content, localizer)
        _write_news(db, inputs.content, localizer)
        db["locales"].insert(_locale_row(info, localizer), pk="code")
    db["translation_status"].insert_all(status_records(inputs.status), pk=("locale", "scope"))
    db["documents"].enable_fts(["title", "body"], fts_version="FTS5", tokenize="unicode61 remove_diacritics 2")
    db.vacuum()


def _locale_row(info, localizer: Localizer) -> dict:
    return {
        "code": info.code, "name": info.name, "english_name": info.english_name, "dir": info.dir,
        "chain": json.dumps(info.chain), "reviewed": info.reviewed, "last_reviewed": info.last_reviewed,
        "segments": localizer.total, "fallbacks": localizer.fallbacks,
    }


def _write_guides(db, content: Content, loc: Localizer) -> None:
    for guide in content.guides:
        title, summary = loc.text(guide.title)[0], loc.text(guide.summary)[0]
        parts = sections(loc, guide.blocks)
        db["sections"].insert_all(({
            "guide": guide.slug, "locale": loc.info.code, "position": i, "anchor": s.anchor,
            "heading": s.heading, "heading_html": s.heading_html, "html": s.html,
        } for i, s in enumerate(parts)), pk=("guide", "locale", "position"))
        db["guides"].insert({
            "slug": guide.slug, "locale": loc.info.code, "title": title, "summary": summary,
            "tags": json.dumps(guide.tags), "last_reviewed": guide.last_reviewed.isoformat(),
            "sources": json.dumps([{"title": s.title, "url": s.url} for s in guide.sources]),
            **loc.take_counts(),
        }, pk=("slug", "locale"))
        _index(db, loc.info.code, "guide", guide.slug, title, summary + " " + " ".join(
            f"{s.heading} {s.text}" for s in parts))


def _write_cards(db, content: Content, loc: Localizer) -> None:
    for card in content.cards:
        db["cards"].insert({
            "slug": card.slug, "locale": loc.info.code, "title": loc.text(card.title)[0],
            "front": json.dumps([loc.text(line)[0] for line in card.front], ensure_ascii=False),
            "back_title": card.back_title, "back": json.dumps(card.back),
            **loc.take_counts(),
        }, pk=("slug", "locale"))


def _write_news(db, content: Content, loc: Localizer) -> None:
    for post in content.news:
        title, summary = loc.text(post.title)[0], loc.text(post.summary)[0]
        html = "".join(loc.block_html(block) for block in post.blocks)
        db["news"].insert({
            "slug": post.slug, "locale": loc.info.code, "title": title, "summary": summary,
            "html": html, "tags": json.dumps(post.tags), "position": post.order, "year": post.year,
            **loc.take_counts(),
        }, pk=("slug", "locale"))
        body = " ".join(loc.plain(s) for b in post.blocks for s in b.segments)
        _index(db, loc.info.code, "news", post.slug, title, f"{summary} {body}")


def _index(db, locale: str, kind: str, slug: str, title: str, body: str) -> None:
    db["documents"].insert({"locale": locale, "kind": kind, "slug": slug, "title": title, "body": body})
