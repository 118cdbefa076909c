"""Where to find free legal help (`content/legal-help.toml`), build side.

National directories kept current by others (EOIR's list of pro bono providers, the National
Immigration Legal Services Directory), each with the date someone last opened the link. Checked
without the network: an https address, a real date not in the future; a date older than
MAX_AGE_DAYS is a warning the build prints (and a test failure), so the links do not quietly rot.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .content import ContentError, check_inside, read_source

LEGAL_HELP_FILE = "legal-help.toml"  # in content/
MAX_AGE_DAYS = 180


@dataclass(frozen=True)
class Directory:
    name: str  # its own name, in English
    url: str
    checked: dt.date

    def as_row(self, position: int) -> dict:
        return {"position": position, "name": self.name, "url": self.url, "checked": self.checked.isoformat()}


def load_legal_help(content: Path) -> list[Directory]:
    """Every directory of the file, checked; a malformed entry is a ContentError naming its line."""
    path = content / LEGAL_HELP_FILE
    if not path.is_file():
        raise ContentError(path, None, "missing: list the national directories of free legal help here")
    text = read_source(check_inside(content, [path])[0])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(path, None, f"not valid TOML: {exc}") from exc
    entries = data.get("directory")
    if not isinstance(entries, list) or not entries:
        raise ContentError(path, None, "list at least one [[directory]] (name, url, checked)")
    return [_directory(path, text, number, entry) for number, entry in enumerate(entries, 1)]


def _line_of(text: str, number: int) -> int:
    """The line of the number-th [[directory]] header, for error messages."""
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[directory]]"]
    return lines[number - 1] if number <= len(lines) else 1


def _directory(path: Path, text: str, number: int, entry) -> Directory:
    line = _line_of(text, number)
    if not isinstance(entry, dict):
        raise ContentError(path, line, "a [[directory]] must be a table")
    for key in ("name", "url"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ContentError(path, line, f"this [[directory]] needs {key} = \"...\"")
    url = entry["url"].strip()
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or "." not in parts.hostname or " " in url:
        raise ContentError(path, line, f"url must be an https:// address, not {url!r}")
    checked = entry.get("checked")
    if not isinstance(checked, dt.date) or isinstance(checked, dt.datetime):
        raise ContentError(path, line, "checked = YYYY-MM-DD: the day the link was last opened and found current")
    if checked > dt.date.today():
        raise ContentError(path, line, f"checked = {checked} is in the future")
    return Directory(entry["name"].strip(), url, checked)


def stale(directories: list[Directory], today: dt.date | None = None) -> list[Directory]:
    """The directories whose link was last checked more than MAX_AGE_DAYS ago."""
    today = today or dt.date.today()
    return [d for d in directories if (today - d.checked).days > MAX_AGE_DAYS]


def warnings(content: Path, directories: list[Directory]) -> list[str]:
    """What the build says about links that are due for a check."""
    return [f"{content / LEGAL_HELP_FILE}: the link to {d.name} was last checked on {d.checked}, more than "
            f"{MAX_AGE_DAYS} days ago: open {d.url}, and if it still holds write today's date in `checked`"
            for d in stale(directories)]
