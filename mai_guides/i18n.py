"""The locale registry, the per-request locale, and gettext with fallback chains."""
from __future__ import annotations

import tomllib
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.support import NullTranslations, Translations
from flask import g, has_app_context
from flask_babel import Babel, Domain, force_locale

SOURCE_LOCALE = "en"


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


@dataclass(frozen=True)
class Registry:
    """All shipped locales, in registry order."""

    path: Path
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
    for info in locales.values():
        unknown = [c for c in info.fallback if c not in locales]
        if unknown:
            raise RegistryError(f"{path}: [{info.code}]: fallback to unregistered {unknown}")
    return Registry(path=path, locales=locales)


def current_locale() -> LocaleInfo:
    """The request's locale (set from the URL or by use_locale), else English."""
    from flask import current_app

    registry = current_app.extensions["mai_registry"]
    code = g.get("lang_code") if has_app_context() else None
    return registry[code] if code in registry else registry[SOURCE_LOCALE]


@contextmanager
def use_locale(code: str):
    """Render in another locale for a while (PDFs of several languages in one request)."""
    previous = g.get("lang_code")
    g.lang_code = code
    try:
        with force_locale(current_locale().babel_locale):
            yield current_locale()
    finally:
        g.lang_code = previous


class ChainDomain(Domain):
    """Flask-Babel's domain, but each locale falls back along its registry chain.

    Flask-Babel loads one catalog per CLDR locale; we key by our own code so that
    locales CLDR does not know (Hmong, Mam) still get their own messages.mo. The cache key
    holds the .mo files' mtimes, so a new build's UI strings show without a restart.
    """

    def __init__(self, registry: Registry, directory: Path):
        super().__init__(translation_directories=[str(directory)])
        self.registry = registry
        self.directory = directory

    def get_translations(self):
        if not has_app_context():
            return NullTranslations()
        info = current_locale()
        key = (info.code, tuple(self._mtime(code) for code in info.chain))
        cache = self.get_translations_cache(None)
        if key not in cache:
            cache[key] = self._load_chain(info)
        return cache[key]

    def _mo(self, code: str) -> Path:
        return self.directory / self.registry[code].gettext_code / "LC_MESSAGES" / "messages.mo"

    def _mtime(self, code: str) -> int:
        try:
            return self._mo(code).stat().st_mtime_ns
        except OSError:
            return 0

    def _load_chain(self, info: LocaleInfo):
        translations = NullTranslations()
        for code in reversed(info.chain):
            try:
                with self._mo(code).open("rb") as handle:
                    loaded = Translations(handle, domain="messages")
            except OSError:
                continue
            loaded.add_fallback(translations)
            translations = loaded
        return translations


def init_app(app, registry: Registry) -> None:
    """Install Flask-Babel with the registry's locale selector and chained catalogs."""
    app.extensions["mai_registry"] = registry
    babel = Babel(app, locale_selector=lambda: current_locale().babel_locale)
    babel.domain_instance = ChainDomain(registry, Path(app.config["MAI_TRANSLATIONS"]))

    @app.context_processor
    def locale_context():
        return {"locale": current_locale(), "registry": registry}
