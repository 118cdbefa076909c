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
# On the web the reader's own system may lack Noto: after our face, the faces their phone or
# computer most likely has for the same script (never downloaded: fonts come from the device).
SYSTEM_FALLBACKS = {
    "Noto Sans": ["system-ui", "-apple-system", "Segoe UI", "Roboto"],
    "Noto Sans CJK SC": ["Source Han Sans SC", "PingFang SC", "Microsoft YaHei"],
    "Noto Sans CJK TC": ["Source Han Sans TC", "PingFang TC", "Microsoft JhengHei"],
    "Noto Sans CJK KR": ["Source Han Sans KR", "Apple SD Gothic Neo", "Malgun Gothic"],
    "Noto Naskh Arabic": ["Noto Sans Arabic", "Tahoma"],
    "Noto Nastaliq Urdu": ["Noto Naskh Arabic"],
}
# Nastaliq fonts have no Latin letters: without this alias a browser draws the English inside
# Urdu text in its default serif. Local fonts only, limited to Latin letters and the space.
LATIN_INSIDE = {"ur": "U+0020, U+0041-005A, U+0061-007A, U+00C0-024F"}


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


@lru_cache(maxsize=8)
def web_font_css(locale_codes: tuple[str, ...]) -> str:
    """:lang() font rules for the web stylesheet, from the same table as the PDFs' and the
    glyph check's, with each family's likely system fallbacks after it (written once per
    set of locales: /fonts.css is asked for on every first visit)."""
    rules = []
    for code in locale_codes:
        if code != "en" and families(code) == families("en"):
            continue  # inherits the root rule
        language = language_script(code)[0]
        stack = [f for family in families(code) for f in (family, *SYSTEM_FALLBACKS.get(family, ()))]
        if language in LATIN_INSIDE:
            alias = f"Latin in {language}"
            rules.append(f'@font-face {{ font-family: "{alias}"; src: local("{BASE_FAMILY}"), '
                         f'local("{BASE_FAMILY.replace(" ", "")}-Regular"); unicode-range: {LATIN_INSIDE[language]}; }}')
            stack.insert(0, alias)
        selector = f":lang({code})" if code != "en" else ':root, [lang="en"]'
        rules.append(f"{selector} {{ font-family: {', '.join(_css_family(f) for f in stack)}, sans-serif; }}")
    return "\n".join(rules) + "\n"


def _css_family(family: str) -> str:
    return family if family in ("system-ui", "-apple-system") else f'"{family}"'


def pdf_font_css(locale_codes) -> str:
    """:lang() rules giving each locale its stack, for the PDF stylesheet."""
    rules = [f"body, [lang=\"en\"] {{ font-family: {css_stack('en')}; }}"]
    for code in locale_codes:
        if families(code) != families("en"):
            rules.append(f":lang({code}) {{ font-family: {css_stack(code)}; }}")
    return "\n".join(rules)
