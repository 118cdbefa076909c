"""English sources under content/ -> validated records (build side only)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .markup import Block, MarkupError, parse_blocks

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?)\n---\n", re.S)
# The longest source today is ~20 kB; anything near this limit is a mistake (a pasted PDF, a log).
MAX_SOURCE_BYTES = 256 * 1024


class ContentError(ValueError):
    """A content file that cannot be built; the message names the file and line."""

    def __init__(self, path: Path, line: int | None, message: str):
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")
        self.path, self.line = path, line


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Guide:
    slug: str
    path: Path
    title: str
    summary: str
    tags: tuple[str, ...]
    last_reviewed: dt.date
    sources: tuple[Source, ...]
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Card:
    slug: str
    path: Path
    title: str
    front: tuple[str, ...]
    card_only: frozenset[str]  # front lines about the card itself ("show this card"): not on the poster
    back_title: str
    back: tuple[str, ...]  # English only: addressed to the officer


@dataclass(frozen=True)
class NewsPost:
    slug: str
    path: Path
    title: str
    summary: str
    tags: tuple[str, ...]
    order: int  # among posts of the same date, lower first
    year: int  # when it was published: shown beside the post, so old news reads as old
    guides: tuple[str, ...]
    blocks: tuple[Block, ...]
    # Optional; an imported post (`flask mai news import`) has all four, a newsletter post none.
    date: str | None = None  # ISO 8601: "2024-03-05" or "2024-03-05T13:30:00Z" (UTC)
    source: str | None = None  # the original post's address
    source_name: str | None = None  # who published it first (the feed's title)
    author: str | None = None

    @property
    def sort_key(self) -> str:
        """Newest first: its date, or its year alone (after the dated posts of that year)."""
        return self.date or str(self.year)


@dataclass(frozen=True)
class Content:
    guides: tuple[Guide, ...]
    cards: tuple[Card, ...]
    news: tuple[NewsPost, ...]

    def files(self) -> list[Path]:
        return [item.path for item in (*self.guides, *self.cards, *self.news)]


def split_front_matter(path: Path) -> tuple[dict, str, int]:
    """Return (front matter, body, line number where the body starts)."""
    text = read_source(path)
    match = FRONT_MATTER.match(text)
    if not match:
        raise ContentError(path, 1, "the file must start with front matter between '---' lines")
    meta = _yaml(path, match["yaml"], line_offset=1)
    body_line = text[: match.end()].count("\n") + 1
    return meta, text[match.end():], body_line


def read_source(path: Path) -> str:
    """A source file's text; too large or not UTF-8 is a ContentError naming the file (and line)."""
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise ContentError(path, None, f"the file is {size:,} bytes; sources are limited to {MAX_SOURCE_BYTES:,}")
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ContentError(path, line, f"not valid UTF-8 (byte {data[exc.start]:#04x}); save the file as UTF-8") \
            from exc


def check_inside(root: Path, paths: list[Path]) -> list[Path]:
    """Refuse a source that is (or sits under) a symlink leading out of content/: a build must
    never publish a file from elsewhere on the machine."""
    inside = root.resolve()
    for path in paths:
        if not path.resolve().is_relative_to(inside):
            raise ContentError(path, None, f"links outside {root}; copy the file into {root} instead")
    return paths


def _sources(root: Path, folder: str, pattern: str) -> list[Path]:
    return check_inside(root, sorted((root / folder).glob(pattern)))


def _yaml(path: Path, text: str, line_offset: int = 0) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        raise ContentError(path, line, f"invalid YAML: {getattr(exc, 'problem', exc)}") from exc
    if not isinstance(data, dict):
        raise ContentError(path, 1, "expected a mapping of keys to values")
    return data


def _require(path: Path, meta: dict, key: str, kind: type):
    value = meta.get(key)
    if not isinstance(value, kind) or (isinstance(value, (str, list)) and not value):
        raise ContentError(path, None, f"front matter needs '{key}' ({kind.__name__})")
    return value


def _strings(path: Path, meta: dict, key: str) -> tuple[str, ...]:
    values = _require(path, meta, key, list)
    if not all(isinstance(v, str) and v.strip() for v in values):
        raise ContentError(path, None, f"every entry of '{key}' must be non-empty text")
    return tuple(v.strip() for v in values)


def _blocks(path: Path, body: str, first_line: int) -> tuple[Block, ...]:
    try:
        return tuple(parse_blocks(body, first_line))
    except MarkupError as exc:
        raise ContentError(path, exc.line, str(exc).split(": ", 1)[1]) from exc


def _slug(path: Path) -> str:
    slug = path.name.split(".")[0]
    if not SLUG.match(slug):
        raise ContentError(path, None, "file names are lowercase words joined by hyphens")
    return slug


