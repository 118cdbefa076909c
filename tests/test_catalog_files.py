"""Catalog files that round-trip through GNU gettext, polib, Poedit and Weblate, and checks that
report every mistake of every file at once, in plain words, without touching the live site."""
from __future__ import annotations

import gettext
import hashlib
import re
import subprocess

import polib
import pytest
from support import LOCALES, copy_app, po_file

from mai_guides import ROOT
from mai_guides.builder import po_check
from mai_guides.registry import load_registry, registry_file

LONG_OLD = "Everyone in the United States has rights under the Constitution, whatever their immigration status."


def run(app, *args):
    return app.test_cli_runner().invoke(args=["mai", *args])


def catalog_files(root):
    return sorted((root / "translations").rglob("*.po")) + sorted((root / "translations").glob("*.pot"))


def snapshot(root) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in catalog_files(root)}


def msgfmt(path):
    return subprocess.run(["msgfmt", "--check", "--check-format", "-o", "/dev/null", str(path)],
                          capture_output=True, text=True)


def test_an_english_edit_then_update_gives_files_gettext_and_polib_read(project_copy):
    """The bug the issue reports: the `#|` previous msgid of a long paragraph was wrapped inside
    its quotes, and msgfmt and polib refused 23 of 24 catalogs."""
    app = copy_app(project_copy)
    guide = project_copy / "content" / "guides" / "ice-encounters.md"
    assert LONG_OLD in guide.read_text()
    new = LONG_OLD.replace("whatever their immigration status", "whatever their immigration status, "
                           "whether or not they have papers, and whoever is asking them questions at the door")
    guide.write_text(guide.read_text().replace(LONG_OLD, new))
    result = run(app, "i18n", "update")
    assert result.exit_code == 0, result.output
    files = catalog_files(project_copy)
    assert len(files) == 2 * (len(LOCALES) - 1) + 2
    for path in files:
        checked = msgfmt(path)
        assert checked.returncode == 0, (path, checked.stderr)
        polib.pofile(str(path))
    for code in ("es", "ar", "zh-Hans", "hmn"):
        entry = polib.pofile(str(po_file(project_copy, code, "content"))).find(new)
        assert entry is not None and entry.fuzzy and entry.previous_msgid == LONG_OLD, code
    before = snapshot(project_copy)
    assert run(app, "i18n", "update").exit_code == 0
    after = snapshot(project_copy)
    assert [name for name in before if before[name] != after[name]] == []
    result = run(app, "i18n", "check")
    assert result.exit_code == 0, result.output


def test_templates_do_not_churn_on_their_creation_date(project_copy):
    app = copy_app(project_copy)
    pot = project_copy / "translations" / "content.pot"
    assert run(app, "i18n", "extract").exit_code == 0
    text = pot.read_text()
    pot.write_text(re.sub(r'"POT-Creation-Date: [^"]*"', '"POT-Creation-Date: 2001-01-01 00:00+0000\\\\n"', text))
    old = pot.read_bytes()
    assert run(app, "i18n", "extract").exit_code == 0
    assert pot.read_bytes() == old


def break_french_ui(project_copy):
    """Seven different mistakes in one catalog, as a volunteer's text editor might make them."""
    po = po_file(project_copy, "fr", "messages")
    text = po.read_text(encoding="utf-8")
    def entry(msgid: str, msgstr_line: str) -> None:
        nonlocal text
        pattern = re.compile(rf'^(msgid "{re.escape(msgid)}"\n)msgstr ".*"$', re.M)
        assert pattern.search(text), msgid
        text = pattern.sub(lambda m: m[1] + msgstr_line, text, count=1)

    # 1. an unterminated string
    entry("Choose at least one language from the list.", 'msgstr "Choisissez au moins une langue dans la liste.')
    # 2. HTML in a translation
    entry("Quick exit", 'msgstr "<b>Sortie</b> rapide"')
    # 3. a placeholder changed
    entry("English text last checked: %(date)s", 'msgstr "Texte anglais vérifié le : %(datum)s"')
    # 4. a misspelt keyword
    entry("Translation checked: %(date)s", 'msgtsr "Traduction vérifiée : %(date)s"')
    # 5. a wrong Language header
    assert '"Language: fr\\n"' in text
    text = text.replace('"Language: fr\\n"', '"Language: de\\n"', 1)
    # 6. the same English twice
    text += '\nmsgid "Choose a format from the list."\nmsgstr "Choisissez un format."\n'
    data = text.encode("utf-8")
    # 7. a line saved in Latin-1 by an old editor
    old = 'msgstr "Choisissez un format dans la liste."'.encode()
    assert old in data
    data = data.replace(old, 'msgstr "Choisissez un format dans la liste é."'.encode("latin-1"), 1)
    po.write_bytes(data)
    return po


