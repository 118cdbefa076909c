"""Read-only access to the built database: one connection per request, closed at teardown."""
from __future__ import annotations

import json
import re
import sqlite3
from contextlib import contextmanager
from html import unescape

from flask import current_app, g
from markupsafe import Markup, escape

from . import wordforms


def connect_readonly(path) -> sqlite3.Connection:
    """A connection that cannot write (?mode=ro): the web app and the checks only read."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    return connection


def read_content_version(connection: sqlite3.Connection) -> str:
    """The built content version (a hash of every input), the key of every cache."""
    return connection.execute("select value from meta where key = 'content_version'").fetchone()["value"]


def get_db() -> sqlite3.Connection:
    """This request's read-only connection (the web app never writes)."""
    if "db" not in g:
        g.db = connect_readonly(current_app.config["MAI_DATABASE"])
    return g.db


def close_db(_error=None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_app(app) -> None:
    app.teardown_appcontext(close_db)


def _one(sql: str, *params):
    row = get_db().execute(sql, params).fetchone()
    return dict(row) if row else None


def _all(sql: str, *params) -> list[dict]:
    return [dict(row) for row in get_db().execute(sql, params)]


def _decode(row: dict | None, *keys: str) -> dict | None:
    """Parse the JSON columns of a row in place."""
    if row:
        for key in keys:
            row[key] = json.loads(row[key])
    return row


def content_version() -> str:
    return read_content_version(get_db())


def guides(locale: str) -> list[dict]:
    """Each guide's title and summary, and the language each is shown in when it fell back."""
    return _all("select slug, title, summary, title_lang, summary_lang from guides where locale = ? order by rowid",
                locale)


def guide(locale: str, slug: str) -> dict | None:
    row = _decode(_one("select * from guides where locale = ? and slug = ?", locale, slug), "tags", "sources")
    if row:
        row["legal_review"] = json.loads(row["legal_review"]) if row["legal_review"] else None
    return row


def guide_sections(locale: str, slug: str) -> list[dict]:
    """A guide's sections in order, each with its review state and reviewers (reviews.py)."""
    return [_decode(row, "reviewers") for row in
            _all("select * from sections where locale = ? and guide = ? order by position", locale, slug)]


def card(locale: str, slug: str) -> dict | None:
    return _decode(_one("select * from cards where locale = ? and slug = ?", locale, slug),
                   "front", "lines", "back", "reviewers")


NEWS_FIELDS = "slug, title, summary, year, date, source, source_name, author, title_lang, summary_lang"


def news_list(locale: str, limit: int = -1) -> list[dict]:
    """Newest first (the build's order)."""
    return _all(f"select {NEWS_FIELDS} from news where locale = ? order by position, slug limit ?", locale, limit)


def news_posts(locale: str) -> list[dict]:
    """Every post whole, newest first (the feed and the API)."""
    return [_decode(row, "tags") for row in _all("select * from news where locale = ? order by position, slug",
                                                 locale)]


def news_post(locale: str, slug: str) -> dict | None:
    return _decode(_one("select * from news where locale = ? and slug = ?", locale, slug), "tags")


def news_for_guide(locale: str, slug: str) -> list[dict]:
    fields = ", ".join(f"n.{name}" for name in NEWS_FIELDS.split(", "))
    return _all(f"""select {fields} from guide_news l join news n on n.slug = l.news
                   where l.guide = ? and n.locale = ? order by n.position""", slug, locale)


def guides_for_news(locale: str, slug: str) -> list[dict]:
    return _all("""select gd.slug, gd.title, gd.summary from guide_news l join guides gd on gd.slug = l.guide
                   where l.news = ? and gd.locale = ? order by gd.rowid""", slug, locale)


def cards(locale: str) -> list[dict]:
    return [_decode(row, "front", "lines", "back")
            for row in _all("select * from cards where locale = ? order by rowid", locale)]


def pdf_sizes(locale: str) -> dict[tuple[str, str, str], int]:
    """(slug, kind, paper) -> bytes of each PDF the build pre-rendered in this locale."""
    return {(row["slug"], row["kind"], row["paper"]): row["bytes"]
            for row in _all("select * from pdf_files where locale = ?", locale)}


def legal_help() -> list[dict]:
    """National directories of free legal help (name, url, checked), in the file's order."""
    return _all("select name, url, checked from legal_help order by position")


def locale_rows() -> list[dict]:
    return _all("select * from locales order by rowid")


TAGS = re.compile(r"<[^>]+>")
CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff]")
MAX_TERMS = 8  # more words than any real question; past it the reader gets a clear 400
SEARCH_BUDGET = 2_000_000  # SQLite virtual-machine steps one search may take (a normal one takes ~10^4)
PROGRESS_EVERY = 1_000
EXCERPT = 160  # characters of text shown around the first word found


class QueryTooBroad(ValueError):
    """A search that would cost too much; the view answers 400."""


