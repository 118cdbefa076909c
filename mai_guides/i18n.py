"""Flask-Babel glue: the request's locale, rendering in another locale, chained UI catalogs."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from babel.support import NullTranslations, Translations
from flask import current_app, g, has_app_context, request
from flask_babel import Babel, Domain, force_locale

from .registry import SOURCE_LOCALE, LocaleInfo, Registry, catalog_file

REGISTRY_KEY = "mai_registry"


def registry() -> Registry:
    """The app's locale registry (loaded once by create_app)."""
    return current_app.extensions[REGISTRY_KEY]


def negotiated_locale() -> str:
    """The shipped locale that best fits this request's Accept-Language header."""
    return registry().negotiate(request.accept_languages)


def current_locale() -> LocaleInfo:
    """The request's locale (set from the URL or by use_locale), else English."""
    locales = registry()
    code = g.get("lang_code") if has_app_context() else None
    return locales[code] if code in locales else locales[SOURCE_LOCALE]


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

    def __init__(self, locales: Registry, directory: Path):
        super().__init__(translation_directories=[str(directory)])
        self.locales = locales
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
        return catalog_file(self.directory, self.locales[code], "messages", ".mo")

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


def init_app(app, locales: Registry) -> None:
    """Install Flask-Babel with the registry's locale selector and chained catalogs."""
    app.extensions[REGISTRY_KEY] = locales
    babel = Babel(app, locale_selector=lambda: current_locale().babel_locale)
    babel.domain_instance = ChainDomain(locales, Path(app.config["MAI_TRANSLATIONS"]))

    @app.context_processor
    def locale_context():
        return {"locale": current_locale(), "registry": locales}
