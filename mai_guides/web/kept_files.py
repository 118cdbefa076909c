"""Kept files as the app sends them: the headers nginx sends for each kind (site_files.KINDS; the
front's deploy/nginx*.conf repeat them, tests/test_surge.py compares), the encoding to choose, and
the ETag both fronts make from a file's size and time."""
from __future__ import annotations

import email.utils
import os
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qsl

from ..pdf.documents import DocSpec
from ..site_files import COMPRESSED, ENCODINGS, KINDS, kind_of
from .security import EMBEDDABLE_CSP, HEADERS


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
    suffix, kind = PurePosixPath(name).suffix, kind_of(name)
    content_type, cache_control = KINDS[kind]
    found = [("Content-Type", content_type), ("Content-Length", str(size)),
             ("Last-Modified", email.utils.formatdate(mtime, usegmt=True)), ("ETag", etag(size, mtime)),
             ("Cache-Control", cache_control)]
    if suffix in COMPRESSED:
        found.append(("Vary", "Accept-Encoding"))
    # ranges of the file as stored (nginx offers none of a compressed form)
    found.append(("Content-Encoding", encoding) if encoding else ("Accept-Ranges", "bytes"))
    if suffix == ".pdf":
        found.append(("Content-Disposition", f"inline; filename={download_name(name)}"))
        found.append(("Content-Security-Policy", EMBEDDABLE_CSP))  # a partner's page may frame it
    if kind == "api":  # any site's scripts may read the API (web/api.py)
        found += [("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", "ETag")]
    return found + [(name, value) for name, value in HEADERS.items()
                    if not (suffix == ".pdf" and name == "Content-Security-Policy")]


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
