"""Compression on the wire for text (HTML, CSS, JS, JSON, Atom, SVG): brotli where the reader's browser
asks for it, else gzip. A metered connection pays for every byte; a page shrinks about 4x."""
from __future__ import annotations

import gzip
from collections import OrderedDict
from threading import Lock

import brotli
from flask import request

TEXT_TYPES = {"text/html", "text/css", "text/javascript", "application/javascript", "application/json",
              "application/manifest+json", "application/problem+json", "application/atom+xml", "image/svg+xml"}
MIN_SIZE = 512  # below this the headers cost more than compression saves
# Pages are the same bytes for a whole content version: compress each (ETag, coding) once, so
# brotli can use its best (slowest) setting.
_packed: OrderedDict[tuple[str, str], bytes] = OrderedDict()
_packed_lock = Lock()
MAX_PACKED = 2048


def chosen_encoding(accept_encoding) -> str | None:
    """br if the client accepts it, else gzip, else nothing (q=0 means no)."""
    for coding in ("br", "gzip"):
        if accept_encoding[coding] > 0:
            return coding
    return None


def compress(response):
    """Compress text bodies once, keeping a distinct ETag per encoding so caches never mix them."""
    response.vary.add("Accept-Encoding")
    if (response.mimetype not in TEXT_TYPES or response.status_code != 200
            or "Content-Encoding" in response.headers or request.method == "HEAD"):
        return response
    coding = chosen_encoding(request.accept_encodings)
    if coding is None:
        return response
    etag, weak = response.get_etag()
    if etag and request.if_none_match.contains(f"{etag}-{coding}"):
        response.status_code, response.data = 304, b""  # the client has this encoding already
        response.set_etag(f"{etag}-{coding}", weak=weak)
        return response
    response.direct_passthrough = False  # static files are streamed; ours are small enough to read
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(packed_body(body, coding, etag))
    response.headers["Content-Encoding"] = coding
    if etag:
        response.set_etag(f"{etag}-{coding}", weak=weak)
    return response


def packed_body(body: bytes, coding: str, etag: str | None) -> bytes:
    """The compressed bytes, from memory when this ETag was compressed before."""
    key = (etag, coding) if etag else None
    if key:
        with _packed_lock:
            if key in _packed:
                _packed.move_to_end(key)
                return _packed[key]
    packed = brotli.compress(body, quality=11) if coding == "br" else gzip.compress(body, 6, mtime=0)
    if key:
        with _packed_lock:
            _packed[key] = packed
            while len(_packed) > MAX_PACKED:
                _packed.popitem(last=False)
    return packed
