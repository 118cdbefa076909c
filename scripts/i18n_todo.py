"""List what needs translating, as JSON a translator (or a drafting helper) can fill in.

    .venv/bin/python scripts/i18n_todo.py messages > todo.json

Prints {"<locale>": {"plural_forms": "...", "entries": [{"key", "msgid", "msgid_plural", "comments",
"previous", "fuzzy_draft"}]}} for every empty or fuzzy entry of that catalog in every locale. The
`key` is what scripts/i18n_fill.py expects back.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mai_guides.builder.catalogs import locales_needing_catalogs, read_catalog  # noqa: E402
from mai_guides.registry import catalog_file, load_registry, registry_file  # noqa: E402

SEPARATOR = "\x04"


def todo(domain: str, translations: Path = ROOT / "translations") -> dict:
    registry = load_registry(registry_file(translations))
    found = {}
    for info in locales_needing_catalogs(registry):
        catalog = read_catalog(catalog_file(translations, info, domain), info)
        entries = []
        for message in catalog:
            if not message.id or (message.string and all(message.string) if isinstance(message.string, tuple)
                                  else message.string) and not message.fuzzy:
                continue
            singular, plural = (message.id if isinstance(message.id, tuple) else (message.id, None))
            entries.append({"key": f"{message.context}{SEPARATOR}{singular}" if message.context else singular,
                            "msgid": singular, "msgid_plural": plural, "comments": message.auto_comments,
                            "previous": message.previous_id or None,
                            "fuzzy_draft": message.string if message.fuzzy else None})
        if entries:
            found[info.code] = {"name": info.english_name, "plural_forms": catalog.plural_forms,
                                "entries": entries}
    return found


if __name__ == "__main__":
    json.dump(todo(sys.argv[1] if len(sys.argv) > 1 else "messages"), sys.stdout, ensure_ascii=False, indent=1)