def search_terms(query: str) -> list[str]:
    """The distinct words of a query, in order; too many is refused rather than run."""
    terms = list(dict.fromkeys(word.casefold() for word in wordforms.words(query)))
    if len(terms) > MAX_TERMS:
        raise QueryTooBroad(f"at most {MAX_TERMS} different words")
    return terms


def fts_query(terms: list[str], locale: str) -> str:
    """Every word must be found, as typed (accents aside) or, where the language has a stemmer,
    in another form of the same word. Quoted: what a reader types is never FTS syntax."""
    clauses = []
    for term in terms:
        clause = f'"{term}"*' if len(term) >= wordforms.MIN_PREFIX else f'"{term}"'
        if wordforms.stemmer_for(locale):
            clause = f'({clause} OR stems : "{wordforms.key(term, locale)}")'
        clauses.append(clause)
    return " AND ".join(clauses)


def search(locale: str, query: str, limit: int = 20) -> list[dict]:
    """Full-text search in one locale, bounded in words and in work; scripts without spaces
    between words use substring match. Each result links to the section that holds the words
    and carries an excerpt with them marked."""
    with bounded_work(get_db(), SEARCH_BUDGET):
        if CJK.search(query):
            phrase = query.replace("%", "").replace("_", "").strip()
            like = f"%{phrase}%"
            rows = _all("""select kind, slug, title, body from documents
                           where locale = ? and (title like ? or body like ?) limit ?""",
                        locale, like, like, limit)
            find = substring_finder(phrase)
        else:
            terms = search_terms(query)
            if not terms:
                return []
            rows = _all("""select d.kind, d.slug, d.title, d.body
                           from documents_fts join documents d on d.rowid = documents_fts.rowid
                           where documents_fts match ? and d.locale = ? order by rank limit ?""",
                        fts_query(terms, locale), locale, limit)
            find = wordforms.Matcher(terms, locale).spans
        for row in rows:
            row["anchor"] = matching_section(locale, row, find)
            row["snippet_html"] = highlighted(excerpt(row.pop("body"), find), find)
    return rows


def substring_finder(phrase: str):
    """For scripts written without spaces: every place the phrase occurs, ignoring case."""
    pattern = re.compile(re.escape(phrase), re.IGNORECASE)
    return lambda text: (found.span() for found in pattern.finditer(text))


def excerpt(text: str, find, width: int = EXCERPT) -> str:
    """About `width` characters around the first word found (the start when none is)."""
    first = next(find(text), None)
    if first is None or len(text) <= width:
        return text[:width]
    start = max(0, first[0] - width // 3)
    return ("… " if start else "") + text[start:start + width] + " …"


def highlighted(text: str, find) -> Markup:
    """The excerpt, escaped, with every word found in <mark>."""
    out, last = [], 0
    for start, end in find(text):
        out += [escape(text[last:start]), Markup("<mark>"), escape(text[start:end]), Markup("</mark>")]
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def matching_section(locale: str, row: dict, find) -> str | None:
    """The anchor of the first section of a guide whose text holds one of the words."""
    if row["kind"] != "guide":
        return None
    for section in guide_sections(locale, row["slug"]):
        text = TAGS.sub(" ", f"{section['heading_html']} {section['html']}")
        if next(find(unescape(text)), None) is not None:
            return section["anchor"]
    return None


@contextmanager
def bounded_work(connection: sqlite3.Connection, steps: int):
    """Interrupt any statement past `steps` VM instructions; raise QueryTooBroad instead."""
    done = 0

    def tick() -> int:
        nonlocal done
        done += PROGRESS_EVERY
        return 1 if done > steps else 0

    connection.set_progress_handler(tick, PROGRESS_EVERY)
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise QueryTooBroad("the search took too much work") from exc
        raise
    finally:
        connection.set_progress_handler(None, 0)


def meta(key: str) -> str | None:
    """A value the build wrote into the meta table (content_version, built_at, translating_doc)."""
    row = _one("select value from meta where key = ?", key)
    return row["value"] if row else None


def catalog_file(locale: str, domain: str) -> bytes | None:
    """A catalog's bytes as the live build read them, or None."""
    row = _one("select data from catalog_files where locale = ? and domain = ?", locale, domain)
    return row["data"] if row else None


def glossary(locale: str) -> list[dict]:
    """The locale's legal terms: English forms and approved renderings, in the glossary's order."""
    return _all("select term, english, approved from glossary where locale = ? order by rowid", locale)


def translation_status() -> dict[str, dict[str, dict]]:
    """locale -> scope ("ui", "content", "guide:<slug>") -> counts and percent."""
    status: dict[str, dict[str, dict]] = {}
    for row in _all("select * from translation_status"):
        status.setdefault(row["locale"], {})[row["scope"]] = row
    return status


def speech(locale: str, slug: str) -> list[dict]:
    """What a guide's "Speak for me" page plays in this locale, in reading order (builder/speech.py)."""
    return _all("select * from speech where locale = ? and guide = ? order by kind, position", locale, slug)
