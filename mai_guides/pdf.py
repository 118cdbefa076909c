"""HTML -> PDF bytes with WeasyPrint, fetching nothing but our own static files.

Knows nothing of requests: views and the build both hand it HTML.
"""
from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


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


def render_document(html: str, static_root: Path):
    """Lay out HTML into pages (WeasyPrint Document), base URL our static folder."""
    base_url = static_root.resolve().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyFetcher(static_root)).render()


def render_pdf(html: str, static_root: Path) -> bytes:
    return render_document(html, static_root).write_pdf()


def render_fitting(make_html, scales, pages: int, static_root: Path) -> tuple[bytes, float]:
    """Render with the largest text scale whose layout has exactly `pages` pages.

    Cards and posters have a fixed page count; text that does not fit would spill onto an
    extra page, so we shrink it step by step instead of clipping it.
    """
    for scale in scales:
        document = render_document(make_html(scale), static_root)
        if len(document.pages) <= pages:
            return document.write_pdf(), scale
    raise OverflowError(f"text does not fit {pages} page(s) even at scale {scales[-1]}")
