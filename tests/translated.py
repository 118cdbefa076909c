"""What a locale's catalog says for an English text, to find it on a page or in a PDF."""
from __future__ import annotations

from functools import lru_cache

import polib
from support import po_file

from mai_guides import ROOT


@lru_cache(maxsize=None)
def _catalog(code: str, domain: str) -> polib.POFile:
    return polib.pofile(str(po_file(ROOT, code, domain)))


def translated(code: str, domain: str, msgid: str) -> str:
    """The published (non-fuzzy) translation, whitespace collapsed; fails if there is none."""
    entry = _catalog(code, domain).find(msgid)
    assert entry is not None and entry.msgstr and "fuzzy" not in entry.flags, f"{code} has no {msgid!r}"
    return " ".join(entry.msgstr.split())
