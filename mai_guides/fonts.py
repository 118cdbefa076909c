"""Which font family draws each locale, and proof that it has a glyph for every character.

One table serves the PDF stylesheet and the coverage check, so what is checked is what
is used. Fonts come from Debian's fonts-noto-core and fonts-noto-cjk, found through
fontconfig; nothing is downloaded.
"""
from __future__ import annotations

import subprocess
import unicodedata
from functools import lru_cache

from .registry import language_script

BASE_FAMILY = "Noto Sans"  # Latin, Cyrillic, Greek, digits; the last resort in every stack
# By script; Han needs the locale's own face: the same code point is drawn differently
# in Simplified Chinese, Traditional Chinese and Korean (and Japanese, fontconfig's default).
SCRIPT_FAMILIES = {
    "Hans": "Noto Sans CJK SC",
    "Hant": "Noto Sans CJK TC",
    "Kore": "Noto Sans CJK KR",
    "Arab": "Noto Naskh Arabic",
    "Deva": "Noto Sans Devanagari",
    "Beng": "Noto Sans Bengali",
    "Guru": "Noto Sans Gurmukhi",
    "Ethi": "Noto Sans Ethiopic",
}
# Urdu readers expect Nastaliq, not the Naskh style used for Arabic, Persian and Pashto.
LANGUAGE_FAMILIES = {"ur": "Noto Nastaliq Urdu"}


def families(locale_code: str) -> list[str]:
    """The font stack for a locale, most specific first, ending in Noto Sans."""
    language, script = language_script(locale_code)
    specific = LANGUAGE_FAMILIES.get(language) or SCRIPT_FAMILIES.get(script or "")
    return [specific, BASE_FAMILY] if specific else [BASE_FAMILY]


def css_stack(locale_code: str) -> str:
    return ", ".join(f'"{family}"' for family in families(locale_code))


@lru_cache(maxsize=None)
def font_file(family: str) -> tuple[str, int]:
    """(file, face index) that fontconfig gives for a family; error if it substitutes another."""
    out = subprocess.run(["fc-match", "-f", "%{family}|%{file}|%{index}", family],
                         capture_output=True, text=True, check=True).stdout
    names, path, index = out.rsplit("|", 2)
    if family not in names.split(","):
        raise LookupError(f"font family {family!r} is not installed (fontconfig offers {names!r}); "
                          "run `make deps`")
    return path, int(index)


@lru_cache(maxsize=None)
def codepoints(family: str) -> frozenset[int]:
    """Every code point the family's font maps to a glyph."""
    from fontTools.ttLib import TTFont

    path, index = font_file(family)
    font = TTFont(path, fontNumber=index, lazy=True)
    return frozenset(font.getBestCmap())


def needs_glyph(char: str) -> bool:
    """Whitespace and invisible format characters (bidi marks, ZWJ) draw nothing."""
    return not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf")


def uncovered(text: str, locale_code: str) -> set[str]:
    """Characters of text that no font of the locale's stack can draw."""
    covered = frozenset().union(*(codepoints(f) for f in families(locale_code)))
    return {c for c in set(text) if needs_glyph(c) and ord(c) not in covered}


def pdf_font_css(locale_codes) -> str:
    """:lang() rules giving each locale its stack, for the PDF stylesheet."""
    rules = [f"body, [lang=\"en\"] {{ font-family: {css_stack('en')}; }}"]
    for code in locale_codes:
        if families(code) != families("en"):
            rules.append(f":lang({code}) {{ font-family: {css_stack(code)}; }}")
    return "\n".join(rules)
