"""The translator's workflow: locale add, extract/update, fuzzy fallback, status, catalog checks."""
from __future__ import annotations

import tomllib

import pytest
from babel.messages.pofile import read_po
from support import LOCALES, copy_app, html, po_file

from mai_guides import ROOT
from mai_guides.builder.catalogs import CatalogStats, count_entries, has_translation, read_catalog
from mai_guides.registry import load_registry, registry_file

SHIPPED = ["en", "es", "zh-Hans", "zh-Hant", "ar", "fa", "ur", "ps", "ht", "fr", "pt", "ko", "vi", "tl",
           "ru", "uk", "pa", "hi", "bn", "so", "am", "ti", "hmn"]


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["mai", *args])
    return result


def test_the_23_locales_are_shipped():
    assert LOCALES == SHIPPED
    registry = load_registry(registry_file(ROOT / "translations"))
    assert [c for c in SHIPPED if registry[c].is_rtl] == ["ar", "fa", "ur", "ps"]
    assert all(not registry[c].reviewed for c in SHIPPED if c != "en")


@pytest.mark.parametrize("locale", [c for c in SHIPPED if c != "en"])
def test_every_locale_has_its_own_ui_and_cards(client, locale):
    """A sentinel: the UI and both card titles differ from the English in every locale."""
    english, page = html(client.get("/en/")), html(client.get(f"/{locale}/"))
    assert page.select_one(".quick-exit").get_text(strip=True) != english.select_one(".quick-exit").get_text(strip=True)
    assert page.select_one("main h1").get_text(strip=True) != english.select_one("main h1").get_text(strip=True)
    from mai_guides import db
    with client.application.test_request_context(f"/{locale}/"):
        for slug in ("ice-encounters", "reporting-ice-activity"):
            card, en_card = db.card(locale, slug), db.card("en", slug)
            assert card["fallbacks"] == 0, f"{locale} card {slug} is not fully translated"
            assert card["title"] != en_card["title"] and card["back"] == en_card["back"]


@pytest.mark.parametrize("locale", SHIPPED[1:])
def test_guides_are_complete_in_every_language(client, locale):
    for slug in ("ice-encounters", "reporting-ice-activity"):
        doc = html(client.get(f"/{locale}/guides/{slug}"))
        assert not doc.select(".fallback-note"), f"{locale}/{slug} falls back"
        assert not doc.select("main [lang='en'].fallback, main .fallback [lang='en']")


def test_every_locale_has_every_guide_card_and_news_post_complete(client):
    """No English fallback anywhere: the build counted every segment of every document."""
    from mai_guides import db
    with client.application.test_request_context("/en/"):
        rows = db.get_db().execute("select 'guide', locale, slug, fallbacks from guides union all "
                                   "select 'card', locale, slug, fallbacks from cards union all "
                                   "select 'news', locale, slug, fallbacks from news").fetchall()
    assert len(rows) == len(SHIPPED) * (2 + 2 + 7)
    assert [tuple(row) for row in rows if row[3]] == []


def test_catalog_templates_are_up_to_date_and_compile(runner):
    result = runner.invoke(args=["mai", "i18n", "check"])
    assert result.exit_code == 0, result.output


def test_catalogs_open_as_standard_gettext(app):
    """What Poedit and Weblate read: valid PO files with a Language header and plural forms."""
    from mai_guides import ROOT
    for locale in SHIPPED[1:]:
        folder = locale.replace("-", "_")
        for domain in ("messages", "content"):
            path = po_file(ROOT, folder, domain)
            text = path.read_text(encoding="utf-8")
            assert f'"Language: {folder}\\n"' in text and '"Plural-Forms: nplurals=' in text
            read_po(path.open("rb"))


def test_locale_add_for_a_cldr_locale(project_copy):
    app = copy_app(project_copy)
    result = run(app, "locale", "add", "de")
    assert result.exit_code == 0, result.output
    entry = tomllib.loads((registry_file(project_copy / "translations")).read_text())["de"]
    assert entry["name"] == "Deutsch" and entry["dir"] == "ltr" and entry["reviewed"] is False
    for domain in ("messages", "content"):
        po = read_po((po_file(project_copy, "de", domain)).open("rb"))
        assert len(po) > 30 and all(not has_translation(m) for m in po if m.id)
    assert run(app, "build", "--no-pdfs").exit_code == 0
    doc = html(copy_app(project_copy).test_client().get("/de/guides/ice-encounters"))
    assert doc.html["lang"] == "de" and doc.select_one(".fallback-note")


