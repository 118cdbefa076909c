"""Gettext catalogs: extract, update, compile, read and measure (build side only).

Two domains per locale: `messages` (the UI, from templates and code, used at run time through
Flask-Babel) and `content` (guides, cards and news, one entry per segment, used by the build).
"""
from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po, unescape, write_po

from ..files import atomic_write
from ..registry import SOURCE_LOCALE, LocaleInfo, Registry, catalog_file
from . import po_check, po_encoding, reviews
from .content import Content, load_content
from .markup import markup_mismatches
from .po_check import Problem

DOMAINS = ("messages", "content")
UI_METHOD_MAP = [("templates/**.html", "jinja2"), ("mai_guides/**.py", "python")]
PROJECT = "MAI Guides"
NO_WRAP = 1_000_000
GLOSSARY_NOTE = "Glossary: "  # glossary.NOTE: the translator comments update rewrites
CARD_CHARS_PER_LINE = 46  # characters a card line holds at the body size (3.5 in less margins, 8.6 pt)


class CatalogError(ValueError):
    """A catalog that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class CatalogStats:
    total: int
    translated: int
    stale: int  # fuzzy: translated, but the English changed since
    obsolete: int = 0  # kept at the end of the file (#~) for reference; only counted per .po file
    words: int = 0  # English words of the entries counted
    reviewed_words: int = 0  # of those, in entries a person marked reviewed (reviews.py)
    draft_words: int = 0  # translated (current) but not reviewed: machine drafts
    reviewed: int = 0  # entries a person marked reviewed
    last_review: str | None = None  # the newest review mark's date, YYYY-MM-DD

    @property
    def untranslated(self) -> int:
        return self.total - self.translated - self.stale

    @property
    def percent(self) -> int:
        return round(100 * self.translated / self.total) if self.total else 100


def po_path(directory: Path, info: LocaleInfo, domain: str) -> Path:
    """A locale's catalog for a domain (the layout lives in registry.catalog_file)."""
    return catalog_file(directory, info, domain)


def template_path(directory: Path, domain: str) -> Path:
    return directory / f"{domain}.pot"


# --- extraction -------------------------------------------------------------------------------

def content_template(content: Content, root: Path) -> Catalog:
    """One entry per translatable segment of every guide, card and news post.

    Locations are relative to `root`, the folder that holds content/.
    """
    catalog = Catalog(project=PROJECT, fuzzy=False)

    def add(text: str, path: Path, line: int, comment: str, flags=()) -> None:
        catalog.add(text, locations=[(str(path.relative_to(root)), line)], auto_comments=[comment], flags=flags)

    for guide in content.guides:
        add(guide.title, guide.path, 2, f"Translators: title of the guide '{guide.slug}'")
        add(guide.summary, guide.path, 3, f"Translators: one-line summary of the guide '{guide.slug}'")
        _add_blocks(add, guide.path, guide.blocks, f"guide '{guide.slug}'")
    for card in content.cards:
        for number, line in enumerate([card.title, *card.front]):
            limit = card_limit(line)
            note = (f"keep it short: it must fit a 3.5 x 2 inch wallet card (about {limit} characters at most; "
                    "the build lays the card out and says how much to cut)")
            where = f"title of the wallet card '{card.slug}'" if number == 0 else f"wallet card '{card.slug}', line {number}"
            add(line, card.path, 1 if number == 0 else 2 + number, f"Translators: {where}; {note}",
                flags=[f"max-length:{limit}"])
    for post in content.news:
        add(post.title, post.path, 2, f"Translators: title of the news post '{post.slug}'")
        add(post.summary, post.path, 3, f"Translators: summary of the news post '{post.slug}'")
        _add_blocks(add, post.path, post.blocks, f"news post '{post.slug}'")
    return catalog


