"""`flask mai news import FILE_OR_URL`: the entries of an RSS or Atom feed as posts in content/news/.

Each entry becomes one Markdown file like the hand-written posts, with its title, a summary, its
date (`date`, in UTC), the link to the original (`source`), who published it (`source_name`, the
feed's title) and its author; its HTML becomes the content Markdown (html_markdown.py says what
survives). Every post is converted and read back by the content loader before anything is
written, so a feed with one bad entry imports nothing. Then:

- an entry already imported (a post with the same `source`) is skipped, or rewritten with `--replace`;
- an entry whose file name is taken by another post gets a free name (`-2`, `-3`), and says so;
- all files are written beside their place and renamed into it, and if any cannot be, those
  already written by this import are removed again (and any post it replaced put back).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

import nh3
import yaml

from ..files import atomic_write
from .content import MAX_SOURCE_BYTES, ContentError, load_news, split_front_matter
from .feed_reading import FeedError, parse_feed, read_location
from .html_markdown import plain_to_markdown, to_markdown
from .markup import parse_blocks, plain_text

MAX_ENTRIES = 500
MAX_TITLE = 300  # characters; a longer "title" is a body pasted in the wrong place, or an attack
SUMMARY_LENGTH = 280
DEFAULT_TAG = "news"
# Characters that have no place in a title or name: controls, and the bidi overrides that can
# make text read in another order than it is stored.
INVISIBLE = re.compile("[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]")
SPACE = re.compile(r"\s+")
NOT_SLUG = re.compile(r"[^a-z0-9]+")
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Post:
    """One entry as a content file."""

    slug: str
    source: str
    title: str
    text: str


@dataclass
class Plan:
    """What an import does: files to write (new or replacing), and entries it leaves alone."""

    feed_title: str
    writes: list[tuple[Path, Post]] = field(default_factory=list)
    replaced: list[Path] = field(default_factory=list)
    renamed: list[tuple[str, Path]] = field(default_factory=list)  # (name it wanted, file it got)
    skipped: list[Path] = field(default_factory=list)


def one_line(text: str) -> str:
    return SPACE.sub(" ", INVISIBLE.sub("", text)).strip()


def plain(value: str) -> str:
    """A feed's text field as plain text on one line. Read as HTML whatever its declared type (RSS
    titles are HTML in practice, and a tag in a title is never meant to be shown): tags are dropped,
    scripts and styles with their content, and entities read."""
    return one_line(unescape(nh3.clean(value, tags=set(), clean_content_tags={"script", "style"})))


def shortened(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """At most `limit` characters, cut at a word."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def first_paragraph(markdown: str) -> str:
    """The words of a post's first paragraph (its summary, when the feed's own is an excerpt that
    ends in "Continue reading")."""
    for block in parse_blocks(markdown):
        if block.kind != "heading":
            return one_line(unescape(plain_text(block.segments[0])))
    return ""


def first_sentence(text: str) -> str:
    """A title for an entry without one (a Mastodon post): its first sentence, or its first words."""
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return sentence if len(sentence) <= 100 else shortened(text, 80)


def slug_for(title: str, link: str) -> str:
    """A file name from the title's Latin letters; a title with none is named from its link."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    slug = NOT_SLUG.sub("-", ascii_title).strip("-")
    if len(slug) > 60:
        slug = slug[:61].rsplit("-", 1)[0]  # whole words
    return slug or f"post-{hashlib.sha256(link.encode()).hexdigest()[:10]}"


def entry_date(entry, where: str) -> dt.datetime:
    """When the entry was published (or else last updated), in UTC."""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        raise FeedError(f"{where} has no date that can be read (RSS pubDate, Atom published or updated)")
    return dt.datetime(*parsed[:6], tzinfo=dt.timezone.utc)


def entry_body(entry) -> str:
    """The entry's text as content Markdown: its full content if it has one, else its summary."""
    details = entry.get("content") or ([entry["summary_detail"]] if entry.get("summary_detail") else [])
    details = sorted(details, key=lambda d: d.get("type") not in HTML_TYPES)  # HTML first: it has the structure
    if not details:
        return ""
    detail = details[0]
    return to_markdown(detail["value"]) if detail.get("type") in HTML_TYPES else plain_to_markdown(detail["value"])


