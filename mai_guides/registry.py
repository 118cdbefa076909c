"""The locale registry (translations/locales.toml): which locales ship, their names, direction,
fallback chains, review status, and where their catalogs live. Flask-free: the build, the web
app, the PDFs and the translator tools all read it."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global

SOURCE_LOCALE = "en"
REGISTRY_FILE = "locales.toml"


def registry_file(translations: Path) -> Path:
    """translations/locales.toml: the one list of shipped locales."""
    return translations / REGISTRY_FILE


def catalog_file(translations: Path, info: "LocaleInfo", domain: str, suffix: str = ".po") -> Path:
    """translations/<gettext code>/LC_MESSAGES/<domain>.po (or .mo): gettext's folder layout."""
    return translations / info.gettext_code / "LC_MESSAGES" / f"{domain}{suffix}"


@dataclass(frozen=True)
class LocaleInfo:
    """One registry entry: what a page, a PDF and a catalog need to know about a locale."""

    code: str  # BCP 47, as in URLs: "zh-Hans"
    name: str
    english_name: str
    dir: str = "ltr"
    fallback: tuple[str, ...] = ()
    babel: str | None = None
    plural: str | None = None
    reviewed: bool = False
    last_reviewed: str | None = None

    @property
    def gettext_code(self) -> str:
        """The folder name under translations/ ("zh_Hans"), as gettext and Babel spell it."""
        return self.code.replace("-", "_")

    @property
    def chain(self) -> tuple[str, ...]:
        """Locales to try for a string, this one first and English last."""
        seen: list[str] = []
        for code in (self.code, *self.fallback, SOURCE_LOCALE):
            if code not in seen:
                seen.append(code)
        return tuple(seen)

    @cached_property
    def babel_locale(self) -> Locale:
        """The CLDR locale for formatting; the registry's `babel` key for locales CLDR lacks."""
        try:
            return Locale.parse(self.babel or self.gettext_code)
        except (UnknownLocaleError, ValueError):
            return Locale.parse(SOURCE_LOCALE)

    @property
    def is_rtl(self) -> bool:
        return self.dir == "rtl"

    @property
    def machine_draft(self) -> bool:
        """A translation no person has reviewed (the English source is not a translation)."""
        return self.code != SOURCE_LOCALE and not self.reviewed


@dataclass(frozen=True)
class Registry:
    """All shipped locales, in registry order."""

    locales: dict[str, LocaleInfo] = field(default_factory=dict)

    def __contains__(self, code: str) -> bool:
        return code in self.locales

    def __getitem__(self, code: str) -> LocaleInfo:
        return self.locales[code]

    def __iter__(self):
        return iter(self.locales.values())

    @property
    def codes(self) -> list[str]:
        return list(self.locales)

    def negotiate(self, accept_language) -> str:
        """Pick a shipped locale from an Accept-Language header, English when nothing matches.

        Precedence: the client's quality order first. For each tag: an exact match
        ("zh-Hant"), then the same language in the same script, inferring the script from
        the region with CLDR's likely subtags ("zh-TW" -> Hant), then the same language.
        """
        for tag, _quality in accept_language or ():
            found = self._match(tag)
            if found:
                return found
        return SOURCE_LOCALE

    def _match(self, tag: str) -> str | None:
        by_lower = {code.lower(): code for code in self.locales}
        if tag.lower() in by_lower:
            return by_lower[tag.lower()]
        language, script = language_script(tag)
        same_language = [c for c in self.locales if language_script(c)[0] == language]
        for code in same_language:
            if language_script(code)[1] == script:
                return code
        return same_language[0] if same_language else None


def language_script(tag: str) -> tuple[str, str | None]:
    """("zh", "Hant") for "zh-TW" or "zh-Hant"; the script from CLDR when the tag has none."""
    parts = tag.replace("_", "-").split("-")
    # CLDR's aliases make old and new codes match: tl = fil (Filipino), iw = he, in = id.
    language = get_global("language_aliases").get(parts[0].lower(), parts[0].lower())
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    if script is None:
        likely = get_global("likely_subtags")
        region = next((p.upper() for p in parts[1:] if len(p) in (2, 3)), None)
        full = likely.get(f"{language}_{region}") or likely.get(language) or ""
        script = next((p for p in full.split("_")[1:] if len(p) == 4), None)
    return language, script


class RegistryError(ValueError):
    """The registry file is malformed; the message names the file and the locale."""


def load_registry(path: Path) -> Registry:
    """Read translations/locales.toml into a Registry, checking every entry."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RegistryError(f"{path}: {exc}") from exc
    locales = {}
    for code, entry in raw.items():
        try:
            info = LocaleInfo(code=code, **{**entry, "fallback": tuple(entry.get("fallback", ()))})
        except TypeError as exc:
            raise RegistryError(f"{path}: [{code}]: {exc}") from exc
        if info.dir not in ("ltr", "rtl"):
            raise RegistryError(f"{path}: [{code}]: dir must be 'ltr' or 'rtl', not {info.dir!r}")
        locales[code] = info
    if SOURCE_LOCALE not in locales:
        raise RegistryError(f"{path}: the source locale [{SOURCE_LOCALE}] must be registered")
    source = locales[SOURCE_LOCALE]
    if source.reviewed or source.last_reviewed:
        # a translation review says nothing of the English; pages would claim a review on no record
        raise RegistryError(f"{path}: [{SOURCE_LOCALE}] is the source text, not a translation: remove 'reviewed' "
                            f"and 'last_reviewed' (a lawyer's review is a record in content/legal-reviews.toml)")
    for info in locales.values():
        unknown = [c for c in info.fallback if c not in locales]
        if unknown:
            raise RegistryError(f"{path}: [{info.code}]: fallback to unregistered {unknown}")
    return Registry(locales=locales)
