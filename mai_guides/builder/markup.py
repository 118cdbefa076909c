"""The restricted Markdown of content files: blocks of segments, and safe inline HTML.

Long text is translated one segment at a time (a heading, a paragraph or a list item),
the way Sphinx's gettext builder does it, so a body is parsed into blocks of segments.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

HEADING = re.compile(r"^(#{2,3}) (?P<text>.+?) \{#(?P<anchor>[a-z0-9][a-z0-9-]*)\}$")
BULLET = re.compile(r"^- (?P<text>.+)$")
NUMBERED = re.compile(r"^\d+\. (?P<text>.+)$")

# Inline Markdown only: a translator's HTML is escaped by markdown-it (html=False),
# and nh3 removes anything else that is not on this list.
_INLINE = MarkdownIt("commonmark", {"html": False, "linkify": False})
ALLOWED_TAGS = {"a", "strong", "em", "code", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"https", "http", "mailto", "tel"}


class MarkupError(ValueError):
    """A content body that breaks the block rules; carries the line number."""

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass(frozen=True)
class Block:
    """A heading, a paragraph or a list; `segments` are its translatable texts."""

    kind: str  # "heading" | "paragraph" | "ul" | "ol"
    segments: tuple[str, ...]
    line: int
    level: int = 0
    anchor: str = ""


def parse_blocks(body: str, first_line: int = 1) -> list[Block]:
    """Split a body into blocks; raise MarkupError naming the line of a malformed block."""
    blocks = []
    for line_no, lines in _chunks(body, first_line):
        blocks.append(_block(line_no, lines))
    return blocks


def _chunks(body: str, first_line: int):
    """Yield (first line number, lines) for each run of non-blank lines."""
    run: list[str] = []
    start = first_line
    for offset, line in enumerate(body.splitlines()):
        if line.strip():
            if not run:
                start = first_line + offset
            run.append(line.rstrip())
        elif run:
            yield start, run
            run = []
    if run:
        yield start, run


def _block(line_no: int, lines: list[str]) -> Block:
    first = lines[0]
    if first.startswith("#"):
        match = HEADING.match(first)
        if len(lines) != 1 or not match:
            raise MarkupError(line_no, "a heading is '## Text {#anchor}' alone on its line")
        return Block("heading", (match["text"],), line_no, len(match[1]), match["anchor"])
    for kind, pattern in (("ul", BULLET), ("ol", NUMBERED)):
        if pattern.match(first):
            items = [pattern.match(line) for line in lines]
            if not all(items):
                bad = line_no + [m is None for m in items].index(True)
                raise MarkupError(bad, "every line of a list starts a new item ('- ' or '1. ')")
            return Block(kind, tuple(m["text"] for m in items), line_no)
    if any(BULLET.match(line) or NUMBERED.match(line) for line in lines):
        raise MarkupError(line_no, "separate a list from the paragraph before it by a blank line")
    return Block("paragraph", (" ".join(line.strip() for line in lines),), line_no)


# A build renders each distinct segment once: a guide's English is the fallback text of every
# locale that lacks it, and each segment is wanted both as HTML and as plain text (search, PDFs).
@lru_cache(maxsize=16384)
def render_inline(text: str) -> str:
    """Inline Markdown to sanitized HTML (links get rel=noopener noreferrer); form numbers kept whole."""
    html = _INLINE.renderInline(text)
    return keep_form_numbers_whole(nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
    ))


# Government form numbers (I-200, I-205, I-407, G-325R): a line break at the hyphen leaves "I-" at
# the end of one line and "407" at the start of the next, and readers cannot find the form.
FORM_NUMBER = re.compile(r"\b[A-Z]{1,2}-\d{2,4}[A-Z]?\b")


def keep_form_numbers_whole(html: str) -> str:
    """Wrap form numbers in text (not inside tags or addresses) in a no-break span."""
    parts = TAG.split(html)
    for i in range(0, len(parts), 2):
        parts[i] = FORM_NUMBER.sub(lambda m: f'<span class="nobr">{m.group(0)}</span>', parts[i])
    return "".join(parts)


# A run of Latin-script words (an English phrase, a URL, "ICE", "I-200") inside right-to-left
# text. Parentheses stay outside so the bidi algorithm mirrors them with the Arabic around.
# A run ends on a letter, digit, closing quote or slash: a sentence's own full stop stays outside,
# in the right-to-left text, so "... I-407." keeps its Arabic full stop on the Arabic side.
LATIN_RUN = re.compile(r"[\"“]?[A-Za-z][A-Za-z0-9\s.,;:!?'’\"”/\-–—&=_%#+@]*[A-Za-z0-9\"”/]")
TAG = re.compile(r"(<[^>]+>)")


def isolate_latin_runs(html: str) -> str:
    """Wrap Latin runs of right-to-left text in <bdi dir="ltr"> so their punctuation and
    order survive (without it, ("I do not consent") comes out as (I do not consent")("...)."""
    parts = TAG.split(html)
    for i in range(0, len(parts), 2):  # even parts are text, odd parts are tags
        parts[i] = LATIN_RUN.sub(lambda m: f'<bdi dir="ltr">{m.group(0)}</bdi>', parts[i])
    return "".join(parts)


# An English phrase the reader says to an agent, quoted in the English source: `Say: "I do not
# consent to a search."`. Translations keep it, in quotes, beside their own words. Two words at
# least: a one-word quote (Your "no" still matters) is translated, and "no" is a word in Spanish.
QUOTED = re.compile(r'"([^"]*)"')


def english_quotes(source: str) -> tuple[str, ...]:
    """The quoted phrases of an English segment without their final punctuation (translations
    often drop it), longest first (one may contain another)."""
    phrases = {q.strip().rstrip(".,;:") for q in QUOTED.findall(source)}
    return tuple(sorted((p for p in phrases if " " in p and re.search("[A-Za-z]", p)), key=len, reverse=True))


def english_pattern(phrases: tuple[str, ...]) -> re.Pattern | None:
    """Finds those phrases in a translation, with their final punctuation and the Latin quote
    marks around them."""
    if not phrases:
        return None
    words = "|".join(re.escape(phrase) for phrase in phrases)
    return re.compile(rf"[\"“”]?(?<![\w])(?:{words})(?![\w])[.,;:]?[\"“”]?")


def english_in(translation: str, source: str) -> list[str]:
    """The English phrases of `source` that a translation quotes, as they appear in it."""
    pattern = english_pattern(english_quotes(source))
    return pattern.findall(translation) if pattern else []


def mark_english(html: str, source: str) -> str:
    """Wrap the English phrases of `source` found in a translation's text (not inside tags) in
    <span lang="en" dir="ltr">, so that screen readers read them in English."""
    pattern = english_pattern(english_quotes(source))
    if pattern is None:
        return html
    parts = TAG.split(html)
    for i in range(0, len(parts), 2):
        parts[i] = pattern.sub(lambda m: f'<span lang="en" dir="ltr">{m.group(0)}</span>', parts[i])
    return "".join(parts)


@lru_cache(maxsize=16384)
def plain_text(text: str) -> str:
    """The words of an inline Markdown segment, for search and PDF alt text."""
    return nh3.clean(render_inline(text), tags=set())


# Markup that must survive translation unchanged in kind and number.
_MARKUP_PATTERNS = {
    "link": re.compile(r"\[[^\]]*\]\(([^)\s]+)\)"),
    "bold": re.compile(r"\*\*"),
    "placeholder": re.compile(r"%\(\w+\)s|\{\w*\}"),
}


def markup_mismatches(source: str, translation: str) -> list[str]:
    """Name what differs between the markup of an English segment and its translation."""
    problems = []
    for name, pattern in _MARKUP_PATTERNS.items():
        want, got = sorted(pattern.findall(source)), sorted(pattern.findall(translation))
        if want != got:
            problems.append(f"{name}s differ: English has {want or 'none'}, translation has {got or 'none'}")
    if "<" in translation and "<" not in source:
        problems.append("HTML tags are not allowed in translations (they are escaped)")
    return problems
