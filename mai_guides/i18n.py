"""Flask-Babel glue: the request's locale, rendering in another locale, chained UI catalogs."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.lists import format_list
from babel.support import NullTranslations, Translations
from flask import current_app, g, has_app_context, request
from flask_babel import Babel, Domain, force_locale

from .registry import SOURCE_LOCALE, LocaleInfo, Registry, RegistryError, catalog_file, load_registry, registry_file
from .releases import catalogs_dir

REGISTRY_KEY = "mai_registry"


class LiveRegistry:
    """The locale registry of the database being served.

    A build goes live by switching the release pointer (releases.py), so the database path
    names a new file (a new inode); when the file changes, locales.toml is read again, so a locale added and built while the server runs is
    served at once, by every worker, without a restart. A registry file that does not parse
    (someone editing it mid-build) keeps the last good one.
    """

    def __init__(self, registry_path: Path, database: Path, locales: Registry):
        self.registry_path, self.database = registry_path, database
        self._locales, self._stamp = locales, _stamp(database)
        self._lock = threading.Lock()

    def current(self) -> Registry:
        stamp = _stamp(self.database)
        if stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    try:
                        self._locales = load_registry(self.registry_path)
                    except RegistryError:
                        pass  # the next build (or a fixed file) will bring a new stamp
                    self._stamp = stamp
        return self._locales


def _stamp(path: Path):
    """What changes when a build swaps the database in: its inode and modification time."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns


def registry() -> Registry:
    """The locale registry for this request: one per request, reloaded after each new build."""
    if has_app_context():
        if "mai_registry" not in g:
            g.mai_registry = current_app.extensions[REGISTRY_KEY].current()
        return g.mai_registry
    return current_app.extensions[REGISTRY_KEY].current()


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


def ui_catalogs_dir() -> Path:
    """Where this app's compiled UI catalogs are: its own (MAI_UI_CATALOGS: a build's staging app),
    else the live release's, compiled with the live database (releases.py), else translations/
    (a checkout not built yet). Looked up once per request."""
    if has_app_context() and "mai_ui_catalogs" in g:
        return g.mai_ui_catalogs
    config = current_app.config
    directory = Path(config["MAI_UI_CATALOGS"]) if config.get("MAI_UI_CATALOGS") else \
        catalogs_dir(Path(config["MAI_DATABASE"])) or Path(config["MAI_TRANSLATIONS"])
    if has_app_context():
        g.mai_ui_catalogs = directory
    return directory


class ChainDomain(Domain):
    """Flask-Babel's domain, but each locale falls back along its registry chain.

    Flask-Babel loads one catalog per CLDR locale; we key by our own code so that
    locales CLDR does not know (Hmong, Mam) still get their own messages.mo. The cache key
    holds the catalogs' folder and the .mo files' mtimes, so a new build's UI strings show
    without a restart.
    """

    def get_translations(self):
        if not has_app_context():
            return NullTranslations()
        info = current_locale()
        directory = ui_catalogs_dir()
        key = (str(directory), info.code, tuple(self._mtime(directory, code) for code in info.chain))
        cache = self.get_translations_cache(None)
        if key not in cache:
            if len(cache) > 512:
                cache.clear()  # catalogs of releases gone by
            cache[key] = self._load_chain(directory, info)
        return cache[key]

    @staticmethod
    def _mo(directory: Path, code: str) -> Path:
        return catalog_file(directory, registry()[code], "messages", ".mo")

    def _mtime(self, directory: Path, code: str) -> int:
        try:
            return self._mo(directory, code).stat().st_mtime_ns
        except OSError:
            return 0

    def _load_chain(self, directory: Path, info: LocaleInfo):
        translations = NullTranslations()
        for code in reversed(info.chain):
            try:
                with self._mo(directory, code).open("rb") as handle:
                    loaded = Translations(handle, domain="messages")
            except OSError:
                continue
            loaded.add_fallback(translations)
            translations = loaded
        return translations


def init_app(app, locales: Registry) -> None:
    """Install Flask-Babel with the registry's locale selector and chained catalogs."""
    translations = Path(app.config["MAI_TRANSLATIONS"])
    app.extensions[REGISTRY_KEY] = LiveRegistry(registry_file(translations), Path(app.config["MAI_DATABASE"]),
                                                locales)
    babel = Babel(app, locale_selector=lambda: current_locale().babel_locale)
    babel.domain_instance = ChainDomain()

    app.jinja_env.globals["language_names"] = language_names

    @app.context_processor
    def locale_context():
        return {"locale": current_locale(), "registry": registry()}


def language_names(codes) -> str:
    """'Spanish and English' in the reader's language: the names CLDR gives, in the page's locale
    (the registry's English name for a language CLDR does not know)."""
    page = current_locale().babel_locale
    names = []
    for code in codes:
        info = registry()[code] if code in registry() else None
        try:
            names.append(Locale.parse(code.replace("-", "_")).get_display_name(page) or code)
        except (UnknownLocaleError, ValueError):
            names.append(info.english_name if info else code)
    return format_list(names, locale=page)
