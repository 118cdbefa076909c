"""HTML -> PDF bytes with WeasyPrint, fetching nothing but our own static files.

Knows nothing of requests: views and the build both hand it HTML. Every PDF is tagged
(PDF/UA-1: a structure tree, /Lang from <html lang>, /Title from <title>), so screen readers
read it in the right language.
"""
from __future__ import annotations

import logging
import mimetypes
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
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


log = logging.getLogger(__name__)


def tag_languages_per_element() -> bool:
    """Give WeasyPrint's structure elements a /Lang where the HTML element has its own lang
    (WeasyPrint tags only the document's language): the English officer side of a card in
    Urdu must be read as English. This wraps a private WeasyPrint function (pyproject pins the
    major version it was tested with); if a WeasyPrint lacks it, PDFs still render, tagged by
    WeasyPrint in the document's one language, and one log line says so. True when installed."""
    try:
        from weasyprint.layout.absolute import AbsolutePlaceholder
        from weasyprint.pdf import tags
        build_box_tree = tags._build_box_tree
    except (ImportError, AttributeError) as missing:
        log.warning("PDFs are tagged in one language only: this WeasyPrint has no tags._build_box_tree "
                    "to add each element's own lang (%s)", missing)
        return False
    if getattr(build_box_tree, "adds_element_lang", False):
        return True  # installed already (a second import of this module)

    def box_tree_with_lang(box, parent, *args):
        source = box._box if isinstance(box, AbsolutePlaceholder) else box
        element = getattr(source, "element", None)
        lang = None
        if element is not None and getattr(source, "element_tag", None) not in ("html", "body"):
            lang = element.get("lang")
        for structure in build_box_tree(box, parent, *args):  # recurses through the module: one patch
            if lang and "Lang" not in structure:
                structure["Lang"] = pydyf.String(lang)
            yield structure

    box_tree_with_lang.adds_element_lang = True
    tags._build_box_tree = box_tree_with_lang
    return True


ELEMENT_LANGS = tag_languages_per_element()


_per_thread = threading.local()


def forget_font_maps() -> None:
    """For a forked process (the build's render workers): make its own font map rather than use
    its copy of the parent's. Called by the worker itself, not from os.register_at_fork: such a
    hook also ran around the fork behind subprocess.run and crashed the build at exit."""
    global _per_thread
    _per_thread = threading.local()


def _font_config() -> FontConfiguration:
    """This thread's Pango font map, kept from one document to the next. A new one (WeasyPrint's
    default) reloads fontconfig's list of every installed font and reopens the font files: a
    quarter to a third of a card's layout time. Our stylesheets declare no @font-face, so what
    it holds depends on the installed fonts alone; Pango font maps are not thread-safe, hence one
    per thread (gunicorn's threads, the build's processes)."""
    if not hasattr(_per_thread, "font_config"):
        _per_thread.font_config = FontConfiguration()
    return _per_thread.font_config


def render_document(html: str, static_root: Path):
    """Lay out HTML into pages (WeasyPrint Document), base URL our static folder."""
    base_url = static_root.resolve().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyFetcher(static_root)).render(
        font_config=_font_config(), **PDF_OPTIONS)


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
    extra page, so we shrink it instead of clipping it. Smaller text never needs more pages, so
    the answer is found by galloping down from the largest scale (trying positions 1, 2, 4, 8)
    and then halving the last gap. Most text fits at the largest scale or one or two steps
    below it: one to three layouts, where a plain binary search always took five.
    """
    layouts = {}

    def fits(index: int) -> bool:
        if index not in layouts:
            layouts[index] = render_document(make_html(scales[index]), static_root)
        return len(layouts[index].pages) <= pages

    last = len(scales) - 1
    failed, probe = 0, 0
    while not fits(probe):
        if probe == last:
            raise OverflowError(f"text does not fit {pages} page(s) even at scale {scales[-1]}")
        failed, probe = probe, min(last, max(1, probe * 2))
    low, high = failed + 1 if probe else 0, probe  # the answer is in [low, high]; high fits
    while low < high:
        middle = (low + high) // 2
        if fits(middle):
            high = middle
        else:
            low = middle + 1
    return write(layouts[high]), scales[high]
