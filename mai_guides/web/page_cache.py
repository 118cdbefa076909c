"""Pages as build artifacts: served as the files the build kept, else rendered once and kept.

First, the kept files: a build writes every page, offline list and standard PDF into the release
(site_files.py), and the nginx front serves them itself. When such a request reaches the app, it
answers with the same file and the same headers (ETag from size and time, as nginx makes it), so
a reader gets the same answer from either, and never waits for a render.

Then, for a page the build did not keep:

Every page under /<lang>/ (search aside) is a pure function of the built database and the URL,
so the first GET of a path renders it through Flask as usual and keeps the finished response:
status line, headers (ETag, Cache-Control, Vary, the security headers) and body. Later requests
for the same path are answered here, in front of Flask, before any routing, template or
database work: that is what lets a guide page serve as fast as a bare Flask route.

Pages are kept per content coding (br, gzip, none: see compression.py), since the bytes differ.
What is kept: a GET with no query string whose answer is a 200 page (HTML, the API's JSON, an
Atom feed: root.PAGE_TYPES) or stylesheet marked
`Cache-Control: public` with an ETag (the marks cacheable_pages in root.py puts on pages).
Search (`no-store`), the `/` redirect (302, varies on Accept-Language), errors and PDFs are
never kept and always run per request.

A new build goes live by switching the release pointer (releases.py), so the database path names
a new file with a new inode: every
request compares the file's identity (one stat() call) with the one the cache was filled from,
and drops every kept page when it changed. Each worker keeps its own copy; a few hundred pages
of a few tens of kB each.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

from werkzeug.http import parse_accept_header, parse_etags

from ..pdf.documents import output_settings
from ..site_files import file_name, site_dir
from .compression import chosen_encoding
from .kept_files import headers as site_headers
from .kept_files import query_of, variant
from .root import PAGE_TYPES

KEPT_TYPES = (*PAGE_TYPES, "text/css")
MAX_PAGES = 5000  # far above the site's page count; a bound so memory cannot grow without end
# Headers a 304 repeats (RFC 9110 15.4.5) plus our security headers; never the body's length or type.
NOT_IN_304 = {"content-length", "content-type", "content-encoding"}
# Werkzeug stamps a Date on conditional answers; a kept one would go stale (gunicorn adds the right one).
NOT_KEPT = {"date"}


class Page:
    """One finished 200 answer, ready to send again."""

    __slots__ = ("headers", "body", "etag", "not_modified_headers")

    def __init__(self, headers: list[tuple[str, str]], body: bytes):
        self.headers = headers
        self.body = body
        self.etag = next(value for name, value in headers if name.lower() == "etag")
        self.not_modified_headers = [(n, v) for n, v in headers if n.lower() not in NOT_IN_304]


class PageCache:
    """WSGI middleware around the Flask app (app.wsgi_app), keyed by (database identity, path)."""

    def __init__(self, wsgi_app, database: str, settings=lambda: None):
        self.wsgi_app = wsgi_app
        self.database = database
        self.settings = settings  # () -> this app's output settings: the kept site must match them
        self.identity = None
        self.pages: dict[tuple[str | None, str], Page] = {}
        self.files: dict[tuple[str, int, int], bytes] = {}  # kept files read once
        self.site: Path | None = None
        self.lock = threading.Lock()  # gunicorn's threads share one worker's cache

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        if method not in ("GET", "HEAD"):
            return self.wsgi_app(environ, start_response)
        identity = self.current_identity()
        kept = self.kept_file(environ)
        if kept is not None:
            return self.send_kept(kept, environ, start_response, method)
        if environ.get("QUERY_STRING"):
            return self.wsgi_app(environ, start_response)
        # compression.py answers br, gzip or plain bytes by Accept-Encoding: one kept page per coding
        path = (content_coding(environ.get("HTTP_ACCEPT_ENCODING", "")),
                environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""))
        page = self.pages.get(path)
        if page is not None:
            return self.send(page, environ, start_response, method)
        if method != "GET":
            return self.wsgi_app(environ, start_response)
        return self.render(environ, start_response, identity, path)

    def current_identity(self):
        """The live database file's identity; a change (a new build) empties the cache."""
        try:
            stat = os.stat(self.database)
            identity = (stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size)
        except OSError:
            identity = None
        if identity != self.identity:
            with self.lock:
                if identity != self.identity:
                    self.pages = {}
                    self.site = site_dir(Path(self.database), self.settings())
                    self.identity = identity
        return identity

    def kept_file(self, environ) -> tuple[str, Path, str | None] | None:
        """(kept name, file to send, its coding) when the build kept this address."""
        if self.site is None:
            return None
        name = file_name(environ.get("PATH_INFO", ""), query_of(environ))
        if name is None:
            return None
        accepted = {coding for coding, quality in parse_accept_header(environ.get("HTTP_ACCEPT_ENCODING", ""))
                    if quality > 0}
        found = variant(self.site, name, accepted)
        return (name, *found) if found else None

    def send_kept(self, kept, environ, start_response, method: str):
        """A kept file with the headers nginx sends for it; 304 when the client has it."""
        name, path, coding = kept
        try:
            stat = path.stat()
            body = self.read(path, stat) if method == "GET" else b""
        except OSError:  # the release was pruned under us: the next request sees the new one
            return self.wsgi_app(environ, start_response)
        headers = site_headers(name, stat.st_size, stat.st_mtime, coding)
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match and parse_etags(if_none_match).contains_weak(dict(headers)["ETag"].strip('"')):
            start_response("304 NOT MODIFIED", [(n, v) for n, v in headers if n.lower() not in NOT_IN_304])
            return []
        start_response("200 OK", headers)
        return [body]

    def read(self, path: Path, stat) -> bytes:
        """A kept file's bytes, from memory after the first read of this version of it."""
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        body = self.files.get(key)
        if body is None:
            body = path.read_bytes()
            with self.lock:
                if len(self.files) > MAX_PAGES:
                    self.files.clear()
                self.files[key] = body
        return body

    def send(self, page: Page, environ, start_response, method: str):
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match and parse_etags(if_none_match).contains_weak(page.etag.removeprefix("W/").strip('"')):
            start_response("304 NOT MODIFIED", page.not_modified_headers)
            return []
        start_response("200 OK", page.headers)
        return [] if method == "HEAD" else [page.body]

    def render(self, environ, start_response, identity, path: tuple[str | None, str]):
        """Let Flask answer; keep the answer when it is a page."""
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        if identity is not None and keepable(captured["status"], captured["headers"]):
            with self.lock:
                # a build that went live during this render started a new cache: keep nothing
                if self.identity == identity and len(self.pages) < MAX_PAGES:
                    self.pages[path] = Page([(n, v) for n, v in captured["headers"] if n.lower() not in NOT_KEPT],
                                            body)
        return [body]


_codings: dict[str, str | None] = {}  # Accept-Encoding header -> coding; browsers send a handful


def content_coding(accept_encoding: str) -> str | None:
    """The coding compression.py will choose for this header (memoized: parsing costs more than a hit)."""
    coding = _codings.get(accept_encoding, "?")
    if coding == "?":
        coding = chosen_encoding(parse_accept_header(accept_encoding))
        if len(_codings) > 256:  # odd headers from odd clients must not grow memory
            _codings.clear()
        _codings[accept_encoding] = coding
    return coding


def keepable(status: str, headers: list[tuple[str, str]]) -> bool:
    if not status.startswith("200"):
        return False
    found = {name.lower(): value for name, value in headers}
    return (found.get("content-type", "").split(";")[0].strip() in KEPT_TYPES and "etag" in found
            and "public" in found.get("cache-control", "") and "set-cookie" not in found)


def init_app(app) -> None:
    """Wrap the Flask app last, so the kept answers carry every after_request header."""
    app.wsgi_app = PageCache(app.wsgi_app, app.config["MAI_DATABASE"], lambda: output_settings(app))