def test_locale_add_for_a_language_cldr_does_not_know(project_copy):
    app = copy_app(project_copy)
    assert run(app, "locale", "add", "mam").exit_code != 0  # needs a name: CLDR cannot give one
    result = run(app, "locale", "add", "mam", "--name", "Qyol Mam", "--english-name", "Mam",
                 "--fallback", "es", "--plural", "nplurals=1; plural=0;")
    assert result.exit_code == 0, result.output
    assert "mam -> es -> en" in result.output
    info = load_registry(registry_file(project_copy / "translations"))["mam"]
    assert info.chain == ("mam", "es", "en") and info.plural == "nplurals=1; plural=0;"
    po = po_file(project_copy, "mam", "messages")
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in po.read_text()
    # translate one UI string; the rest falls back to Spanish, then English
    text = po.read_text().replace('msgid "Quick exit"\nmsgstr ""', 'msgid "Quick exit"\nmsgstr "Elnin tzaj"')
    po.write_text(text)
    assert run(app, "build", "--no-pdfs").exit_code == 0
    client = copy_app(project_copy).test_client()
    doc = html(client.get("/mam/guides/ice-encounters"))
    assert doc.html["lang"] == "mam" and doc.html["dir"] == "ltr"
    assert doc.select_one(".quick-exit").get_text(strip=True) == "Elnin tzaj"
    spanish = html(client.get("/es/guides/ice-encounters"))
    assert doc.h1.get_text(strip=True) == spanish.h1.get_text(strip=True)  # guide text from Spanish
    assert doc.select_one(".fallback-note")
    assert client.get("/mam/cards/ice-encounters.pdf").status_code == 200
    assert "Qyol Mam" in client.get("/translate/").get_data(as_text=True)


@pytest.mark.parametrize("code", ["../x", "EN", "x", "toolongcode", "es_MX", "'; drop"])
def test_locale_add_rejects_bad_codes(project_copy, code):
    result = run(copy_app(project_copy), "locale", "add", code)
    assert result.exit_code != 0 and "BCP 47" in result.output


def test_locale_add_refuses_a_registered_locale(project_copy):
    result = run(copy_app(project_copy), "locale", "add", "es")
    assert result.exit_code != 0 and "already registered" in result.output


def test_changed_english_paragraph_turns_stale_and_falls_back_alone(project_copy):
    app = copy_app(project_copy)
    guide = project_copy / "content" / "guides" / "ice-encounters.md"
    old = "If you meet immigration agents, stay calm."
    assert old in guide.read_text()
    guide.write_text(guide.read_text().replace(old, "If you meet immigration agents, stay very calm."))
    assert run(app, "i18n", "update").exit_code == 0
    for locale in ["es", "ar", "zh-Hans", "fr"]:
        path = po_file(project_copy, locale, "content")
        fuzzy = [m for m in read_po(path.open("rb")) if m.id and m.fuzzy]
        assert len(fuzzy) == 1, (locale, [m.id for m in fuzzy])
        assert fuzzy[0].id.startswith("If you meet immigration agents, stay very calm.")
        assert fuzzy[0].string  # the old translation stays, for the translator to update
        assert f'#| msgid "{old}' in path.read_text()  # Poedit shows the previous English
    assert run(app, "build", "--no-pdfs").exit_code == 0
    client = copy_app(project_copy).test_client()
    doc = html(client.get("/es/guides/ice-encounters"))
    fallbacks = doc.select("main .fallback")
    assert len(fallbacks) == 1 and fallbacks[0]["lang"] == "en"
    assert "stay very calm" in fallbacks[0].get_text()
    assert doc.select_one(".fallback-note")
    status = run(app, "i18n", "status").output
    es_line = next(line for line in status.splitlines() if line.startswith("es ") and line.endswith("content.po"))
    assert es_line.split()[2] == "1"  # one stale (fuzzy) entry in content.po


def test_status_counts_from_a_fixture_catalog(tmp_path):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from mai_guides.registry import LocaleInfo
    template = Catalog()
    for i in range(10):
        template.add(f"Sentence {i}.", locations=[("content/guides/a.md" if i < 6 else "content/news/b.md", i)])
    catalog = Catalog(locale="fr")
    for i in range(4):
        catalog.add(f"Sentence {i}.", f"Phrase {i}.")
    catalog.add("Sentence 4.", "Ancienne phrase.", flags=["fuzzy"])
    catalog.add("Sentence 7.", "Phrase 7.")
    path = tmp_path / "content.po"
    with path.open("wb") as handle:
        write_po(handle, catalog)
    fr = LocaleInfo("fr", "Français", "French")
    # two English words an entry; the five current translations are machine drafts (none reviewed)
    assert count_entries(read_catalog(path, fr), fr, template) == CatalogStats(10, 5, 1, words=20, draft_words=10)
    assert count_entries(read_catalog(path, fr), fr, template).percent == 50
    assert count_entries(read_catalog(path, fr), fr, template, "content/guides/a.md") == CatalogStats(
        6, 4, 1, words=12, draft_words=8)