def load_guide(path: Path) -> Guide:
    """Parse and check one guide."""
    meta, body, body_line = split_front_matter(path)
    reviewed = meta.get("last_reviewed")
    if not isinstance(reviewed, dt.date):
        raise ContentError(path, None, "front matter needs 'last_reviewed' as YYYY-MM-DD")
    sources = []
    for entry in _require(path, meta, "sources", list):
        if not (isinstance(entry, dict) and str(entry.get("url", "")).startswith("https://")):
            raise ContentError(path, None, "each source needs a title and an https:// url")
        sources.append(Source(str(entry.get("title") or entry["url"]), entry["url"]))
    return Guide(
        slug=_slug(path), path=path,
        title=_require(path, meta, "title", str).strip(),
        summary=_require(path, meta, "summary", str).strip(),
        tags=_strings(path, meta, "tags"), last_reviewed=reviewed, sources=tuple(sources),
        blocks=_blocks(path, body, body_line),
    )


def _front_lines(path: Path, meta: dict) -> tuple[tuple[str, ...], frozenset[str]]:
    """A card's front lines, and those marked `card_only` (a line is text, or {text, card_only})."""
    lines, card_only = [], set()
    for entry in _require(path, meta, "front", list):
        text = entry.get("text") if isinstance(entry, dict) else entry
        if not isinstance(text, str) or not text.strip():
            raise ContentError(path, None, "every front line is text, or 'text:' with 'card_only: true'")
        lines.append(text.strip())
        if isinstance(entry, dict) and entry.get("card_only") is True:
            card_only.add(text.strip())
    return tuple(lines), frozenset(card_only)


def load_card(path: Path) -> Card:
    """Parse and check one wallet card."""
    meta = _yaml(path, read_source(path))
    front, card_only = _front_lines(path, meta)
    return Card(
        slug=_slug(path), path=path,
        title=_require(path, meta, "title", str).strip(),
        front=front, card_only=card_only,
        back_title=_require(path, meta, "back_title", str).strip(),
        back=_strings(path, meta, "back"),
    )


def _news_date(path: Path, meta: dict) -> str | None:
    """The optional `date`: a day (2024-03-05) or an instant with its time zone, kept as ISO 8601 in UTC."""
    value = meta.get("date")
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ContentError(path, None, "'date' with a time needs its time zone, e.g. 2024-03-05T13:30:00Z")
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    raise ContentError(path, None, "'date' is YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ")


def _news_year(path: Path, meta: dict, date: str | None) -> int:
    """`year`, or the year of `date`; both given must agree."""
    year = meta.get("year", int(date[:4]) if date else None)
    if not isinstance(year, int) or not 1900 < year < 2100:
        raise ContentError(path, None, "front matter needs 'year', the year the post was published (e.g. 2017)")
    if date and int(date[:4]) != year:
        raise ContentError(path, None, f"'year' ({year}) is not the year of 'date' ({date})")
    return year


def _optional_text(path: Path, meta: dict, key: str) -> str | None:
    value = meta.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip() or "\n" in value.strip()):
        raise ContentError(path, None, f"'{key}' is one line of text")
    return value.strip() if value else None


def load_news(path: Path) -> NewsPost:
    """Parse and check one news post."""
    meta, body, body_line = split_front_matter(path)
    order = meta.get("order", 0)
    if not isinstance(order, int):
        raise ContentError(path, None, "'order' is a whole number")
    date = _news_date(path, meta)
    source = _optional_text(path, meta, "source")
    if source and not source.startswith(("https://", "http://")):
        raise ContentError(path, None, "'source' is the original post's http:// or https:// address")
    return NewsPost(
        slug=_slug(path), path=path,
        title=_require(path, meta, "title", str).strip(),
        summary=_require(path, meta, "summary", str).strip(),
        tags=_strings(path, meta, "tags"), order=order, year=_news_year(path, meta, date),
        guides=_strings(path, meta, "guides"),
        blocks=_blocks(path, body, body_line),
        date=date, source=source, source_name=_optional_text(path, meta, "source_name"),
        author=_optional_text(path, meta, "author"),
    )


def newest_first(news) -> tuple[NewsPost, ...]:
    """Newest first; posts of the same date (or year) by their `order`, then name."""
    ordered = sorted(news, key=lambda n: (n.order, n.slug))
    return tuple(sorted(ordered, key=lambda n: n.sort_key, reverse=True))


def load_content(root: Path) -> Content:
    """Load every source under root and check that cross-references resolve."""
    guides = tuple(load_guide(p) for p in _sources(root, "guides", "*.md"))
    cards = tuple(load_card(p) for p in _sources(root, "cards", "*.yaml"))
    news = tuple(load_news(p) for p in _sources(root, "news", "*.md"))
    guide_slugs = {g.slug for g in guides}
    if not guides:
        raise ContentError(root / "guides", None, "no guides found")
    for post in news:
        unknown = set(post.guides) - guide_slugs
        if unknown:
            raise ContentError(post.path, None, f"'guides' names unknown guides {sorted(unknown)}")
    for card in cards:
        if card.slug not in guide_slugs:
            raise ContentError(card.path, None, "a card needs a guide with the same slug")
    return Content(guides, cards, newest_first(news))