def test_seven_mistakes_get_seven_plain_errors_and_the_live_site_is_untouched(project_copy):
    app = copy_app(project_copy)
    assert run(app, "build", "--no-pdfs").exit_code == 0
    database = project_copy / "mai.db"
    live = hashlib.sha256(database.read_bytes()).hexdigest()
    po = break_french_ui(project_copy)
    spanish = po_file(project_copy, "es", "content")
    text = spanish.read_text()
    link = re.search(r'^msgstr ".*\]\((https?://[^)]+)\).*$', text, re.M)
    assert link, "a Spanish entry with a link"
    broken = link[0].replace(f"]({link[1]})", "](https://example.com/other)")
    spanish.write_text(text[:link.start()] + broken + text[link.end():])

    result = run(app, "build", "--no-pdfs")
    assert result.exit_code != 0
    errors = [line for line in result.output.splitlines() if line.startswith(f"{po}:")]
    expected = ["not closed", "HTML", "placeholder", "Language", "not valid gettext", "two entries", "UTF-8"]
    assert len(errors) == 7, result.output
    for words in expected:
        assert [e for e in errors if words in e], (words, errors)
    assert any(line.startswith(f"{spanish}:") and "link" in line for line in result.output.splitlines()), \
        result.output  # every file in one run, not only the first broken one
    assert "save the file as UTF-8" in result.output
    assert re.search(r"8 problem\(s\) in 2 file\(s\)", result.output), result.output
    assert hashlib.sha256(database.read_bytes()).hexdigest() == live
    check = run(app, "i18n", "check")
    assert check.exit_code != 0 and len([line for line in check.output.splitlines() if line.startswith(f"{po}:")]) == 7


def test_an_unterminated_content_string_is_refused_naming_file_and_line(project_copy):
    path = po_file(project_copy, "es", "content")
    lines = path.read_text().splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith('msgstr "') and len(line) > 20 and
                  line.endswith('"'))
    lines[number] = lines[number][:-1]
    path.write_text("\n".join(lines) + "\n")
    result = run(copy_app(project_copy), "i18n", "check")
    assert result.exit_code != 0
    assert f"{path}:{number + 1}: a text in quotes is not closed" in result.output


def test_a_missing_msgfmt_fails_the_check(project_copy, monkeypatch):
    monkeypatch.setattr(po_check, "MSGFMT", "msgfmt-is-not-installed")
    result = run(copy_app(project_copy), "build", "--no-pdfs")
    assert result.exit_code != 0 and "install the Debian package 'gettext'" in result.output


def plural_function(header: str):
    match = re.search(r"nplurals=(\d+); plural=([^;]+);", header)
    return int(match[1]), gettext.c2py(match[2])


@pytest.mark.parametrize("code", LOCALES[1:])
def test_every_catalog_opens_with_polib_and_has_the_headers_tools_need(code):
    registry = load_registry(registry_file(ROOT / "translations"))
    info = registry[code]
    for domain in ("messages", "content"):
        path = po_file(ROOT, code, domain)
        catalog = polib.pofile(str(path))
        assert catalog.metadata["Language"] == info.gettext_code
        assert "charset=utf-8" in catalog.metadata["Content-Type"].lower()
        assert catalog.encoding.lower() in ("utf-8", "utf8")
        assert po_check.same_plural_rule(catalog.metadata["Plural-Forms"], po_check.expected_plural(info)), path
        assert msgfmt(path).returncode == 0, msgfmt(path).stderr


