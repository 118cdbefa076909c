"""The site as files: what a build keeps of each address, under which name, with which headers.

Every page of every language, the offline lists and the standard PDFs are the same bytes for a whole
release, so the build writes them into the release (`<release>/site/`, with `.br` and `.gz`
neighbours for text). The nginx front serves that folder itself (deploy/nginx.conf.template: the same
names through try_files, the same headers), and the app serves the same files (web/page_cache.py)
when a request reaches it: either way a reader gets the same bytes, status and headers, and with
the app stopped the guides still answer. This module is the one table both follow.

Names: `/es/` -> `es/index.html`; `/es/guides/x` -> `es/guides/x.html`; `/es/offline.json` as is;
`/es/guides/x.pdf?paper=a4` -> `es/guides/x.paper-a4.pdf` (Letter, the default, has no suffix).
"""
from __future__ import annotations

import email.utils
import os
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qsl

from .pdf.documents import DocSpec
from .releases import live_release

SITE = "site"
PAGE_MAX_AGE = 300
PDF_MAX_AGE = 24 * 3600
# suffix -> (Content-Type, Cache-Control): nginx's template repeats this table (tests compare them)
KINDS = {
    ".html": ("text/html; charset=utf-8", f"public, max-age={PAGE_MAX_AGE}"),
    ".json": ("application/json", "no-cache"),
    ".pdf": ("application/pdf", f"public, max-age={PDF_MAX_AGE}"),
}
COMPRESSED = {".html", ".json"}  # written with .br and .gz beside them
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
    if path.endswith(".json"):
        return path[1:]
    return path[1:] + ".html"


def site_dir(database: Path) -> Path | None:
    """The live release's site folder, if it has one."""
    release = live_release(database)
    return release / SITE if release is not None and (release / SITE).is_dir() else None


def download_name(name: str) -> str:
    """What a saved PDF is called (DocSpec.filename: guide, kind, language, paper), so an
    organizer's folder of 23 cards tells them apart; nginx derives the same from the address."""
    paper = "a4" if name.endswith(".paper-a4.pdf") else "letter"
    spec = DocSpec.from_url_path("/" + name.replace(".paper-a4.pdf", ".pdf"), paper)
    return spec.filename if spec else PurePosixPath(name).name


def etag(size: int, mtime: float) -> str:
    """nginx's ETag for a static file (hex modification time, hex size), so both fronts agree."""
    return f'"{int(mtime):x}-{size:x}"'


def headers(name: str, size: int, mtime: float, encoding: str | None) -> list[tuple[str, str]]:
    """Every header of a kept file's 200 answer, in one order (the body's length and type, then
    caching, then the security headers)."""
    from .web.security import HEADERS  # here, not at import: the web package imports this module
    suffix = PurePosixPath(name).suffix
    content_type, cache_control = KINDS[suffix]
    found = [("Content-Type", content_type), ("Content-Length", str(size)),
             ("Last-Modified", email.utils.formatdate(mtime, usegmt=True)), ("ETag", etag(size, mtime)),
             ("Cache-Control", cache_control)]
    if suffix in COMPRESSED:
        found.append(("Vary", "Accept-Encoding"))
    # ranges of the file as stored (nginx offers none of a compressed form)
    found.append(("Content-Encoding", encoding) if encoding else ("Accept-Ranges", "bytes"))
    if suffix == ".pdf":
        found.append(("Content-Disposition", f"inline; filename={download_name(name)}"))
    return found + list(HEADERS.items())


def variant(site: Path, name: str, accepted: set[str]) -> tuple[Path, str | None] | None:
    """The file to send for a kept name and the codings the client accepts: br, else gzip, else
    the plain file (None when the name is not kept)."""
    plain = site / name
    try:
        if PurePosixPath(name).suffix in COMPRESSED:
            for coding, suffix in ENCODINGS:
                if coding in accepted and os.path.isfile(f"{plain}{suffix}"):
                    return Path(f"{plain}{suffix}"), coding
        return (plain, None) if plain.is_file() else None
    except OSError:  # a name no file system takes (too long): not kept, the app answers it
        return None


def query_of(environ) -> str:
    """The query string as the kept names read it (only a paper size is ever kept)."""
    query = environ.get("QUERY_STRING", "")
    return "&".join(f"{k}={v}" for k, v in parse_qsl(query, keep_blank_values=True)) if query else ""
