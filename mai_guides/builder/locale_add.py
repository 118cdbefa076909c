"""Adding a locale: a registry entry and empty catalogs (build side)."""
from __future__ import annotations

import functools
import json

from babel import Locale, UnknownLocaleError

from ..registry import LocaleInfo, load_registry, registry_file
from . import catalogs
from .glossary import GLOSSARY, empty_section, glossary_notes, load_glossary
from .paths import Paths

DEFAULT_PLURAL = "nplurals=2; plural=(n != 1);"


def describe(code: str, name, english_name, direction, fallback, plural, date_locale=None) -> LocaleInfo:
    """A registry entry: CLDR's facts where it knows the language, the options otherwise."""
    try:
        cldr = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        cldr = None
    if cldr is None and not (name and english_name):
        raise ValueError(f"CLDR does not know '{code}': give --name and --english-name "
                         "(and --dir, --plural if they are not 'ltr' and two forms)")
    return LocaleInfo(
        code=code,
        name=name or native_name(cldr),
        english_name=english_name or cldr.get_display_name("en"),
        dir=direction or (cldr.text_direction if cldr else "ltr"),
        fallback=fallback,
        plural=None if cldr else (plural or DEFAULT_PLURAL),
        # dates ("12 de noviembre de 2026") need CLDR data: for a language CLDR lacks, the one
        # its readers read dates in (Mam: Spanish), else English
        babel=None if cldr else date_locale_code(date_locale),
        reviewed=False,
    )


def date_locale_code(date_locale: str | None) -> str:
    """A CLDR locale for dates, checked ('es', 'pt_BR'); English when none is given."""
    if not date_locale:
        return "en"
    try:
        return str(Locale.parse(date_locale.replace("-", "_")))
    except (UnknownLocaleError, ValueError) as exc:
        raise ValueError(f"--date-locale {date_locale!r} is not a language CLDR knows; use a code such as "
                         "'es' or 'pt-BR'") from exc


def native_name(cldr: Locale) -> str:
    """'Español', '中文 (简体)': the language, and the script where it tells variants apart."""
    name = cldr.languages.get(cldr.language, cldr.language)
    name = name[:1].upper() + name[1:]
    return f"{name} ({cldr.scripts[cldr.script]})" if cldr.script else name


def registry_entry(info: LocaleInfo) -> str:
    """The TOML text of one entry (strings JSON-quoted: valid TOML basic strings)."""
    lines = [f"\n[{info.code}]", f"name = {json.dumps(info.name, ensure_ascii=False)}",
             f"english_name = {json.dumps(info.english_name)}", f'dir = "{info.dir}"']
    if info.fallback:
        lines.append(f"fallback = {json.dumps(list(info.fallback))}")
    if info.plural:
        lines += [f'babel = "{info.babel}"', f"plural = {json.dumps(info.plural)}"]
    lines.append("reviewed = false")
    return "\n".join(lines) + "\n"


def add_locale(paths: Paths, code: str, **options) -> LocaleInfo:
    """Register the locale, add its (empty) glossary section, then create its UI and content
    catalogs from the templates."""
    registry_path = registry_file(paths.translations)
    registry = load_registry(registry_path)
    if code in registry:
        raise ValueError(f"{registry_path}: '{code}' is already registered")
    unknown = [c for c in options["fallback"] if c not in registry]
    if unknown:
        raise ValueError(f"fallback locales {unknown} are not registered")
    info = describe(code, options["name"], options["english_name"], options["direction"],
                    options["fallback"], options["plural"], options.get("date_locale"))
    templates = catalogs.templates(paths.root, paths.content)
    glossary = paths.translations / GLOSSARY
    terms = load_glossary(glossary)
    with registry_path.open("a", encoding="utf-8") as handle:
        handle.write(registry_entry(info))
    info = load_registry(registry_path)[code]  # read back: proves the entry parses
    if f"[locales.{code}]" not in glossary.read_text(encoding="utf-8"):
        with glossary.open("a", encoding="utf-8") as handle:
            handle.write(empty_section(terms, code))  # to fill in; the build warns while it is empty
    for domain, template in templates.items():
        notes = functools.partial(glossary_notes, terms, code) if domain == "content" else None
        catalogs.update_catalog(catalogs.po_path(paths.translations, info, domain), template, info, notes)
    return info