def card_limit(english: str) -> int:
    """A card line's length limit for editors that check one (Weblate's `max-length:N` flag): the
    rows the English takes at the body size, plus half again, in whole rows. Only a guide: the
    build's card layout is the real check (a wide script fits fewer characters)."""
    rows = -(-len(english) * 3 // 2 // CARD_CHARS_PER_LINE)  # ceiling
    return max(1, rows) * CARD_CHARS_PER_LINE


def _add_blocks(add, path: Path, blocks, where: str) -> None:
    for block in blocks:
        kind = {"heading": "heading", "paragraph": "paragraph"}.get(block.kind, "list item")
        for offset, segment in enumerate(block.segments):
            add(segment, path, block.line + offset,
                f"Translators: {where}, {kind}. Keep Markdown (**bold**, [text](link)) as it is.")


def templates(project_root: Path, content_root: Path, content: Content | None = None) -> dict[str, Catalog]:
    """Fresh templates for both domains, from the code and the English content (loaded if not given)."""
    return {"messages": ui_template(project_root),
            "content": content_template(content or load_content(content_root), content_root.parent)}


def ui_template(project_root: Path) -> Catalog:
    """Every gettext call in templates/ and mai_guides/ (callers only read the catalog)."""
    catalog = Catalog(project=PROJECT, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(project_root), UI_METHOD_MAP, comment_tags=("Translators:",), strip_comment_tags=False,
    ):
        catalog.add(message, locations=[(filename, lineno)], auto_comments=comments, context=context)
    return catalog


# --- reading and writing ----------------------------------------------------------------------

def read_catalog(path: Path, info: LocaleInfo | None = None, data: bytes | None = None) -> Catalog:
    """Read a .po/.pot file (or its bytes, already read), turning parse errors into a
    CatalogError naming the file."""
    locale = None if info is None or info.plural else info.gettext_code
    try:
        with io.BytesIO(data) if data is not None else path.open("rb") as handle:
            catalog = read_po(handle, locale=locale, abort_invalid=True)
    except (OSError, PoFileError, ValueError) as exc:
        raise CatalogError(f"{path}: {exc}") from exc
    return keep_previous_ids(catalog)


PREVIOUS = re.compile(r'^\| (msgid|msgid_plural) (".*")$')


def keep_previous_ids(catalog: Catalog) -> Catalog:
    """Babel reads a `#| msgid "..."` line (the English before it changed) as a translator
    comment and writes it back as `# | msgid`: the next update would lose what Poedit shows
    beside a fuzzy entry, and churn every file. Put it back where it belongs."""
    for message in catalog:
        previous, kept = [], []
        for comment in message.user_comments:
            match = PREVIOUS.match(comment)
            if match:
                previous.append(unescape(match[2]))
            else:
                kept.append(comment)
        if previous:
            message.previous_id, message.user_comments = previous, kept
    return catalog


def write_catalog(path: Path, catalog: Catalog, plural: str | None = None) -> None:
    """Write a catalog atomically, keeping previous msgids so translators see what changed.

    `plural` is the registry's Plural-Forms for a locale CLDR does not know: Babel only
    writes that header for locales it knows, and Poedit needs it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    # Babel wraps comments at 76 columns when width=0, and the `#| msgid "..."` line is a
    # comment to Babel: it cut previous msgids inside their quotes, which GNU msgfmt and polib
    # refuse. A width no line reaches keeps every string and comment on one line.
    write_po(buffer, catalog, width=NO_WRAP, include_previous=True, omit_header=False)
    data = buffer.getvalue()
    if plural and b'"Plural-Forms:' not in data:
        data = data.replace(b'"MIME-Version:', f'"Plural-Forms: {plural}\\n"\n"MIME-Version:'.encode(), 1)
    if path.exists() and _undated(path.read_bytes()) == _undated(data):
        return  # only the creation date would change: no churn for git, Weblate or Poedit
    atomic_write(path, data)


DATE_HEADERS = re.compile(rb'^"(?:POT-Creation-Date|PO-Revision-Date): [^"]*"$', re.M)


def _undated(data: bytes) -> bytes:
    return DATE_HEADERS.sub(b"", data)


def new_catalog(template: Catalog, info: LocaleInfo) -> Catalog:
    """An empty catalog for a new locale, with the registry's plural rule when CLDR has none."""
    catalog = Catalog(locale=None if info.plural else info.gettext_code, project=PROJECT, fuzzy=False)
    if info.plural:
        catalog.mime_headers = [("Language", info.gettext_code), ("Plural-Forms", info.plural)]
    catalog.update(template)
    return catalog


def update_catalog(path: Path, template: Catalog, info: LocaleInfo, notes=None) -> Catalog:
    """Merge a new template into a locale's catalog: changed English turns its entry fuzzy.
    `notes(english)` gives the translator comments this locale's entry carries (the glossary)."""
    catalog = read_catalog(path, info) if path.exists() else new_catalog(template, info)
    # Entries whose English is gone stay at the end as obsolete (#~), like pybabel does:
    # a translator's work is kept for reference even when a paragraph is rewritten.
    previous = {(m.id, m.context): m.previous_id for m in catalog if m.id and m.fuzzy and m.previous_id}
    catalog.update(template, update_creation_date=False)
    # Babel drops the previous msgid of an entry that is still fuzzy from the last update:
    # keep it until a translator clears the flag (and so a second update writes nothing).
    for message in catalog:
        if message.fuzzy and not message.previous_id and (message.id, message.context) in previous:
            message.previous_id = previous[(message.id, message.context)]
    use_plural_rule(catalog, info)
    reviews.drop_stale(catalog)  # a review mark whose English or translation changed no longer holds
    if notes is not None:
        set_notes(catalog, notes)
    write_catalog(path, catalog, info.plural)
    return catalog


def set_notes(catalog: Catalog, notes) -> None:
    """Replace each entry's glossary comments with `notes(english)`: translator comments (`# `),
    which Poedit and Weblate show and msgmerge keeps, where extracted ones (`#.`) come from the
    shared template and could not differ per language. A translator's own comments stay."""
    for message in catalog:
        if message.id:
            kept = [c for c in message.user_comments if not c.startswith(GLOSSARY_NOTE)]
            message.user_comments = kept + notes(_first(message.id))


def use_plural_rule(catalog: Catalog, info: LocaleInfo) -> None:
    """Make the Plural-Forms header CLDR's rule (or the registry's for a locale CLDR lacks):
    an old or hand-written rule (Persian with one form, Arabic's forms out of order) would
    make Poedit and Weblate ask for the wrong forms."""
    expected = po_check.expected_plural(info)
    if expected:
        # Babel's header setter parses a Plural-Forms line into the catalog's rule (and its count)
        headers = [(name, value) for name, value in catalog.mime_headers if name.lower() != "plural-forms"]
        catalog.mime_headers = [*headers, ("Plural-Forms", expected)]

def write_mo_file(po: Path, catalog: Catalog) -> Path:
    """Write the .mo beside a .po from its already-read catalog."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    mo = po.with_suffix(".mo")
    atomic_write(mo, buffer.getvalue())
    return mo


# --- checks and use ---------------------------------------------------------------------------
def markup_problems(path: Path, catalog: Catalog) -> list[Problem]:
    """Every published entry whose placeholders or Markdown markup differ from the English."""
    ui = path.stem == "messages"
    found = []
    for message in catalog:
        if not message.id or not has_translation(message) or message.fuzzy:
            continue
        source, target = _first(message.id), _first(message.string)
        problems = markup_mismatches(source, target)
        if ui and not problems:
            # every plural form is formatted with the same values as the English plural
            english = message.id[-1] if isinstance(message.id, tuple) else source
            forms = message.string if isinstance(message.string, tuple) else (target,)
            problems = next((differs for form in forms if (differs := percent_format_problems(english, form))), [])
        if problems:
            found.append(Problem(path, message.lineno, f"{'; '.join(problems)} (in the entry for the English "
                                 f"{source[:60]!r}): keep the English's placeholders, Markdown and links, and use no HTML"))
    return found


PERCENT_DIRECTIVE = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*\d*(?:\.\d+)?[a-zA-Z%]?")


def percent_format_problems(source: str, target: str) -> list[str]:
    """UI strings go through `%` formatting (Jinja's newstyle gettext): a stray % would
    crash a page or garble it ("100% r" is a valid directive), so the directives must match."""
    directives = lambda text: sorted(d for d in PERCENT_DIRECTIVE.findall(text) if d != "%%")  # noqa: E731
    if directives(source) != directives(target):
        return [f"'%' formatting differs: English has {directives(source) or 'none'}, translation has "
                f"{directives(target)} (write a literal percent sign as %%)"]
    return []


def _first(value) -> str:
    return value[0] if isinstance(value, (tuple, list)) else value


def has_translation(message) -> bool:
    """Has a translation: a text, or for a plural entry every one of its forms."""
    return all(message.string) if isinstance(message.string, (tuple, list)) else bool(message.string)

def checked_catalog(path: Path, info: LocaleInfo) -> tuple[Catalog, list[Problem]]:
    """A catalog and every problem in it: encoding, GNU msgfmt's strict checks, the header,
    markup and placeholders. Problems on a line already reported are not repeated. Callers
    only read the catalog."""
    if not path.exists() and not path.is_symlink():
        return Catalog(), []
    refused = file_problems(path)
    if refused:
        return Catalog(), refused
    po_check.require_msgfmt()
    return _check_catalog(path, path.read_bytes(), info)


MAX_CATALOG_BYTES = 4 * 1024 * 1024  # ten times the largest catalog shipped; past it, refused unread
MAX_TRANSLATION_CHARS = 8000  # one entry is a paragraph or a button (the longest English is ~700)


def file_problems(path: Path) -> list[Problem]:
    """A catalog the build will not even read: a link (to a file anywhere on the machine, which the
    build would publish) rather than a regular file, or one far too large to be a catalog."""
    if path.is_symlink() or not path.is_file():
        return [Problem(path, 1, "this is a link or not a regular file; copy the catalog itself into "
                                 "translations/ (a link could publish any file on this computer)")]
    size = path.stat().st_size
    if size > MAX_CATALOG_BYTES:
        return [Problem(path, 1, f"the file is {size:,} bytes; catalogs are limited to {MAX_CATALOG_BYTES:,} "
                                 "(is this the right file?)")]
    return []


def length_problems(path: Path, catalog: Catalog) -> list[Problem]:
    """Translations far longer than any paragraph: refused, naming the entry, not published."""
    return [Problem(path, message.lineno, f"this translation is {sum(map(len, forms)):,} characters; one entry "
                                          f"is at most {MAX_TRANSLATION_CHARS:,}: it holds a paragraph or a label")
            for message in catalog if message.id
            for forms in [message.string if isinstance(message.string, tuple) else (message.string or "",)]
            if sum(map(len, forms)) > MAX_TRANSLATION_CHARS]


def _check_catalog(path: Path, data: bytes, info: LocaleInfo) -> tuple[Catalog, list[Problem]]:
    text, problems = po_encoding.readable_text(path, data)
    found, readable = po_check.recovering_problems(path, text)
    problems += [p for p in found if p.line not in {q.line for q in problems}]
    if problems:
        # Babel would drop a broken string's last character: read leniently (without the entries
        # gettext could not parse) only to find more problems, never to publish.
        catalog = _lenient(readable, info)
    else:
        catalog = read_catalog(path, info, data)
    for more in (po_check.header_problems(path, catalog, info), length_problems(path, catalog),
                 markup_problems(path, catalog)):
        reported = {p.line for p in problems}
        problems += [p for p in more if p.line not in reported]
    return catalog, po_check.one_per_entry(problems, text)


def _lenient(data: bytes, info: LocaleInfo) -> Catalog:
    text = data.decode("utf-8", errors="replace").encode("utf-8")
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # Babel prints its warnings; ours are better
            return keep_previous_ids(read_po(io.BytesIO(text), locale=None if info.plural else info.gettext_code))
    except (PoFileError, ValueError):
        return Catalog()


def report(problems: list[Problem], warnings: list[Problem] = ()) -> str:
    """Every problem, one per line, with a count a person can track while fixing them; then any
    warnings (they alone would not stop a build)."""
    files = len({p.path for p in problems})
    return (f"{len(problems)} problem(s) in {files} file(s); nothing was published, the site is unchanged:\n"
            + "\n".join(map(str, [*problems, *warnings])))


def published(catalog: Catalog) -> dict[str, str]:
    """msgid -> translation for every non-fuzzy, non-empty entry."""
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}

def count_entries(catalog: Catalog, info: LocaleInfo, template: Catalog, where: str = "") -> CatalogStats:
    """How many of the template's entries this locale has, current and stale (fuzzy), and how
    many English words are reviewed by a person or still machine drafts.

    `where` limits the count to entries found in files whose path starts with it
    (e.g. "content/guides/ice-encounters.md").
    """
    entries = [m for m in template if m.id and any(loc[0].startswith(where) for loc in m.locations or [("", 0)])]
    words = sum(word_count(m.id) for m in entries)
    if info.code == SOURCE_LOCALE:
        return CatalogStats(len(entries), len(entries), 0, words=words)
    translated = stale = reviewed = reviewed_words = draft_words = 0
    dates = []
    for message in entries:
        found = catalog.get(message.id, message.context)
        if found is None or not has_translation(found):
            continue
        if found.fuzzy:
            stale += 1
            continue
        translated += 1
        review = reviews.review_of(found)
        if review:
            reviewed, reviewed_words = reviewed + 1, reviewed_words + word_count(message.id)
            dates.append(review.date)
        else:
            draft_words += word_count(message.id)
    return CatalogStats(len(entries), translated, stale, words=words, reviewed_words=reviewed_words,
                        draft_words=draft_words, reviewed=reviewed, last_review=max(dates, default=None))


LINK_TARGET = re.compile(r"\]\([^)]*\)")
WORD = re.compile(r"\w+")


def word_count(msgid) -> int:
    """English words of an entry (its singular), link addresses left out: what a translator reads."""
    return len(WORD.findall(LINK_TARGET.sub("]", _first(msgid))))


def locales_needing_catalogs(registry: Registry):
    """Every locale that has catalogs (English is the source and has none)."""
    return [info for info in registry if info.code != SOURCE_LOCALE]