def entry_post(entry, number: int, feed_title: str, guides: tuple[str, ...]) -> Post:
    """One entry as a content file; FeedError names the entry when it cannot be one."""
    where = f"entry {number}"
    link = entry.get("link", "")
    if not link.lower().startswith(("https://", "http://")):
        raise FeedError(f"{where} has no http(s) link to its original, which an imported post keeps")
    raw_title = entry.get("title_detail", {}).get("value", "")
    if len(raw_title) > MAX_TITLE * 10:
        raise FeedError(f"{where}: its title is {len(raw_title):,} characters; refused")
    title = plain(raw_title)
    where = f"entry {number} ({shortened(title or link, 60)!r})"
    if len(title) > MAX_TITLE:
        raise FeedError(f"{where}: its title is {len(title):,} characters; a title is at most {MAX_TITLE}")
    body = entry_body(entry)
    words = first_paragraph(body) if entry.get("content") else plain(entry.get("summary", ""))
    summary = shortened(words or title)
    title = title or first_sentence(words)
    if not title:
        raise FeedError(f"{where} has neither a title nor any text")
    when = entry_date(entry, where)
    author = entry.get("author_detail", {}).get("name") or entry.get("author", "")
    tags = list(dict.fromkeys(t for t in (NOT_SLUG.sub("-", plain(tag.get("term") or "").lower()).strip("-")
                                          for tag in entry.get("tags", [])) if t))[:8]
    meta = {"title": title, "summary": summary, "date": when, "year": when.year, "tags": tags or [DEFAULT_TAG],
            "guides": list(guides), "source": link, "source_name": feed_title or None,
            "author": plain(author) or None}
    return Post(slug_for(title, link), link, title, front_matter(meta) + body + "\n")


def front_matter(meta: dict) -> str:
    """The post's front matter, title first (the catalogs point translators at line 2)."""
    lines = ["---"]
    for key, value in meta.items():
        if value is None:
            continue
        if isinstance(value, dt.datetime):
            lines.append(f"{key}: {value.strftime('%Y-%m-%dT%H:%M:%SZ')}")
        else:
            dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1 << 20)
            lines.append(f"{key}: {dumped.removesuffix(chr(10)).removesuffix(chr(10) + '...')}")
    return "\n".join(lines) + "\n---\n\n"


def existing_sources(news_dir: Path) -> dict[str, Path]:
    """The original address of every post already imported -> its file."""
    found = {}
    for path in sorted(news_dir.glob("*.md")):
        meta = split_front_matter(path)[0]
        if isinstance(meta.get("source"), str):
            found[meta["source"]] = path
    return found


def check(post: Post, where: str) -> None:
    """Read the post back as the build will, from a file of its own (its size, front matter, blocks)."""
    if len(post.text.encode()) > MAX_SOURCE_BYTES:
        raise FeedError(f"{where}: {len(post.text.encode()):,} bytes as a post; posts are limited to "
                        f"{MAX_SOURCE_BYTES:,}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{post.slug}.md"
        path.write_text(post.text, encoding="utf-8")
        try:
            load_news(path)
        except ContentError as exc:
            raise FeedError(f"{where}: would not build: {str(exc).split(': ', 1)[1]}") from exc


def plan_import(parsed, news_dir: Path, guides: tuple[str, ...], replace: bool) -> Plan:
    """Every entry converted and checked, and where each goes; nothing written yet."""
    feed_title = plain(parsed.feed.get("title", ""))
    if len(parsed.entries) > MAX_ENTRIES:
        raise FeedError(f"the feed has {len(parsed.entries):,} entries; an import takes at most {MAX_ENTRIES}")
    plan, sources = Plan(feed_title), existing_sources(news_dir)
    taken = {path.stem for path in news_dir.glob("*.md")}
    for number, entry in enumerate(parsed.entries, 1):
        post = entry_post(entry, number, shortened(feed_title, 120), guides)
        check(post, f"entry {number} ({shortened(post.title, 60)!r})")
        if post.source in sources:
            if replace:
                plan.writes.append((sources[post.source], post))
                plan.replaced.append(sources[post.source])
            else:
                plan.skipped.append(sources[post.source])
            continue
        name, n = post.slug, 2
        while name in taken:
            name, n = f"{post.slug}-{n}", n + 1
        taken.add(name)
        sources[post.source] = news_dir / f"{name}.md"
        if name != post.slug:
            plan.renamed.append((post.slug, news_dir / f"{name}.md"))
        plan.writes.append((news_dir / f"{name}.md", post))
    return plan


def write(plan: Plan) -> None:
    """Write every file of the plan, or none: a failure removes what this import wrote."""
    originals = {path: path.read_bytes() for path, _post in plan.writes if path.exists()}
    written: list[Path] = []
    try:
        for path, post in plan.writes:
            atomic_write(path, post.text.encode("utf-8"))
            written.append(path)
    except BaseException:
        for path in written:
            if path in originals:
                atomic_write(path, originals[path])
            else:
                path.unlink(missing_ok=True)
        raise
    if written:
        directory = os.open(written[0].parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # the renames themselves reach the disk
        finally:
            os.close(directory)


def import_news(location: str, news_dir: Path, guides: tuple[str, ...], replace: bool = False,
                dry_run: bool = False, timeout: float | None = None) -> Plan:
    """Read, convert and check the whole feed, then write its posts (unless dry_run)."""
    data, base = read_location(location, **({"timeout": timeout} if timeout else {}))
    plan = plan_import(parse_feed(data, base, location), news_dir, guides, replace)
    if not dry_run:
        write(plan)
    return plan
