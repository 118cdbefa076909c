"""Review marks: a person's check of one catalog entry, kept in the entry's translator comment.

    # reviewed: Ana López, community translator, 2026-12-08, 3f2a9c1b7e4d

A translator comment (`# `) is the part of an entry that every gettext tool keeps as it is:
GNU msgmerge and Babel's update (`flask mai i18n update`) carry it to the merged entry, Poedit
shows it in its comment pane and writes it back, Weblate keeps it and shows it as a file
comment. It travels with the file (a volunteer without git sends the file back with its marks).
The last field is a hash of the entry's context, English and translation: when either text
changes (in any tool) the mark no longer matches and the entry is a machine draft again;
`i18n update` then drops the stale comment.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

PREFIX = "reviewed: "
MARK = re.compile(r"^reviewed: (?P<name>[^,]+), (?P<role>.+), (?P<date>\d{4}-\d{2}-\d{2}), (?P<hash>[0-9a-f]{12})$")


@dataclass(frozen=True)
class Review:
    name: str
    role: str
    date: str  # YYYY-MM-DD

    def as_row(self) -> dict:
        return {"name": self.name, "role": self.role, "date": self.date}


def _texts(value) -> tuple[str, ...]:
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return (value or "",)


def entry_hash(message) -> str:
    """12 hex digits of SHA-256 over msgctxt, msgid (and plural) and every msgstr form."""
    parts = [message.context or "", *_texts(message.id), "\x00", *_texts(message.string)]
    return hashlib.sha256("\x04".join(parts).encode("utf-8")).hexdigest()[:12]


def can_review(message) -> bool:
    """Only a published translation can be reviewed: translated in every form and not fuzzy."""
    return bool(message.id) and all(_texts(message.string)) and not message.fuzzy


def review_of(message) -> Review | None:
    """The entry's review while it still matches the texts a person checked, else None."""
    if not can_review(message):
        return None
    for comment in message.user_comments:
        match = MARK.match(comment)
        if match and match["hash"] == entry_hash(message):
            return Review(match["name"].strip(), match["role"].strip(), match["date"])
    return None


def mark(message, name: str, role: str, date: str) -> bool:
    """Record a review on the entry (replacing an older mark); False if it cannot be reviewed."""
    if not can_review(message):
        return False
    kept = [c for c in message.user_comments if not c.startswith(PREFIX)]
    message.user_comments = [*kept, f"{PREFIX}{name}, {role}, {date}, {entry_hash(message)}"]
    return True


def has_stale_mark(message) -> bool:
    """A review mark on the entry that no longer matches it (its English or translation changed,
    or it turned fuzzy): `i18n update` will drop it."""
    current = entry_hash(message) if can_review(message) else None
    return any(not ((match := MARK.match(c)) and match["hash"] == current)
               for c in message.user_comments if c.startswith(PREFIX))


def drop_stale(catalog) -> int:
    """Remove review marks whose texts changed since (or whose entry turned fuzzy), keeping the
    newest valid one; how many were removed."""
    dropped = 0
    for message in catalog:
        marks = [c for c in message.user_comments if c.startswith(PREFIX)]
        if not marks:
            continue
        current = entry_hash(message) if can_review(message) else None
        keep = [c for c in marks if (match := MARK.match(c)) and match["hash"] == current][-1:]
        dropped += len(marks) - len(keep)
        message.user_comments = [c for c in message.user_comments if not c.startswith(PREFIX)] + keep
    return dropped


def reviews(catalog) -> dict[str, Review]:
    """msgid -> its valid review, for every reviewed entry of a catalog (plural entries by their
    singular)."""
    found = {}
    for message in catalog:
        review = review_of(message)
        if review:
            found[_texts(message.id)[0]] = review
    return found


def check_reviewer(name: str, role: str) -> None:
    """A name and role that fit the mark: no comma in the name (it ends the name), no line breaks."""
    if not name.strip() or not role.strip():
        raise ValueError("give the reviewer's name (--by) and role (--role)")
    if "," in name:
        raise ValueError(f"the name {name!r} has a comma; write it without one (e.g. 'Ana López')")
    if any(c in name + role for c in "\r\n"):
        raise ValueError("the name and role must be on one line")


def guide_sections(content, root) -> dict[str, set[tuple[str, str]]]:
    """msgid -> the (source file, section anchor) pairs it appears in, for `i18n review --section`:
    a guide's title and summary are in section "title", text before its first heading in "intro"."""
    where: dict[str, set[tuple[str, str]]] = {}
    for guide in content.guides:
        path = str(guide.path.relative_to(root))
        where.setdefault(guide.title, set()).add((path, "title"))
        where.setdefault(guide.summary, set()).add((path, "title"))
        anchor = "intro"
        for block in guide.blocks:
            if block.kind == "heading" and block.level == 2:
                anchor = block.anchor
            for segment in block.segments:
                where.setdefault(segment, set()).add((path, anchor))
    return where


def select(template, files=(), sections=(), msgids=(), section_map=None) -> set:
    """Keys (msgid, context) of the template's entries that every given selector matches: in one of
    the files, in one of the guide sections (anchors), one of the English texts."""
    chosen = set()
    for message in template:
        if not message.id:
            continue
        msgid = _texts(message.id)[0]
        paths = {location for location, _line in message.locations}
        if files and not paths & set(files):
            continue
        if msgids and msgid not in msgids:
            continue
        if sections:
            places = (section_map or {}).get(msgid, set())
            if not any(anchor in sections and (not files or path in files) for path, anchor in places):
                continue
        chosen.add((message.id, message.context))
    return chosen
