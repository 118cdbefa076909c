"""HTML from another site's feed -> the Markdown of content files (markup.py), for `news import`.

What survives, and nothing else:
- paragraphs (p, div, blockquote, pre, figure, table rows: a row's cells joined by " – ");
  a line break (br, hr) starts a new paragraph;
- headings (h1-h6) as `## Heading {#anchor}`;
- lists (ul, ol) as `- ` and `1. ` items; a list inside a list joins it, flattened;
- bold (strong, b), italics (em, i), and links to http:, https: and mailto: addresses (code, spans,
  underlines and the like keep their text, plain).

First the HTML goes through nh3 (ammonia), as every translated segment does: scripts, styles,
frames, forms, media, images (no third-party requests) and comments are dropped with their content,
every other tag and every attribute but a link's address is dropped keeping its text. Then the
text is escaped so that nothing in it reads as Markdown, and the build renders and sanitizes the
result once more (markup.render_inline) like any other content.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote

import nh3

BLOCKS = {"p", "div", "blockquote", "pre", "figure", "figcaption", "table", "tr", "section", "article",
          "header", "footer", "aside", "main", "dl", "dt", "dd", "address", "details", "summary"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LISTS = {"ul", "ol"}
CELLS = {"td", "th"}
MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*"}
BREAKS = {"br", "hr"}
KEPT = BLOCKS | HEADINGS | LISTS | CELLS | set(MARKS) | BREAKS | {"li", "a", "tbody", "thead"}
# Dropped with everything inside them: nothing of these is text a reader should see.
DROPPED = {"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math", "video", "audio",
           "canvas", "form", "select", "textarea", "button", "head", "title"}
LINK_SCHEMES = ("https://", "http://", "mailto:")
# Every ASCII character Markdown may read as markup, escaped wherever it stands in text; "&" too,
# so that "&lt;" in a post stays those four characters.
SPECIAL = re.compile(r"([\\`*_\[\]<>&!|~#{}])")
LINE_START = re.compile(r"^(\d+)([.)])(?=\s)|^([-+])(?=\s)")
SPACE = re.compile(r"\s+")
SLUG_WORD = re.compile(r"[^a-z0-9]+")


def escape_text(text: str) -> str:
    return SPECIAL.sub(r"\\\1", text)


def escape_block_start(text: str) -> str:
    """A paragraph that starts like a list item ("1. ", "- ") stays a paragraph."""
    return LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text, count=1)


def link_address(href: str) -> str | None:
    """A link's address as Markdown can hold it (no spaces or parentheses), or None when refused."""
    href = href.strip()
    if not href.lower().startswith(LINK_SCHEMES):
        return None
    return quote(href, safe=":/?#@!$&'*+,;=%~-._[]")


class Inline:
    """A run of inline content: text and marks, serialized with whitespace outside the marks."""

    def __init__(self, kind: str = "", href: str | None = None):
        self.kind, self.href, self.children = kind, href, []

    def markdown(self, inside: frozenset = frozenset()) -> str:
        text = "".join(child if isinstance(child, str) else child.markdown(inside | {self.kind})
                       for child in self.children)
        core = text.strip()
        if not core:
            return " " if text else ""
        lead, trail = (" " if text[:1].isspace() else ""), (" " if text[-1:].isspace() else "")
        if self.kind == "a":
            return f"{lead}[{core}]({self.href}){trail}" if self.href and "a" not in inside else text
        marker = MARKS.get(self.kind, "")
        if not marker or self.kind in inside or (self.kind in ("b", "strong") and inside & {"b", "strong"}) \
                or (self.kind in ("i", "em") and inside & {"i", "em"}):
            return text
        return f"{lead}{marker}{core}{marker}{trail}"


class Converter(HTMLParser):
    """Walks sanitized HTML, collecting blocks as Markdown lines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.list_kind: list[str] = []  # the open lists, outermost first
        self.items: list[str] = []  # the items of the outermost open list
        self.stack: list[Inline] = [Inline()]
        self.heading = False
        self.outer = "ul"  # the kind of the outermost open list
        self.anchors: set[str] = set()

    # -- blocks --
    def flush(self) -> None:
        """End the paragraph, heading or list item being written."""
        text = SPACE.sub(" ", self.stack[0].markdown()).strip()
        self.stack = [Inline()]
        if not text:
            return
        if self.list_kind:
            self.items.append(text)
        elif self.heading:
            self.blocks.append(f"## {text} {{#{self.anchor(text)}}}")
        else:
            self.blocks.append(escape_block_start(text))

    def anchor(self, text: str) -> str:
        base = SLUG_WORD.sub("-", text.lower()).strip("-")[:40].strip("-") or "section"
        anchor, n = base, 2
        while anchor in self.anchors:
            anchor, n = f"{base}-{n}", n + 1
        self.anchors.add(anchor)
        return anchor

    def end_list(self) -> None:
        self.flush()
        self.list_kind.pop()
        if not self.list_kind and self.items:
            self.blocks.append("\n".join(f"{i}. {item}" if self.outer == "ol" else f"- {item}"
                                          for i, item in enumerate(self.items, 1)))
            self.items = []

    # -- parser callbacks --
    def handle_starttag(self, tag, attrs):
        if tag in LISTS:
            self.flush()
            if not self.list_kind:
                self.outer = tag
            self.list_kind.append(tag)
        elif tag in BLOCKS | HEADINGS | BREAKS or tag == "li":
            self.flush()
            self.heading = tag in HEADINGS
        elif tag in CELLS:
            self.stack[-1].children.append(" – " if self.stack[-1].children else "")
        elif tag in MARKS or tag == "a":
            node = Inline(tag, link_address(dict(attrs).get("href") or "") if tag == "a" else None)
            self.stack[-1].children.append(node)
            self.stack.append(node)

    def handle_endtag(self, tag):
        if tag in LISTS and self.list_kind:
            self.end_list()
        elif tag in BLOCKS | HEADINGS or tag == "li":
            self.flush()
            self.heading = False
        elif (tag in MARKS or tag == "a") and len(self.stack) > 1 and self.stack[-1].kind == tag:
            self.stack.pop()

    def handle_data(self, data):
        self.stack[-1].children.append(escape_text(data))

    def close(self):
        super().close()
        while self.list_kind:
            self.end_list()
        self.flush()


def sanitize(html: str) -> str:
    """The HTML with only the tags the conversion knows, through the same sanitizer as content."""
    return nh3.clean(html, tags=KEPT, clean_content_tags=DROPPED, attributes={"a": {"href"}},
                     url_schemes={"http", "https", "mailto"}, link_rel=None, strip_comments=True)


def to_markdown(html: str) -> str:
    """HTML -> blocks of the content Markdown, a blank line between them."""
    converter = Converter()
    converter.feed(sanitize(html))
    converter.close()
    return "\n\n".join(converter.blocks)


def plain_to_markdown(text: str) -> str:
    """Plain text -> paragraphs (apart where the text has a blank line), escaped."""
    paragraphs = (SPACE.sub(" ", part).strip() for part in re.split(r"\n\s*\n", text))
    return "\n\n".join(escape_block_start(escape_text(p)) for p in paragraphs if p)
