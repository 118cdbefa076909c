"""Words as search compares them: case and accents folded, then cut to their stem where Snowball
has the language (abogado, abogada, abogados -> "abog"). The build indexes these forms and the
search page looks them up and marks them the same way, so what is found is what is marked.

Readers type without accents ("deportacion") and in another word form than the guide uses
("abogada"); SQLite's FTS5 folds accents of Latin letters itself but stems only English, so the
build stores a stemmed copy of each document (PyStemmer: the Snowball algorithms, compiled)."""
from __future__ import annotations

import re
import threading
import unicodedata

import Stemmer

# Snowball algorithm per language subtag of the shipped locales (others: folding only).
SNOWBALL = {"ar": "arabic", "en": "english", "es": "spanish", "fa": "persian", "fr": "french",
            "hi": "hindi", "pt": "portuguese", "ru": "russian"}
MIN_PREFIX = 3  # shorter words match whole: "a"* would expand to every word in the index


def _mark_class() -> str:
    """Every combining mark of the first two planes (every living script), as a regex class body:
    Devanagari vowel signs, Arabic harakat and Latin accents belong to the word they sit on
    (Python's \\w leaves them out)."""
    marks = [c for c in range(0x20000) if unicodedata.category(chr(c)) in ("Mn", "Mc", "Me")]
    ranges, start = [], marks[0]
    for previous, current in zip(marks, marks[1:] + [None], strict=True):
        if current != previous + 1:
            ranges.append(f"\\U{start:08x}-\\U{previous:08x}")
            start = current
    return "".join(ranges)


WORD = re.compile(rf"[^\W_](?:[^\W_]|[{_mark_class()}])*")
_local = threading.local()  # a Snowball stemmer is not safe to share between threads


def stemmer_for(locale: str):
    """The Snowball stemmer of a locale's language, or None where there is none."""
    algorithm = SNOWBALL.get(locale.split("-")[0].lower())
    if algorithm is None:
        return None
    stemmers = _local.__dict__.setdefault("stemmers", {})
    if algorithm not in stemmers:
        stemmers[algorithm] = Stemmer.Stemmer(algorithm)
    return stemmers[algorithm]


def is_latin(char: str) -> bool:
    return char < "\u0250" or "\u1e00" <= char <= "\u1eff"


def fold(word: str) -> str:
    """Lower case, and Latin letters without their accents (é -> e, ñ -> n, ệ -> e), as FTS5's
    remove_diacritics does; marks of other scripts stay (Cyrillic й is not и)."""
    kept: list[str] = []
    for char in unicodedata.normalize("NFD", word.casefold()):
        if unicodedata.combining(char) and kept and is_latin(kept[-1]):
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def key(word: str, locale: str) -> str:
    """The form search compares: folded, then stemmed where the language has a stemmer."""
    folded = fold(word)
    stemmer = stemmer_for(locale)
    return stemmer.stemWord(folded) if stemmer else folded


def words(text: str) -> list[str]:
    return WORD.findall(text)


def stemmed_text(text: str, locale: str) -> str:
    """The document as the index's stem column holds it (empty for languages without a stemmer)."""
    if stemmer_for(locale) is None:
        return ""
    return " ".join(key(word, locale) for word in words(text))


class Matcher:
    """Finds the searched words in a text as the index did: same spelling ignoring case and
    accents, a word that begins with one typed (three letters or more), or the same stem."""

    def __init__(self, terms: list[str], locale: str):
        self.locale = locale
        self.folded = [fold(t) for t in terms]
        self.keys = {key(t, locale) for t in terms} if stemmer_for(locale) else set()

    def hits(self, word: str) -> bool:
        folded = fold(word)
        if any(folded.startswith(t) if len(t) >= MIN_PREFIX else folded == t for t in self.folded):
            return True
        return bool(self.keys) and key(word, self.locale) in self.keys

    def spans(self, text: str):
        """(start, end) of each word of `text` that matches, in order."""
        for found in WORD.finditer(text):
            if self.hits(found.group(0)):
                yield found.span()