def test_plural_rules_agree_with_cldr():
    count, form = plural_function(polib.pofile(str(po_file(ROOT, "fa", "messages"))).metadata["Plural-Forms"])
    assert count == 2 and [form(n) for n in (0, 1, 2, 5)] == [0, 0, 1, 1]  # CLDR fa: one = 0 and 1
    count, form = plural_function(polib.pofile(str(po_file(ROOT, "ar", "messages"))).metadata["Plural-Forms"])
    # CLDR's order: zero, one, two, few (3-10), many (11-99), other (100-102, ...)
    assert count == 6 and [form(n) for n in (0, 1, 2, 3, 10, 11, 99, 100, 102)] == [0, 1, 2, 3, 3, 4, 4, 5, 5]


def test_search_has_one_entry_per_role_with_context_and_keeps_its_translations(client):
    template = polib.pofile(str(ROOT / "translations" / "messages.pot"))
    roles = {e.msgctxt: e for e in template if e.msgid == "Search"}
    assert set(roles) == {"page title", "button", "menu link"}
    assert all(e.comment for e in roles.values())  # Translators: comments say which role
    for code in LOCALES[1:]:
        catalog = polib.pofile(str(po_file(ROOT, code, "messages")))
        found = {e.msgctxt: e for e in catalog if e.msgid == "Search" and not e.obsolete}
        assert set(found) == set(roles) and all(e.msgstr and not e.fuzzy for e in found.values()), code
    from bs4 import BeautifulSoup
    page = BeautifulSoup(client.get("/es/search").get_data(as_text=True), "html.parser")
    assert page.h1.get_text(strip=True) == "Buscar"
    assert page.select_one("form.search button").get_text(strip=True) == "Buscar"
    assert "Buscar" in [a.get_text(strip=True) for a in page.select("header a, nav a")]


def test_ui_strings_with_placeholders_or_context_have_translator_comments():
    template = polib.pofile(str(ROOT / "translations" / "messages.pot"))
    mine = [e for e in template if e.msgctxt or ("%(" in e.msgid and any(
        path.startswith(("templates/_notices.html", "templates/search.html", "templates/translate.html"))
        for path, _line in e.occurrences))]
    assert mine and [e.msgid for e in mine if not e.comment] == []


def test_a_card_line_too_long_for_the_card_is_a_build_error_naming_the_entry(project_copy):
    app = copy_app(project_copy)
    assert run(app, "build", "--no-pdfs").exit_code == 0
    database = project_copy / "mai.db"
    live = hashlib.sha256(database.read_bytes()).hexdigest()
    path = po_file(project_copy, "es", "content")
    catalog = polib.pofile(str(path))
    line = next(e for e in catalog if any("content/cards/ice-encounters.yaml" in o[0] for o in e.occurrences)
                and e.msgstr and e.msgid != catalog[0].msgid and len(e.msgstr) > 20)
    text = path.read_text()
    long = " ".join([line.msgstr] * 40)
    text = text.replace(f'msgstr "{line.msgstr}"', f'msgstr "{long}"', 1)
    path.write_text(text)
    number = text.splitlines().index(f'msgstr "{long}"') + 1
    result = run(app, "build", "--no-pdfs")
    assert result.exit_code != 0
    assert f"{path}:{number - 1}:" in result.output or f"{path}:{number}:" in result.output, result.output
    assert "wallet card 'ice-encounters' does not fit" in result.output and "in Spanish:" in result.output
    assert hashlib.sha256(database.read_bytes()).hexdigest() == live


def test_every_card_is_checked_again_when_the_printed_address_changes(project_copy, monkeypatch):
    """Whether a card fits depends on more than its text: with a printed address it has one more
    line. Only cards whose text changed are laid out again, unless such an input changed too."""
    from mai_guides.builder import card_fit

    laid_out = []
    real = card_fit.overflowing

    def recording(staging, cards):
        laid_out.append(sorted(cards))
        return real(staging, cards)

    monkeypatch.setattr(card_fit, "overflowing", recording)
    without_address = copy_app(project_copy, MAI_BASE_URL=None)
    assert run(without_address, "build", "--no-pdfs").exit_code == 0
    assert run(without_address, "build", "--no-pdfs").exit_code == 0
    with_address = copy_app(project_copy, MAI_BASE_URL="https://guides.example.org")
    assert run(with_address, "build", "--no-pdfs").exit_code == 0
    every_card = len(LOCALES) * 2
    assert [len(cards) for cards in laid_out] == [every_card, 0, every_card]
