"""Static files fingerprinted by content: every link carries ?v=<hash of the file>, and a request
with the current hash may be kept for a year (immutable), so a second page costs one request and
a changed file gets a new address at once."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, request

from .. import fonts
from ..i18n import registry

YEAR = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    app.url_defaults(add_fingerprint)


def add_fingerprint(endpoint: str, values: dict) -> None:
    if "v" in values:
        return
    if endpoint == "static" and values.get("filename"):
        values["v"] = file_fingerprint(Path(current_app.static_folder) / values["filename"])
    elif endpoint == "root.fonts_css":
        values["v"] = fonts_fingerprint(tuple(registry().codes))


@lru_cache(maxsize=8)
def fonts_fingerprint(codes: tuple[str, ...]) -> str:
    """The generated /fonts.css changes only with the registry (and the code that writes it)."""
    return hashlib.sha256(fonts.web_font_css(codes).encode()).hexdigest()[:10]


def current_fingerprint() -> str:
    """The fingerprint of what this request asks for (a static file or /fonts.css)."""
    if request.endpoint == "root.fonts_css":
        return fonts_fingerprint(tuple(registry().codes))
    return file_fingerprint(Path(current_app.static_folder) / (request.view_args or {}).get("filename", ""))


def file_fingerprint(path: Path) -> str:
    try:
        stat = path.stat()
    except OSError:
        return "0"
    return _digest(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _digest(path: str, _mtime: int, _size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def immutable_when_fingerprinted(response):
    """A request for the current fingerprint may be cached for a year; anything else revalidates."""
    if request.endpoint not in ("static", "root.fonts_css") or response.status_code not in (200, 304):
        return response
    if request.args.get("v") == current_fingerprint():
        response.cache_control.no_cache = None  # Flask's send_file default; this address never changes
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    return response
