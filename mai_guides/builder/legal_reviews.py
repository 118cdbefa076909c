"""Legal reviews of the English text (`content/legal-reviews.toml`), build side.

A review is a record: who (a lawyer), in what role, what (one source file under content/ and the
SHA-256 of its bytes as they read it), and when. Any later edit of that file changes its hash and
voids the record, so no page claims a review of text that no lawyer has read; a guide without a
valid record says, in the reader's language, that no lawyer has checked it yet.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .content import ContentError

REVIEWS_FILE = "legal-reviews.toml"  # in content/
SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class LegalReview:
    source: str  # a path under content/, e.g. "guides/ice-encounters.md"
    sha256: str  # of that file's bytes when the lawyer read it
    reviewer: str
    role: str  # e.g. "immigration attorney, member of the California bar"
    date: dt.date

    def as_row(self) -> dict:
        """What a page shows: who, in what role, when."""
        return {"reviewer": self.reviewer, "role": self.role, "date": self.date.isoformat()}


def file_hash(path: Path) -> str:
    """The SHA-256 a record must carry for this file (`sha256sum` gives the same)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_reviews(content: Path) -> list[LegalReview]:
    """Every record of the file (none if there is no file); a malformed one is a ContentError."""
    path = content / REVIEWS_FILE
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ContentError(path, None, f"not valid TOML: {exc}") from exc
    return [_record(path, content, number, entry) for number, entry in enumerate(data.get("review", []), 1)]


def _record(path: Path, content: Path, number: int, entry) -> LegalReview:
    where = f"[[review]] number {number}"
    if not isinstance(entry, dict):
        raise ContentError(path, None, f"{where} must be a table")
    for key in ("source", "sha256", "reviewer", "role"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ContentError(path, None, f"{where} needs {key} = \"...\"")
    if not isinstance(entry.get("date"), dt.date) or isinstance(entry["date"], dt.datetime):
        raise ContentError(path, None, f"{where} needs date = YYYY-MM-DD (no quotes)")
    if not SHA256.match(entry["sha256"]):
        raise ContentError(path, None, f"{where}: sha256 is 64 lowercase hex digits (sha256sum content/{entry['source']})")
    source = content / entry["source"]
    if not source.resolve().is_relative_to(content.resolve()) or not source.is_file():
        raise ContentError(path, None, f"{where}: source {entry['source']!r} is not a file under {content}")
    return LegalReview(entry["source"], entry["sha256"], entry["reviewer"].strip(), entry["role"].strip(),
                       entry["date"])


def valid_reviews(content: Path, reviews: list[LegalReview]) -> dict[str, LegalReview]:
    """source -> its latest review whose hash matches the file as it is now."""
    valid: dict[str, LegalReview] = {}
    for review in sorted(reviews, key=lambda r: r.date):
        if file_hash(content / review.source) == review.sha256:
            valid[review.source] = review
    return valid


def guide_source(slug: str) -> str:
    """The path under content/ a guide's review names."""
    return f"guides/{slug}.md"
