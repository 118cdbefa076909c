"""Strict catalog checks, as strict as GNU gettext, in words a volunteer translator understands.

Every problem of every file is collected (never only the first), each with file:line, what is
wrong and how to fix it. GNU msgfmt (`--check --check-format`) is the reference: what it refuses,
Poedit, Weblate and every gettext tool refuse too; Babel alone silently drops the last character
of an unterminated string. Our own rules (Markdown, placeholders, headers) run on top.
"""
from __future__ import annotations

import gettext
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural

from ..registry import LocaleInfo

MSGFMT = "msgfmt"
SAVE_AS_UTF8 = ("save the file as UTF-8 (Poedit always does; in a text editor choose the "
                "'UTF-8' encoding when saving)")


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ToolMissing(RuntimeError):
    """msgfmt is not installed: the check cannot be as strict as promised, so it fails."""


# msgfmt's own words -> what is wrong and how to fix it, in plain words.
PLAIN_WORDS: list[tuple[re.Pattern, str]] = [(re.compile(p), m) for p, m in [
    (r"end-of-(line|file) within string",
     'a text in quotes is not closed: add the missing " at the end of the line'),
    (r"duplicate message definition",
     "this English text has two entries in the file: delete one of them (keep the better translation){first}"),
    (r"invalid multibyte sequence|invalid control sequence|not a valid .*charset",
     f"this line has characters that are not UTF-8: {SAVE_AS_UTF8}"),
    (r"missing .msgstr. section",
     'an entry has a msgid but no msgstr: add a line msgstr "" (empty) or with your translation'),
    (r"missing .msgid. section|missing .msgstr\[\]. section",
     "an entry is incomplete: each entry is a msgid line followed by a msgstr line; compare with the "
     "entries around it"),
    (r"both begin with|both end with",
     "the English begins or ends with a line break and the translation does not (or the other way "
     "round): make the translation begin and end like the English"),
    (r"format specification|is not a valid Python format string|number of format specifications",
     "a placeholder such as %(date)s or {name} differs from the English: copy every placeholder "
     "exactly as the English has it (write a literal percent sign as %%)"),
    (r"header field .(\S+). missing|header field .(\S+). still has the initial default value",
     "the file's header (the first entry, with an empty msgid) lacks or has a placeholder value for "
     "a line: copy that line from another language's file and adapt it"),
    (r"plural|nplurals",
     "the Plural-Forms line in the header or a plural entry is wrong: copy the Plural-Forms line from "
     "translations/locales.toml or from CLDR's rule for the language, and give each plural form"),
    (r"syntax error|keyword .* unknown|parse error",
     'this line is not valid gettext: each entry is msgid "..." then msgstr "...", with every text in '
     "straight double quotes; compare with the entries around it"),
]]
LOCATION = re.compile(r"^(?P<path>.+?):(?P<line>\d+)(?::\d+)?: (?P<message>.*)$")


def require_msgfmt() -> None:
    if shutil.which(MSGFMT) is None:
        raise ToolMissing("GNU gettext's msgfmt is not installed: install the Debian package 'gettext' "
                          "(make deps); catalogs cannot be checked without it")


def msgfmt_problems(path: Path, data: bytes | None = None) -> list[Problem]:
    """What GNU msgfmt --check --check-format finds, each in plain words. `data` is the file's
    text to check (already made UTF-8, see po_encoding); problems still name `path`."""
    require_msgfmt()
    with tempfile.TemporaryDirectory(prefix="mai-po-") as folder:
        copy = Path(folder) / path.name
        copy.write_bytes(path.read_bytes() if data is None else data)
        result = subprocess.run([MSGFMT, "--check", "--check-format", "-o", "/dev/null", str(copy)],
                                capture_output=True, text=True, errors="replace", env={"LC_ALL": "C"})
    if result.returncode == 0:
        return []
    return parse_msgfmt(path, result.stderr.replace(str(copy), str(path)))


PARSE_ERRORS = re.compile(r"not closed|not valid gettext|two entries|incomplete|no msgstr|gettext cannot read")


def recovering_problems(path: Path, data: bytes, rounds: int = 5) -> tuple[list[Problem], bytes]:
    """msgfmt's problems across the whole file: msgfmt stops checking formats and plural forms at
    the first entry it cannot parse, so each broken entry is blanked (lines kept, so numbers stay)
    and the rest checked again. Returns the problems and the text without the broken entries."""
    problems: list[Problem] = []
    for _round in range(rounds):
        reported = {p.line for p in problems}
        found = [p for p in msgfmt_problems(path, data) if p.line not in reported]
        problems += found
        broken = [p.line for p in found if PARSE_ERRORS.search(p.message)]
        if not broken:
            break
        data = blank_entries(data, broken)
    return problems, data


def entry_span(lines: list, line: int) -> tuple[int, int]:
    """The 1-based first and last line of the entry (block of non-blank lines) holding `line`."""
    first = last = min(max(line, 1), len(lines))
    while first > 1 and lines[first - 2].strip():
        first -= 1
    while last < len(lines) and lines[last].strip():
        last += 1
    return first, last


def blank_entries(data: bytes, lines_in: list[int]) -> bytes:
    lines = data.split(b"\n")
    for line in lines_in:
        first, last = entry_span(lines, line)
        if first == 1 or lines[first - 1].startswith(b'msgid ""'):
            continue  # the header: without it nothing else could be checked
        for number in range(first, last + 1):
            lines[number - 1] = b""
    return b"\n".join(lines)


