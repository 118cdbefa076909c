"""Carry a UI string's translations over to the msgctxt entries that replaced it.

When one English word gets several roles ("Search" as a page title, a button and a menu link),
its gettext entries gain a msgctxt and `i18n update` leaves them empty (or fuzzy). Run this after
that update, with the catalogs from before it, so no locale loses a translation:

    .venv/bin/python scripts/i18n_carry_context.py OLD_TRANSLATIONS_DIR "Search" "page title" "button" "menu link"
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mai_guides.builder.catalogs import locales_needing_catalogs, read_catalog, write_catalog  # noqa: E402
from mai_guides.registry import catalog_file, load_registry, registry_file  # noqa: E402


def carry(old_translations: Path, msgid: str, contexts: list[str], translations: Path = ROOT / "translations") -> int:
    registry = load_registry(registry_file(translations))
    carried = 0
    for info in locales_needing_catalogs(registry):
        old_path = catalog_file(old_translations, info, "messages")
        if not old_path.exists():
            continue
        old = read_catalog(old_path, info).get(msgid)
        if old is None or not old.string or old.fuzzy:
            continue
        path = catalog_file(translations, info, "messages")
        catalog = read_catalog(path, info)
        for context in contexts:
            message = catalog.get(msgid, context)
            if message is not None and (not message.string or message.fuzzy):
                message.string, message.flags = old.string, message.flags - {"fuzzy"}
                message.previous_id = []
                carried += 1
        catalog.obsolete.pop(msgid, None)  # now carried over: no need to keep it for reference
        write_catalog(path, catalog, info.plural)
    return carried


if __name__ == "__main__":
    old_dir, word, *contexts = sys.argv[1:]
    print(f"carried {carry(Path(old_dir), word, contexts)} translations")
