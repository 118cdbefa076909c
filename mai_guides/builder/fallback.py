"""English records + a locale's published translations -> HTML and text in that locale.

Each segment is looked up along the locale's fallback chain; a segment that comes from
another language is tagged with that language so the page can say so and screen readers
switch voice.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import unescape

from ..registry import SOURCE_LOCALE, LocaleInfo, Registry
from .markup import Block, isolate_latin_runs, mark_english, plain_text, render_inline
from .reviews import Review


@dataclass
class Localizer:
    """Translates segments for one locale and counts how many fell back."""

    info: LocaleInfo
    registry: Registry
    translations: dict[str, dict[str, str]]  # locale code -> msgid -> text
    reviews: dict[str, dict[str, Review]] = field(default_factory=dict)  # locale code -> msgid -> its review
    total: int = 0
    fallbacks: int = 0
    _mark: tuple[int, int] = (0, 0)
    _sources: set[str] = field(default_factory=set)  # languages fallen back to since take_counts

    def lookup(self, msgid: str) -> tuple[str, LocaleInfo]:
        """The best available text for a segment and the locale it is in."""
        for code in self.info.chain:
            found = msgid if code == SOURCE_LOCALE else self.translations.get(code, {}).get(msgid)
            if found:
                return found, self.registry[code]
        raise AssertionError("the chain always ends in English")

    def text(self, msgid: str) -> tuple[str, LocaleInfo]:
        """Like lookup, and counts the segment for this locale's coverage."""
        found, source = self.lookup(msgid)
        self.total += 1
        if source.code != self.info.code:
            self.fallbacks += 1
            self._sources.add(source.code)
        return found, source

    def review_state(self, msgids) -> tuple[str | None, list[dict]]:
        """Whether a person checked these segments as the page shows them: "reviewed" (every
        translated one has a valid review mark), "draft" (any machine draft among them), or None
        (English, the original); and who checked them, newest first."""
        if self.info.code == SOURCE_LOCALE:
            return None, []
        states, found = [], []
        for msgid in msgids:
            _text, source = self.lookup(msgid)
            if source.code == SOURCE_LOCALE:
                continue
            review = self.reviews.get(source.code, {}).get(msgid)
            states.append(bool(review))
            if review and review.as_row() not in found:
                found.append(review.as_row())
        if not states:
            return None, []
        found.sort(key=lambda row: row["date"], reverse=True)
        return ("reviewed" if all(states) else "draft"), found

    def shown_in(self, source: LocaleInfo) -> str | None:
        """The code of the language a text is shown in when it is not the page's, else None."""
        return None if source.code == self.info.code else source.code

    def take_counts(self) -> dict[str, int]:
        """Segments and fallbacks since the last call: one document's, for its row."""
        counts = {"segments": self.total - self._mark[0], "fallbacks": self.fallbacks - self._mark[1],
                  # which languages the reader sees instead (Mam falls back to Spanish, not English),
                  # in the chain's order, comma-separated (a template can split it), for the notice
                  "fallback_from": ",".join(c for c in self.info.chain if c in self._sources)}
        self._mark = (self.total, self.fallbacks)
        self._sources = set()
        return counts

    def plain(self, msgid: str) -> str:
        """A segment's words without markup (search, PDFs); not counted."""
        return plain_text(self.lookup(msgid)[0])

    def lang_attrs(self, source: LocaleInfo) -> str:
        """lang/dir attributes for text in another language than the page, else nothing."""
        if source.code == self.info.code:
            return ""
        return f' lang="{source.code}" dir="{source.dir}"'

    def inline(self, msgid: str, tag: str) -> str:
        """One segment as an HTML element, tagged when it fell back.

        A list item keeps the page's direction (its bullet stays on the page's side) and
        wraps fallback text in a span; other blocks take the fallback's direction.
        """
        text, source = self.text(msgid)
        attrs, html = self.lang_attrs(source), render_inline(text)
        if source.code != SOURCE_LOCALE:
            html = mark_english(html, msgid)  # the English phrases a translation quotes
        if source.is_rtl:
            html = isolate_latin_runs(html)
        if not attrs:
            return f"<{tag}>{html}</{tag}>"
        if tag == "li":
            return f'<li class="fallback"><span{attrs}>{html}</span></li>'
        return f'<{tag} class="fallback"{attrs}>{html}</{tag}>'

    def block_html(self, block: Block) -> str:
        if block.kind == "paragraph":
            return self.inline(block.segments[0], "p")
        if block.kind == "heading":
            return self.inline(block.segments[0], f"h{block.level + 1}")
        items = "".join(self.inline(segment, "li") for segment in block.segments)
        return f"<{block.kind}>{items}</{block.kind}>"

    def block_text(self, block: Block) -> str:
        """A block as plain text (the API's): a list's items one per line, after "- " or "1. "."""
        texts = [unescape(self.plain(segment)) for segment in block.segments]  # plain_text is HTML-escaped
        if block.kind == "ul":
            return "\n".join(f"- {text}" for text in texts)
        if block.kind == "ol":
            return "\n".join(f"{i}. {text}" for i, text in enumerate(texts, 1))
        return texts[0]

    def blocks_text(self, blocks) -> str:
        """Blocks as plain text, a blank line between them."""
        return "\n\n".join(self.block_text(block) for block in blocks)


@dataclass(frozen=True)
class Section:
    anchor: str
    heading: str  # plain text, for the table of contents
    heading_lang: str | None  # the language the heading is shown in, when it fell back
    heading_html: str
    html: str
    text: str  # plain text, for search
    plain: str  # plain text with its paragraphs and list items, for the API
    review: str | None = None  # "reviewed", "draft" (a machine draft), or None for English
    reviewers: tuple = ()  # who checked it: {"name", "role", "date"}, newest first


def sections(localizer: Localizer, blocks: tuple[Block, ...]) -> list[Section]:
    """Group blocks under their level-2 headings; text before the first is the 'intro'."""
    groups: list[tuple[Block | None, list[Block]]] = [(None, [])]
    for block in blocks:
        if block.kind == "heading" and block.level == 2:
            groups.append((block, []))
        else:
            groups[-1][1].append(block)
    result = []
    for heading, body in groups:
        if heading is None and not body:
            continue
        heading_html = localizer.inline(heading.segments[0], "h2") if heading else ""
        html = "".join(localizer.block_html(b) for b in body)
        text = " ".join(localizer.plain(s) for b in body for s in b.segments)
        title, shown_in = "", None
        if heading:
            found, source = localizer.lookup(heading.segments[0])
            title, shown_in = plain_text(found), localizer.shown_in(source)
        review, reviewers = localizer.review_state([s for b in ([heading] if heading else []) + body
                                                    for s in b.segments])
        result.append(Section(heading.anchor if heading else "intro", title, shown_in, heading_html, html, text,
                              localizer.blocks_text(body), review, tuple(reviewers)))
    return result

