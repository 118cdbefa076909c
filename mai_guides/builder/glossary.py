"""The legal-terms glossary: each locale's approved rendering of each key legal term (build side).

A warrant *signed by a judge* is not any warrant; "remain silent" and "I do not consent" are the
words a reader will say to an agent. `translations/glossary.toml` names, per term, how to find it
in the English text, and per locale the words a translation of that text must contain (one of
them; stems are fine where a language inflects). The build refuses a published translation whose
English has a term and whose text has none of that locale's approved words.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from .po_check import Problem  # one shape for every file:line problem the build reports

GLOSSARY = "glossary.toml"  # beside locales.toml in translations/


class GlossaryError(ValueError):
    """A glossary file that cannot be used; the message names the file."""


def _missing_file_message(path: Path) -> str:
    return f"{path}: the legal-terms glossary is missing (see README, 'Translating')"


@dataclass(frozen=True)
class Term:
    key: str
    english: re.Pattern  # finds the term in an English segment
    approved: dict[str, tuple[str, ...]]  # locale code -> approved renderings (any one will do), casefolded
    words: tuple[str, ...] = ()  # the English forms, as the glossary writes them
    shown: dict[str, tuple[str, ...]] = field(default_factory=dict)  # locale code -> approved renderings as the glossary writes them


def load_glossary(path: Path) -> list[Term]:
    """Read the glossary; a term without English patterns or a malformed entry is an error."""
    if not path.exists():
        raise GlossaryError(_missing_file_message(path))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GlossaryError(f"{path}: {exc}") from exc
    terms = data.get("terms", {})
    result = []
    for key, spec in terms.items():
        english = spec.get("english") if isinstance(spec, dict) else None
        if not english or not all(isinstance(e, str) and e for e in english):
            raise GlossaryError(f"{path}: [terms.{key}] needs english = [\"...\"]")
        pattern = re.compile("|".join(rf"\b{re.escape(e)}\b" for e in english), re.I)
        shown = _approved(path, data, key, fold=False)
        result.append(Term(key, pattern, _approved(path, data, key), tuple(english), shown))
    return result


def _approved(path: Path, data: dict, key: str, fold: bool = True) -> dict[str, tuple[str, ...]]:
    """locale -> its renderings of one term; an empty list (a new locale's section, to fill
    in) is no rendering yet: nothing is enforced for it, and the build warns."""
    approved = {}
    for code, table in data.get("locales", {}).items():
        words = table.get(key)
        if words is None:
            continue
        if isinstance(words, str):
            words = [words]
        if not all(isinstance(w, str) and w.strip() for w in words):
            raise GlossaryError(f"{path}: [locales.{code}] {key} must be text or a list of texts")
        if words:
            approved[code] = tuple(w.casefold() if fold else w for w in words)
    return approved


def glossary_problems(terms: list[Term], code: str, path: Path, catalog: Catalog) -> list[Problem]:
    """Every published entry of one content catalog that lacks an approved legal term."""
    problems = []
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        text = message.string.casefold()
        for term in terms:
            words = term.approved.get(code)
            if words is None or not term.english.search(message.id):
                continue
            if not any(word in text for word in words):
                problems.append(Problem(path, message.lineno, (
                    f"the English says '{term.english.search(message.id).group(0)}', but the translation "
                    f"does not use the approved term ({' / '.join(words)}); see translations/glossary.toml "
                    f"[locales.{code}] {term.key}")))
    return problems


def locales_missing(terms: list[Term], codes: list[str]) -> dict[str, list[str]]:
    """locale -> glossary terms it has no approved rendering for (every shipped locale needs all)."""
    missing = {}
    for code in codes:
        absent = [t.key for t in terms if code not in t.approved]
        if absent:
            missing[code] = absent
    return missing


NOTE = "Glossary: "  # the translator comment that carries a term's approved rendering


def glossary_notes(terms: list[Term], code: str, english: str) -> list[str]:
    """Translator comments for one entry: each glossary term its English holds, with this
    locale's approved rendering (or a request to add one), so Poedit and Weblate show it."""
    notes = []
    for term in terms:
        found = term.english.search(english)
        if found:
            words = term.shown.get(code)
            rendering = " / ".join(words) if words else f"(none yet: add it in translations/{GLOSSARY})"
            notes.append(f"{NOTE}{found.group(0)} = {rendering}")
    return notes


def empty_section(terms: list[Term], code: str) -> str:
    """The TOML a new locale's glossary starts with: every term, empty, to fill in."""
    lines = [f"\n[locales.{code}]  # fill in with a person who knows the language and US immigration law"]
    lines += [f"{term.key} = []  # {term.words[0]}" for term in terms]
    return "\n".join(lines) + "\n"


def empty_glossary_warnings(path: Path, terms: list[Term], codes: list[str]) -> list[Problem]:
    """A warning per locale whose glossary is not filled in: its legal terms are not enforced."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    warnings = []
    for code, absent in locales_missing(terms, codes).items():
        marker = f"[locales.{code}]"
        line = text[:text.index(marker)].count("\n") + 1 if marker in text else 1
        warnings.append(Problem(path, line, (
            f"warning: the glossary of '{code}' has no approved rendering for {len(absent)} of {len(terms)} "
            f"legal terms ({', '.join(absent[:4])}{', ...' if len(absent) > 4 else ''}): until they are filled "
            "in, translations of those terms are not checked")))
    return warnings
