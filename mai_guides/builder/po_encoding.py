"""A catalog's bytes as UTF-8 text, and one plain message naming what was wrong with them.

A volunteer's editor may save Latin-1 (Windows-1252), put a byte-order mark first, or end lines
with CRLF. Each is one mistake of the whole file, not one per line: it is reported once, named,
with how to fix it, and the file is read as well as it can be so that its other mistakes are
still found in the same run (the text is never published: the file must be fixed first).
"""
from __future__ import annotations

from pathlib import Path

from .po_check import SAVE_AS_UTF8, Problem

BOM = b"\xef\xbb\xbf"


def readable_text(path: Path, data: bytes) -> tuple[bytes, list[Problem]]:
    """The file as UTF-8 with LF line ends and no byte-order mark, and at most one problem
    naming every encoding mistake found (line numbers are unchanged)."""
    found, line = [], 1
    if data.startswith(BOM):
        data = data[len(BOM):]
        found.append("it starts with a byte-order mark (BOM), which gettext reads as a syntax error")
    if b"\r\n" in data:
        line = data[:data.index(b"\r\n")].count(b"\n") + 1 if not found else line
        data = data.replace(b"\r\n", b"\n")
        found.append("its lines end with CRLF (Windows line ends), which gettext tools rewrite or refuse")
    lines, latin = [], []
    for number, raw in enumerate(data.split(b"\n"), 1):
        try:
            raw.decode("utf-8")
            lines.append(raw)
        except UnicodeDecodeError:
            latin.append(number)
            lines.append(raw.decode("cp1252", errors="replace").encode("utf-8"))
    if latin:
        line = latin[0] if not found else line
        more = f" (and {len(latin) - 1} more line(s))" if len(latin) > 1 else ""
        found.append(f"line {latin[0]}{more} is Latin-1 (Windows-1252), not UTF-8")
    if not found:
        return data, []
    return b"\n".join(lines), [Problem(path, line, (
        f"the file's encoding is wrong: {'; '.join(found)}: {SAVE_AS_UTF8}, without BOM (\"UTF-8\", not "
        "\"UTF-8 with BOM\"), with Unix (LF) line ends; Poedit does all three"))]
