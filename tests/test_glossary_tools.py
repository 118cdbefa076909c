"""The glossary where translators work (issue 23 item 3): in each catalog entry that holds a legal
term (a translator comment, kept by `i18n update` and by msgmerge), on /translate/<locale>, as TBX
that translate-toolkit reads, created empty by `locale add` with a build warning until filled in;
card lines carry Weblate's max-length flag and every catalog still passes msgfmt --check."""
from __future__ import annotations

import subprocess

import polib
from support import copy_app, html, keep_only_locales, po_file
from translate.storage import tbx

from mai_guides import ROOT


def run(app, *args):
    return app.test_cli_runner().invoke(args=["mai", *args])


def test_update_puts_the_approved_rendering_beside_each_entry_with_a_term(project_copy, tmp_path):
    app = copy_app(project_copy)
    assert run(app, "i18n", "update").exit_code == 0
    path = po_file(project_copy, "es", "content")
    catalog = polib.pofile(str(path))
    entry = next(e for e in catalog if "warrant signed by a judge" in e.msgid and not e.obsolete)
    assert "Glossary: warrant signed by a judge = orden firmada por un juez / orden judicial" in entry.tcomment
    assert not [e for e in catalog if "Glossary:" in e.tcomment and not any(
        w in e.msgid.lower() for w in ("judge", "warrant", "silent", "consent", "lawyer", "agent", "badge",
                                        "hearing", "removal", "free to"))]
    card = catalog.find("Do not open the door.")
    assert [f for f in card.flags if f.startswith("max-length:")], card.flags
    assert subprocess.run(["msgfmt", "--check", "--check-format", "-o", "/dev/null", str(path)]).returncode == 0
    # msgmerge (Weblate's add-on, a maintainer's habit) keeps translator comments
    merged = tmp_path / "merged.po"
    subprocess.run(["msgmerge", "-q", "--previous", "-o", str(merged), str(path),
                    str(project_copy / "translations" / "content.pot")], check=True)
    assert polib.pofile(str(merged)).find(entry.msgid).tcomment == entry.tcomment
    before = path.read_bytes()
    assert run(app, "i18n", "update").exit_code == 0
    assert path.read_bytes() == before  # a second update changes nothing


def test_the_glossary_exports_as_tbx_that_translate_toolkit_reads(project_copy, tmp_path):
    app = copy_app(project_copy)
    out = tmp_path / "glossary.tbx"
    result = run(app, "i18n", "glossary", "--tbx", str(out), "--locale", "es")
    assert result.exit_code == 0, result.output
    units = tbx.tbxfile.parsefile(str(out)).units
    by_id = {unit.getid(): unit for unit in units}
    assert len(units) == 13
    assert by_id["judge-signed-warrant"].source == "warrant signed by a judge"
    assert by_id["judge-signed-warrant"].target == "orden firmada por un juez"
    everyone = tmp_path / "all.tbx"
    assert run(app, "i18n", "glossary", "--tbx", str(everyone)).exit_code == 0
    assert b'xml:lang="zh-Hans"' in everyone.read_bytes() and len(tbx.tbxfile.parsefile(str(everyone)).units) == 13
    assert run(app, "i18n", "glossary", "--tbx", str(out), "--locale", "xx").exit_code != 0


def test_a_new_locale_gets_an_empty_glossary_and_the_build_warns(project_copy):
    keep_only_locales(project_copy, ["en", "es"])
    app = copy_app(project_copy)
    assert run(app, "locale", "add", "sw").exit_code == 0
    glossary = (project_copy / "translations" / "glossary.toml").read_text()
    assert "[locales.sw]" in glossary and "judge-signed-warrant = []" in glossary
    result = run(app, "build", "--no-pdfs")
    assert result.exit_code == 0, result.output
    assert "warning: the glossary of 'sw' has no approved rendering for 13 of 13" in result.output
    assert "glossary of 'es'" not in result.output
    client = app.test_client()
    page = html(client.get("/translate/sw"))
    assert page.html["lang"] == "sw"
    assert len(page.select("table.glossary tbody tr")) == 13


def test_translate_locale_shows_its_glossary(client):
    page = html(client.get("/translate/es"))
    assert page.html["lang"] == "es"
    row = page.select_one("#term-judge-signed-warrant")
    assert row is not None and "orden firmada por un juez" in row.get_text()
    assert row.select_one("td[lang=en]").get_text().startswith("warrant signed by a judge")
    assert client.get("/translate/xx").status_code == 404
    assert client.get("/translate/en").status_code == 404
    index = html(client.get("/translate/"))
    assert index.select_one("a[href='/translate/es']") is not None, "the coordinator's page links each glossary"


def test_translate_locale_offers_its_glossary_as_tbx(client, tmp_path):
    link = html(client.get("/translate/es")).select_one("a[download]")
    assert link is not None and link["href"].startswith("/translate/es.tbx")
    response = client.get(link["href"])
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    saved = tmp_path / "es.tbx"
    saved.write_bytes(response.data)
    units = {unit.getid(): unit for unit in tbx.tbxfile.parsefile(str(saved)).units}
    assert units["judge-signed-warrant"].target == "orden firmada por un juez"
    assert client.get("/translate/xx.tbx").status_code == 404


def test_every_shipped_catalog_passes_msgfmt_check():
    for path in sorted((ROOT / "translations").rglob("*.po")):
        checked = subprocess.run(["msgfmt", "--check", "--check-format", "-o", "/dev/null", str(path)],
                                 capture_output=True, text=True)
        assert checked.returncode == 0, (path, checked.stderr)