@pytest.mark.parametrize("msgstr, complaint", [
    ("<b>Sortie</b> rapide", "HTML"),
    ("Sortie %(evil)s", "placeholders differ"),
    ("100% rapide", "formatting differs"),
])
def test_hostile_ui_translations_are_refused(project_copy, msgstr, complaint):
    po = po_file(project_copy, "fr", "messages")
    text = po.read_text()
    start = text.index('msgid "Quick exit"\nmsgstr "') + len('msgid "Quick exit"\nmsgstr "')
    po.write_text(text[:start] + msgstr + text[text.index('"', start):])
    result = run(copy_app(project_copy), "build", "--no-pdfs")
    assert result.exit_code != 0 and "messages.po:" in result.output and complaint in result.output


def test_translate_page_shows_true_coverage(client):
    doc = html(client.get("/translate/", headers={"Accept-Language": "en"}))
    blocks = {block.select_one(".code").get_text(strip=True): block for block in doc.select(".locale-status")}
    assert set(blocks) == set(SHIPPED)
    assert all(float(m["value"]) == 100 for m in blocks["en"].select("meter"))
    for locale in SHIPPED[1:]:
        documents = blocks[locale].select("tr.document")
        kinds = [row["data-scope"].split(":")[0] for row in documents]
        # every guide, card and news post has its own row, with its coverage
        assert kinds.count("guide") == 2 and kinds.count("card") == 2 and kinds.count("news") == 7, locale
        assert all(float(row.select_one("meter")["value"]) == 100 for row in documents), locale
        files = {row["data-scope"]: [td.get_text(strip=True) for td in row.select("td.num")]
                 for row in blocks[locale].select("tr.file")}
        # needs update, not translated, obsolete, words checked, words in draft
        assert set(files) == {"ui", "content"} and all(len(v) == 5 for v in files.values())
    assert "Not yet reviewed" in blocks["es"].get_text()


def test_translate_page_lists_fuzzy_untranslated_and_obsolete_per_file(project_copy):
    app = copy_app(project_copy)
    guide = project_copy / "content" / "guides" / "ice-encounters.md"
    old = "If you meet immigration agents, stay calm."
    guide.write_text(guide.read_text().replace(old, "If you meet immigration agents, stay very calm."))
    rewritten = "Everyone in the United States has rights under the Constitution, whatever their immigration status."
    guide.write_text(guide.read_text().replace(rewritten, "Zebras xylophone quantum."))
    assert run(app, "i18n", "update").exit_code == 0
    assert run(app, "build", "--no-pdfs").exit_code == 0
    doc = html(copy_app(project_copy).test_client().get("/translate/", headers={"Accept-Language": "en"}))
    spanish = doc.select_one("#status-es")
    content = [td.get_text(strip=True) for td in spanish.select_one("tr[data-scope='content'] ").select("td.num")]
    assert content[:2] == ["1", "1"] and int(content[2]) >= 1  # fuzzy, untranslated, obsolete
    guide_row = [td.get_text(strip=True) for td in spanish.select_one("tr[data-scope='guide:ice-encounters']")
                 .select("td.num")]
    assert guide_row[:2] == ["1", "1"]
    card_row = spanish.select_one("tr[data-scope='card:ice-encounters'] meter")
    assert float(card_row["value"]) == 100
    status = run(app, "i18n", "status").output
    line = next(ln for ln in status.splitlines() if ln.startswith("es ") and ln.endswith("content.po"))
    assert line.split()[2:4] == ["1", "1"]


def test_rewritten_english_keeps_the_old_translation_as_obsolete(project_copy):
    app = copy_app(project_copy)
    guide = project_copy / "content" / "guides" / "ice-encounters.md"
    old = "Everyone in the United States has rights under the Constitution, whatever their immigration status."
    guide.write_text(guide.read_text().replace(old, "Zebras xylophone quantum."))
    assert run(app, "i18n", "update").exit_code == 0
    text = (po_file(project_copy, "es", "content")).read_text()
    assert f'#~ msgid "{old}"' in text
    assert 'msgid "Zebras xylophone quantum."\nmsgstr ""' in text
    assert run(app, "i18n", "check").exit_code == 0


def test_an_untranslated_plural_entry_is_not_an_error_and_counts_as_untranslated(project_copy):
    """A plural entry with empty forms is untranslated (English shows), not a placeholder mistake."""
    po = po_file(project_copy, "fr", "messages")
    catalog = read_catalog(po)
    message = next(m for m in catalog if isinstance(m.id, tuple))
    text = po.read_text()
    for form in message.string:
        text = text.replace(f'"{form}"', '""', 1)
    po.write_text(text)
    assert run(copy_app(project_copy), "i18n", "check").exit_code == 0
    blanked = read_catalog(po).get(message.id[0])
    assert not has_translation(blanked)
    broken = text.replace('msgstr[0] ""', 'msgstr[0] "Maj : appuyez encore %(n)d fois."', 1)
    po.write_text(broken)
    result = run(copy_app(project_copy), "i18n", "check")
    assert result.exit_code != 0 and "messages.po:" in result.output and "'n'" in result.output
