"""Fill untranslated (or fuzzy) catalog entries, for maintainers merging work.

Two sources, after `flask mai i18n update` has added the new English:

    # translations drafted elsewhere, as JSON: {"messages"|"content": {"<locale>": {"<msgid>": "<msgstr>"}}}
    # (an entry with a msgctxt is keyed "<msgctxt>\\u0004<msgid>", gettext's own convention; a plural
    # entry is keyed by its singular msgid and gives a list, one form per the locale's Plural-Forms)
    .venv/bin/python scripts/i18n_fill.py --json drafts.json

    # the catalogs of another checkout or branch (git worktree, an unpacked copy of translations/)
    .venv/bin/python scripts/i18n_fill.py --from OTHER/translations

Only empty or fuzzy entries whose English is the same are filled; a translation already there is
never replaced. Machine drafts stay machine drafts: review status is not touched.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mai_guides.builder.catalogs import (  # noqa: E402
    DOMAINS,
    has_translation,
    locales_needing_catalogs,
    read_catalog,
    write_catalog,
)
from mai_guides.registry import catalog_file, load_registry, registry_file  # noqa: E402

CONTEXT_SEPARATOR = "\x04"


def split_key(key: str) -> tuple[str, str | None]:
    """'ctxt\\x04msgid' -> (msgid, ctxt); a plain msgid -> (msgid, None)."""
    context, _, msgid = key.rpartition(CONTEXT_SEPARATOR)
    return msgid, context or None


def fill(translations: Path, drafts: dict[str, dict[str, dict[str, str]]]) -> int:
    """Write each draft into its catalog where the entry is empty or fuzzy; returns how many."""
    registry = load_registry(registry_file(translations))
    filled = 0
    for info in locales_needing_catalogs(registry):
        for domain in DOMAINS:
            wanted = drafts.get(domain, {}).get(info.code, {})
            if not wanted:
                continue
            path = catalog_file(translations, info, domain)
            catalog = read_catalog(path, info)
            for key, text in wanted.items():
                msgid, context = split_key(key)
                message = catalog.get(msgid, context)
                if message is None or not text or (has_translation(message) and not message.fuzzy):
                    continue
                message.string = tuple(text) if isinstance(text, list) else text
                message.flags = message.flags - {"fuzzy"}
                message.previous_id = []
                filled += 1
            write_catalog(path, catalog, info.plural)
    return filled


def drafts_from_tree(other: Path) -> dict[str, dict[str, dict[str, str]]]:
    """Every published (translated, not fuzzy) entry of another translations/ folder."""
    registry = load_registry(registry_file(other))
    drafts: dict[str, dict[str, dict[str, str]]] = {}
    for info in locales_needing_catalogs(registry):
        for domain in DOMAINS:
            path = catalog_file(other, info, domain)
            if not path.exists():
                continue
            for message in read_catalog(path, info):
                if message.id and has_translation(message) and not message.fuzzy:
                    singular = message.id[0] if isinstance(message.id, tuple) else message.id
                    key = f"{message.context}{CONTEXT_SEPARATOR}{singular}" if message.context else singular
                    value = list(message.string) if isinstance(message.string, tuple) else message.string
                    drafts.setdefault(domain, {}).setdefault(info.code, {})[key] = value
    return drafts


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--json", type=Path, help="drafted translations as JSON")
    source.add_argument("--from", dest="other", type=Path, help="another translations/ folder")
    parser.add_argument("--translations", type=Path, default=ROOT / "translations")
    args = parser.parse_args(argv)
    drafts = json.loads(args.json.read_text("utf-8")) if args.json else drafts_from_tree(args.other)
    print(f"filled {fill(args.translations, drafts)} entries")


if __name__ == "__main__":
    main(sys.argv[1:])
