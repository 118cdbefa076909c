"""Reading another site's feed for `news import`: its bytes, within limits, and refused whole
when it is not a complete, plain RSS or Atom document.

- A file, or an http(s) address fetched with a time-out on the whole transfer and a size limit
  (redirects only to http(s) addresses); nothing else is reached.
- Strictly well-formed XML, checked with expat before anything reads it: feedparser alone falls back
  to a lenient parser and returns whatever it could read of a file cut short.
- No entity declarations (`<!ENTITY`): feeds need none, and they are how an "XML bomb" expands a
  few bytes into gigabytes or reads a file of this machine into the text.
- Then feedparser reads RSS 2.0 (and 0.9x, 1.0) or Atom into entries (dates, authors, content
  types; relative links made absolute); anything else is refused.
"""
from __future__ import annotations

import time
import urllib.error
import urllib.request
from pathlib import Path
from xml.parsers import expat

import feedparser

MAX_FEED_BYTES = 5 * 1024 * 1024  # a busy site's feed is ~100 kB; this is far past any real one
TIMEOUT_SECONDS = 20.0
CHUNK = 64 * 1024
USER_AGENT = "MAI-Guides-news-import"
ACCEPT = "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"


class FeedError(ValueError):
    """A feed that cannot be imported; the message says which and why, and nothing was written."""


def is_url(location: str) -> bool:
    return location.lower().startswith(("http://", "https://"))


def read_location(location: str, timeout: float = TIMEOUT_SECONDS, limit: int = MAX_FEED_BYTES) -> tuple[bytes, str]:
    """The feed's bytes and the address relative links resolve against."""
    if is_url(location):
        return fetch(location, timeout, limit)
    path = Path(location)
    if not path.is_file():
        raise FeedError(f"{location}: no such file (give a file or an http:// or https:// address)")
    if path.stat().st_size > limit:
        raise FeedError(f"{location}: {path.stat().st_size:,} bytes; a feed is limited to {limit:,}")
    return path.read_bytes(), path.resolve().as_uri()


class HttpRedirectsOnly(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to another http(s) address."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not is_url(newurl):
            raise FeedError(f"{req.full_url}: redirects to {newurl!r}, which is not an http(s) address")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, timeout: float, limit: int) -> tuple[bytes, str]:
    """GET url within `timeout` seconds in all and `limit` bytes."""
    opener = urllib.request.build_opener(HttpRedirectsOnly)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": ACCEPT})
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            if response.headers.get("Content-Encoding", "identity") != "identity":
                raise FeedError(f"{url}: sent {response.headers['Content-Encoding']}-encoded, which was not asked for")
            chunks, size = [], 0
            while chunk := response.read(CHUNK):
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    raise FeedError(f"{url}: more than {limit:,} bytes; a feed is limited to {limit:,}")
                if time.monotonic() > deadline:
                    raise FeedError(f"{url}: did not finish within {timeout:g} seconds")
            return b"".join(chunks), response.geturl()
    except urllib.error.HTTPError as exc:
        raise FeedError(f"{url}: the server answered {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise FeedError(f"{url}: could not be read ({exc.reason})") from exc
    except TimeoutError as exc:
        raise FeedError(f"{url}: did not answer within {timeout:g} seconds") from exc
    except OSError as exc:
        raise FeedError(f"{url}: could not be read ({exc})") from exc


def check_xml(data: bytes, name: str) -> None:
    """Refuse what is not one whole, well-formed XML document, or declares entities."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse_entities(*_args):
        raise FeedError(f"{name}:{parser.CurrentLineNumber}: declares XML entities (<!ENTITY>); feeds need none, "
                        "and they can expand into gigabytes or read files of this machine: refused")

    parser.EntityDeclHandler = refuse_entities
    parser.UnparsedEntityDeclHandler = refuse_entities
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise FeedError(f"{name}:{exc.lineno}: not well-formed XML ({expat.ErrorString(exc.code)}): the feed is "
                        "cut short or broken, or it is not a feed") from exc


def parse_feed(data: bytes, base: str, name: str):
    """The feed, read by feedparser (which also sanitizes its HTML and makes its links absolute)."""
    check_xml(data, name)
    # The bytes are XML (checked above), whatever type a server named them. feedparser's own HTML
    # sanitizer is off: the content's (nh3, in html_markdown.py) cleans it, as it does everything.
    parsed = feedparser.parse(data, response_headers={"content-location": base, "content-type": "application/xml"},
                              sanitize_html=False)
    if parsed.bozo and not isinstance(parsed.bozo_exception, feedparser.CharacterEncodingOverride):
        raise FeedError(f"{name}: cannot be read as a feed ({parsed.bozo_exception})")
    if not parsed.version:
        raise FeedError(f"{name}: is XML but not an RSS or Atom feed")
    return parsed
