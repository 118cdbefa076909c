"""What a feed validator checks in an Atom document (RFC 4287's "MUST"s, and the W3C feed validator's
warnings a publisher should heed), read with lxml: a list of what is wrong, empty when nothing is."""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
RELS = {"alternate", "related", "self", "enclosure", "via"}
TEXT_TYPES = {"text", "html", "xhtml"}
SAFE_HTML = {"p", "em", "strong", "a", "ul", "ol", "li", "h2", "h3", "h4", "br", "span", "bdi", "code"}


def absolute_iri(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in ("urn", "tag", "mailto"))


def date_time(value: str | None) -> dt.datetime | None:
    if value is None or not RFC3339.match(value):
        return None
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def one(element, name: str, where: str, problems: list[str], required: bool = True):
    """The element's only child `name` (Atom allows one); a problem when there are more, or none."""
    found = element.findall(ATOM + name)
    if len(found) > 1:
        problems.append(f"{where}: {len(found)} atom:{name} (at most one)")
    if required and not found:
        problems.append(f"{where}: no atom:{name}")
    return found[0] if found else None


def check_text(element, where: str, problems: list[str]) -> None:
    """A text construct: a known type; HTML that parses and carries no script, style or handler."""
    kind = element.get("type", "text")
    if kind not in TEXT_TYPES:
        problems.append(f"{where}: type {kind!r}")
    if kind == "html":
        soup = BeautifulSoup(element.text or "", "html.parser")
        unsafe = {tag.name for tag in soup.find_all(True)} - SAFE_HTML
        handlers = [name for tag in soup.find_all(True) for name in tag.attrs if name.startswith("on")]
        if unsafe or handlers:
            problems.append(f"{where}: HTML with {sorted(unsafe) + handlers}")


def check_common(element, where: str, base: str | None, problems: list[str]) -> None:
    """id, title, updated, links: what a feed and an entry share."""
    ident = one(element, "id", where, problems)
    if ident is not None and not absolute_iri(ident.text or ""):
        problems.append(f"{where}: atom:id {ident.text!r} is not an absolute IRI")
    title = one(element, "title", where, problems)
    if title is not None:
        check_text(title, f"{where} title", problems)
    updated = one(element, "updated", where, problems)
    if updated is not None and date_time(updated.text) is None:
        problems.append(f"{where}: updated {updated.text!r} is not an RFC 3339 date-time")
    alternates = set()
    for link in element.findall(ATOM + "link"):
        rel = link.get("rel", "alternate")
        if rel not in RELS and not absolute_iri(rel):
            problems.append(f"{where}: link rel {rel!r}")
        if not link.get("href"):
            problems.append(f"{where}: link without href")
        elif base and not absolute_iri(link.get("href")):
            problems.append(f"{where}: link {link.get('href')!r} is relative though the site's address is known")
        if rel == "alternate":
            key = (link.get("type"), link.get("hreflang"))
            if key in alternates:
                problems.append(f"{where}: two alternate links of the same type and language")
            alternates.add(key)


def problems(document: bytes, base: str | None = None) -> list[str]:
    """Every rule the document breaks; `base`: the site's public address, when it has one."""
    found: list[str] = []
    feed = etree.fromstring(document)
    if feed.tag != ATOM + "feed":
        return [f"the root is {feed.tag}, not atom:feed"]
    lang = feed.get(XML_LANG)
    if not lang or not LANGUAGE_TAG.match(lang):
        found.append(f"feed: xml:lang {lang!r}")
    check_common(feed, "feed", base, found)
    if base and not any(link.get("rel") == "self" for link in feed.findall(ATOM + "link")):
        found.append("feed: no link rel=self (the feed validator asks for one)")
    feed_author = feed.find(ATOM + "author") is not None
    ids, newest = set(), None
    for number, entry in enumerate(feed.findall(ATOM + "entry"), 1):
        where = f"entry {number}"
        check_common(entry, where, base, found)
        ident = entry.findtext(ATOM + "id")
        if ident in ids:
            found.append(f"{where}: the id {ident!r} of another entry")
        ids.add(ident)
        if not feed_author and entry.find(ATOM + "author") is None:
            found.append(f"{where}: no author, and the feed has none")
        for author in entry.findall(ATOM + "author"):
            if not (author.findtext(ATOM + "name") or "").strip():
                found.append(f"{where}: an author without a name")
        content, summary = one(entry, "content", where, found, False), one(entry, "summary", where, found, False)
        for part in (content, summary):
            if part is not None:
                check_text(part, where, found)
        has_alternate = any(link.get("rel", "alternate") == "alternate" for link in entry.findall(ATOM + "link"))
        if content is None and not has_alternate:
            found.append(f"{where}: neither content nor an alternate link")
        published, updated = date_time(entry.findtext(ATOM + "published")), date_time(entry.findtext(ATOM + "updated"))
        if entry.find(ATOM + "published") is not None and published is None:
            found.append(f"{where}: published is not an RFC 3339 date-time")
        if published and updated and published > updated:
            found.append(f"{where}: published after updated")
        newest = max(filter(None, [newest, updated]), default=None)
    feed_updated = date_time(feed.findtext(ATOM + "updated"))
    if newest and feed_updated and feed_updated < newest:
        found.append("feed: updated is older than its newest entry")
    return found
