"""HTML -> PDF bytes with WeasyPrint, fetching nothing but our own static files.

Knows nothing of requests: views and the build both hand it HTML. Every PDF is tagged
(PDF/UA-1: a structure tree, /Lang from <html lang>, /Title from <title>), so screen readers
read it in the right language.
"""
from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
from weasyprint import HTML
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.pdf import tags as weasy_tags
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .cidfonts import slim_cid_fonts

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


class StaticOnlyFetcher(URLFetcher):
    """Serves files under one folder; refuses the network, other files and redirects."""

    def __init__(self, static_root: Path):
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self.static_root = static_root.resolve()

    def fetch(self, url, headers=None):
        scheme, netloc, path, _query, _fragment = urlsplit(url)
        if scheme != "file" or netloc not in ("", "localhost"):
            raise ValueError(f"blocked: WeasyPrint may only load our static files, not {url[:80]!r}")
        target = Path(unquote(path)).resolve()
        if not target.is_relative_to(self.static_root) or not target.is_file():
            raise ValueError(f"blocked: {path!r} is not one of our static files")
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, target.read_bytes(), {"Content-Type": content_type})


_build_box_tree = weasy_tags._build_box_tree


def _box_tree_with_lang(box, parent, *args):
    """WeasyPrint's structure elements, plus /Lang where the HTML element has its own lang
    (WeasyPrint tags only the document's language): the English officer side of a card in
    Urdu must be read as English. The function recurses through the module, so one patch
    covers the whole tree."""
    source = box._box if isinstance(box, AbsolutePlaceholder) else box
    element = getattr(source, "element", None)
    lang = None
    if element is not None and getattr(source, "element_tag", None) not in ("html", "body"):
        lang = element.get("lang")
    for structure in _build_box_tree(box, parent, *args):
        if lang and "Lang" not in structure:
            structure["Lang"] = pydyf.String(lang)
        yield structure


weasy_tags._build_box_tree = _box_tree_with_lang


def render_document(html: str, static_root: Path):
    """Lay out HTML into pages (WeasyPrint Document), base URL our static folder."""
    base_url = static_root.resolve().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyFetcher(static_root)).render(**PDF_OPTIONS)


def write(document) -> bytes:
    """The laid-out document as PDF bytes, its CJK fonts cut to the glyphs used (cidfonts.py)."""
    data = document.write_pdf(**PDF_OPTIONS)
    return slim_cid_fonts(data) if b"/OpenType" in data else data


def render_pdf(html: str, static_root: Path) -> bytes:
    return write(render_document(html, static_root))


def render_fitting(make_html, scales, pages: int, static_root: Path) -> tuple[bytes, float]:
    """Render with the largest text scale (scales run largest first) whose layout has at most
    `pages` pages.

    Cards and posters have a fixed page count; text that does not fit would spill onto an
    extra page, so we shrink it instead of clipping it. Smaller text never needs more pages,
    so after trying the largest scale (most translations fit at once) a binary search finds
    the answer in a few layouts instead of one per scale.
    """
    layouts = {}

    def fits(index: int) -> bool:
        if index not in layouts:
            layouts[index] = render_document(make_html(scales[index]), static_root)
        return len(layouts[index].pages) <= pages

    low, high = 0, len(scales) - 1
    if not fits(low):
        low += 1
        while low < high:  # the answer is in [low, high] if any scale fits
            middle = (low + high) // 2
            if fits(middle):
                high = middle
            else:
                low = middle + 1
        if not fits(high):
            raise OverflowError(f"text does not fit {pages} page(s) even at scale {scales[-1]}")
    return write(layouts[low]), scales[low]