def one_per_entry(problems: list[Problem], data: bytes) -> list[Problem]:
    """One report per mistake: gettext and our own checks may both see a placeholder (or a plural
    form) in one entry, at its msgid and at its msgstr line; keep the first."""
    lines, seen, kept = data.split(b"\n"), set(), []
    for problem in sorted(problems, key=lambda p: (str(p.path), p.line)):
        kind = next((k for k in ("placeholder", "plural") if k in problem.message.lower()), problem.message)
        key = (entry_span(lines, problem.line)[0], kind)
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return kept


def parse_msgfmt(path: Path, stderr: str) -> list[Problem]:
    problems: list[Problem] = []
    for raw in stderr.splitlines():
        match = LOCATION.match(raw)
        if not match:
            continue  # the closing "found N fatal errors"
        line, said = int(match["line"]), match["message"]
        if said.startswith("warning:"):
            continue  # e.g. a PO-Revision-Date left at its template value: msgfmt itself accepts it
        if said.startswith("...this is the location of the first definition"):
            if problems:
                last = problems[-1]
                problems[-1] = Problem(last.path, last.line, last.message.replace("{first}", f"; the other is at line {line}"))
            continue
        if said.startswith("...but some messages have"):
            # msgfmt names the header first ("nplurals = 3...") and the entry second: the
            # mistake is in the entry, so that is the line to report
            wanted = re.search(r"nplurals = (\d+)", problems.pop().message) if problems and "nplurals" in \
                problems[-1].message else None
            has = re.search(r"(\d+|one) plural form", said)
            problems.append(Problem(path, line, (
                f"this plural entry has {has[1] if has else 'a different number of'} form(s), but the header's "
                f"Plural-Forms line says {wanted[1] if wanted else 'another number'}: give every form, msgstr[0], "
                "msgstr[1], ... (Poedit and Weblate show one box per form)")))
            continue
        if "end-of-line within string" in said:
            line -= 1  # msgfmt counts the line after the one missing its closing quote
        problems.append(Problem(path, line, plain_words(said)))
    return merge_cascades([Problem(p.path, p.line, p.message.replace("{first}", "")) for p in problems])


def merge_cascades(problems: list[Problem]) -> list[Problem]:
    """One mistake, one report: msgfmt often says several things about one broken line (a
    misspelt keyword is also a 'syntax error' and leaves the entry above 'without msgstr')."""
    lines = {p.line for p in problems}
    merged: list[Problem] = []
    for problem in problems:
        if any(p.line == problem.line for p in merged):
            continue
        if "no msgstr" in problem.message and problem.line + 1 in lines:
            continue
        merged.append(problem)
    return merged


def plain_words(said: str) -> str:
    for pattern, message in PLAIN_WORDS:
        if pattern.search(said):
            return f"{message} (gettext says: {said.strip()})"
    return f"gettext cannot read this: {said.strip()}; compare this entry with the ones around it"


def header_problems(path: Path, catalog: Catalog, info: LocaleInfo) -> list[Problem]:
    """Language, charset and Plural-Forms: what Poedit and Weblate rely on, checked against the registry."""
    headers = dict(catalog.mime_headers)
    problems = []
    line = _header_line(path)
    if headers.get("Language") != info.gettext_code:
        problems.append(Problem(path, line, f"the header says Language: {headers.get('Language') or '(none)'}, but "
                                f"this is the folder of '{info.gettext_code}': set the Language line to "
                                f"{info.gettext_code}"))
    content_type = headers.get("Content-Type", "")
    if "charset=utf-8" not in content_type.lower().replace(" ", ""):
        problems.append(Problem(path, line, "the header must say Content-Type: text/plain; charset=UTF-8: "
                                f"change that line and {SAVE_AS_UTF8}"))
    expected = expected_plural(info)
    if expected and not same_plural_rule(headers.get("Plural-Forms", ""), expected):
        problems.append(Problem(path, line, f"the Plural-Forms line is '{headers.get('Plural-Forms') or '(none)'}', "
                                f"but the rule for {info.english_name} is '{expected}': replace it"))
    return problems


def expected_plural(info: LocaleInfo) -> str | None:
    """The registry's rule for a locale CLDR lacks, else CLDR's (as Babel writes it)."""
    if info.plural:
        return info.plural
    try:
        return get_plural(info.gettext_code).plural_forms
    except (ValueError, LookupError):
        return None


def same_plural_rule(actual: str, expected: str) -> bool:
    """Same number of forms and the same form for every count: spacing and parentheses may differ."""
    try:
        (n1, f1), (n2, f2) = parse_plural(actual), parse_plural(expected)
    except ValueError:
        return False
    return n1 == n2 and all(f1(n) == f2(n) for n in range(0, 2001))


def parse_plural(header: str):
    match = re.search(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]+)", header or "")
    if not match:
        raise ValueError(header)
    return int(match[1]), gettext.c2py(match[2])


def _header_line(path: Path) -> int:
    """The line of the header entry's msgid "" (1 when the file has none)."""
    try:
        for number, line in enumerate(path.read_bytes().split(b"\n"), 1):
            if line.strip() == b'msgid ""':
                return number
    except OSError:
        pass
    return 1
