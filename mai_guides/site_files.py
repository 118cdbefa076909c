"""The site as files: what a build keeps of each address, under which name, with which headers.

Every page of every language, the offline lists and the standard PDFs are the same bytes for a whole
release, so the build writes them into the release (`<release>/site/`, with `.br` and `.gz`
neighbours for text). The nginx front serves that folder itself (deploy/nginx.conf.template: the same
names through try_files, the same headers), and the app serves the same files (web/page_cache.py)
when a request reaches it (web/kept_files.py: the headers of each kind, as nginx sends them):
either way a reader gets the same bytes, status and headers, and with the app stopped the guides
still answer. This module names the files; the build and the app both follow it.

Names: `/es/` -> `es/index.html`; `/es/guides/x` -> `es/guides/x.html`; `/es/offline.json` as is;
`/es/guides/x.pdf?paper=a4` -> `es/guides/x.paper-a4.pdf` (Letter, the default, has no suffix).
"""
from __future__ import annotations

from pathlib import Path, PurePosixPath

from .releases import live_release

SITE = "site"
SETTINGS = ".settings"  # the settings the site was written with (pdf.documents.output_settings)
PAGE_MAX_AGE = 300
PDF_MAX_AGE = 24 * 3600
# kind (kind_of) -> (Content-Type, Cache-Control): nginx's template repeats this table (tests compare them)
KINDS = {
    ".html": ("text/html; charset=utf-8", f"public, max-age={PAGE_MAX_AGE}"),
    ".atom": ("application/atom+xml; charset=utf-8", f"public, max-age={PAGE_MAX_AGE}"),
    "api": ("application/json", f"public, max-age={PAGE_MAX_AGE}"),
    "offline list": ("application/json", "no-cache"),
    ".pdf": ("application/pdf", f"public, max-age={PDF_MAX_AGE}"),
}
COMPRESSED = {".html", ".json", ".atom"}  # written with .br and .gz beside them
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))  # preferred first, as web/compression.py chooses
PAPERS = {"": "", "paper=letter": "", "paper=a4": ".paper-a4"}


def file_name(path: str, query: str = "") -> str | None:
    """The kept file for an address, relative to the site folder; None if it cannot be one (a
    query other than a paper size, a path that leaves the folder)."""
    parts = PurePosixPath(path).parts
    if not path.startswith("/") or ".." in parts or "\x00" in path:
        return None
    if path.endswith(".pdf"):
        if query not in PAPERS:
            return None
        return path[1:].removesuffix(".pdf") + PAPERS[query] + ".pdf"
    if query:
        return None
    if path.endswith("/"):
        return path[1:] + "index.html"
    if path.endswith((".json", ".atom")):
        return path[1:]
    return path[1:] + ".html"


def kind_of(name: str) -> str:
    """A kept file's kind: its suffix, or for JSON what it is (an API answer, an offline list)."""
    if name.startswith("api/"):
        return "api"
    if name.endswith("/offline.json"):
        return "offline list"
    return PurePosixPath(name).suffix


def site_dir(database: Path, settings: str | None = None) -> Path | None:
    """The live release's site folder, if it has one (and, given `settings`, was written with them:
    an app whose public address or hotline differ from the build's renders its own pages)."""
    release = live_release(database)
    site = release / SITE if release is not None else None
    if site is None or not site.is_dir():
        return None
    if settings is not None:
        try:
            if (site / SETTINGS).read_text(encoding="utf-8") != settings:
                return None
        except OSError:
            return None
    return site
