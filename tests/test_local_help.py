"""Local help (issue 20): the deploying organization's hotline from its settings, checked with
phonenumbers; shown on every guide page and the offline page; free legal help that does not go
stale; an organizer's own name and hotline in the print form, kept after an error."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from support import LOCALES, copy_app, html, keep_only_locales, make_app

from mai_guides import ROOT
from mai_guides.builder.legal_help import MAX_AGE_DAYS, load_legal_help, stale
from mai_guides.local_help import LocalHelpError, for_job, from_config

HOTLINE = {"MAI_HOTLINE": "(312) 555-0199", "MAI_SMS": "312-555-0100", "MAI_ORG_NAME": "Centro de Ayuda Comunitaria",
           "MAI_HOTLINE_HOURS": "24/7", "MAI_ORG_URL": "https://ayuda.example.org"}
TEL, SMS = "tel:+13125550199", "sms:+13125550100"
DIRECTORIES = ("https://www.justice.gov/eoir/list-pro-bono-legal-service-providers",
               "https://www.immigrationadvocates.org/legaldirectory/")


@pytest.fixture(scope="module")
def hotline_client(built, tmp_path_factory):
    """The test database served by an app whose deployment set a hotline."""
    app = make_app(tmp_path_factory.mktemp("hotline"), MAI_DATABASE=built.config["MAI_DATABASE"], **HOTLINE)
    return app.test_client()


def test_numbers_are_stored_in_e164_and_shown_as_dialled_at_home():
    found = from_config(HOTLINE)
    assert (found.hotline, found.sms) == ("+13125550199", "+13125550100")
    assert (found.hotline_shown, found.tel_uri, found.sms_uri) == ("(312) 555-0199", TEL, SMS)
    assert from_config({"MAI_HOTLINE": "+52 55 1234 5678"}).hotline_shown == "+52 55 1234 5678"  # abroad: international
    mexico = from_config({"MAI_HOTLINE": "55 1234 5678", "MAI_PHONE_REGION": "mx"})
    assert mexico.hotline == "+525512345678" and mexico.hotline_shown == "55 1234 5678"
    assert from_config({}) is None  # unset: nothing local


@pytest.mark.parametrize("settings, named", [
    ({"MAI_HOTLINE": "555"}, "MAI_HOTLINE"),
    ({"MAI_HOTLINE": "call us"}, "MAI_HOTLINE"),
    ({"MAI_HOTLINE": "(312) 555-0199", "MAI_SMS": "12"}, "MAI_SMS"),
    ({"MAI_ORG_NAME": "Centro"}, "MAI_ORG_NAME"),  # a name with no number to call
    ({"MAI_HOTLINE": "(312) 555-0199", "MAI_ORG_NAME": "x" * 61}, "MAI_ORG_NAME"),
    ({"MAI_HOTLINE": "(312) 555-0199", "MAI_ORG_URL": "ayuda.example.org"}, "MAI_ORG_URL"),
    ({"MAI_HOTLINE": "(312) 555-0199", "MAI_PHONE_REGION": "USA"}, "MAI_PHONE_REGION"),
])
def test_a_bad_setting_stops_the_app_naming_it(tmp_path, settings, named):
    with pytest.raises(LocalHelpError, match=f"^{named}: "):
        make_app(tmp_path, **settings)


@pytest.mark.slow
def test_a_bad_hotline_stops_the_build_with_one_clear_line(tmp_path):
    env = {**os.environ, "MAI_DATABASE": str(tmp_path / "mai.db"), "MAI_HOTLINE": "555-01"}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "mai", "build", "--no-pdfs"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and not (tmp_path / "mai.db").exists()
    assert "MAI_HOTLINE: '555-01' is not a valid phone number" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("locale", LOCALES)
def test_a_configured_hotline_is_a_call_link_under_what_to_do_now_on_every_guide(hotline_client, locale):
    for slug in ("ice-encounters", "reporting-ice-activity"):
        doc = html(hotline_client.get(f"/{locale}/guides/{slug}"))
        call = doc.select_one("section.do-now p.call")
        assert call is not None and call.find("a", href=TEL).get_text() == "(312) 555-0199", slug
        assert call.find("a", href=TEL)["dir"] == "ltr" and call.find("a", href=SMS) is not None
        assert "Centro de Ayuda Comunitaria" in call.get_text() and call.find("a", href=HOTLINE["MAI_ORG_URL"])
        assert doc.select_one("p.find-hotline") is None
    # the reporting guide's "call the hotline, not the timeline" gives the number too
    doc = html(hotline_client.get(f"/{locale}/guides/reporting-ice-activity"))
    assert doc.select_one("#call-the-hotline").find("a", href=TEL) is not None


@pytest.mark.parametrize("locale", ["en", "es", "ar", "zh-Hans"])
def test_without_a_hotline_pages_say_how_to_find_one_and_print_none(client, locale):
    for slug in ("ice-encounters", "reporting-ice-activity"):
        doc = html(client.get(f"/{locale}/guides/{slug}"))
        assert doc.select_one("section.do-now p.find-hotline") is not None
        assert not doc.select('a[href^="tel:"]') and not doc.select('a[href^="sms:"]')


@pytest.mark.parametrize("locale", ["en", "es", "ar", "ur"])
def test_free_legal_help_is_on_every_guide_page_and_the_offline_page(hotline_client, locale):
    checked = load_legal_help(ROOT / "content")[0].checked
    for path in (f"/{locale}/guides/ice-encounters", f"/{locale}/guides/reporting-ice-activity", f"/{locale}/offline"):
        doc = html(hotline_client.get(path))
        block = doc.select_one("section.legal-help")
        assert block is not None, path
        assert [a["href"] for a in block.select("a")] == list(DIRECTORIES)
        assert all(a["lang"] == "en" for a in block.select("a"))
        assert str(checked.year) in block.select_one(".checked").get_text()
    offline = html(hotline_client.get(f"/{locale}/offline"))
    assert offline.find("a", href=TEL) is not None  # the hotline, even with no connection


def test_the_offline_list_saves_the_pages_that_carry_the_help(hotline_client):
    saved = hotline_client.get("/es/offline.json").get_json()["core"]
    assert {"/es/guides/ice-encounters", "/es/guides/reporting-ice-activity", "/es/offline"} <= set(saved)


def test_the_legal_help_file_holds_current_https_links():
    """Checked without the network: well-formed https addresses, a last-checked date no older than
    MAX_AGE_DAYS (past it, open the links again and write the new date)."""
    directories = load_legal_help(ROOT / "content")
    assert [d.url for d in directories] == list(DIRECTORIES)
    assert all(d.url.startswith("https://") and " " not in d.url for d in directories)
    assert stale(directories) == [], f"re-check the links in content/legal-help.toml (older than {MAX_AGE_DAYS} days)"


def test_the_build_warns_about_a_link_not_checked_for_months(project_copy):
    keep_only_locales(project_copy, ["en"])
    source = project_copy / "content" / "legal-help.toml"
    old = dt.date.today() - dt.timedelta(days=MAX_AGE_DAYS + 30)
    source.write_text(source.read_text().replace("checked = 2026-12-07", f"checked = {old}", 1))
    result = copy_app(project_copy).test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"])
    assert result.exit_code == 0, result.output
    assert f"was last checked on {old}" in result.output and "EOIR" in result.output


@pytest.mark.parametrize("line, error", [
    ('url = "http://www.justice.gov/eoir/list-pro-bono-legal-service-providers"', "https"),
    ("checked = 2026-12-07", "checked = YYYY-MM-DD"),
])
def test_a_malformed_legal_help_entry_fails_the_build_naming_file_and_line(project_copy, line, error):
    keep_only_locales(project_copy, ["en"])
    source = project_copy / "content" / "legal-help.toml"
    text = source.read_text()
    good = next(row for row in text.splitlines() if row.startswith(line.split(" = ")[0] + " = "))
    source.write_text(text.replace(good, line if error == "https" else 'checked = "recently"', 1))
    result = copy_app(project_copy).test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"])
    assert result.exit_code != 0 and f"legal-help.toml:{text.splitlines().index('[[directory]]') + 1}:" in result.output
    assert error in result.output


def test_job_fields_are_checked_like_the_settings():
    assert for_job("", "", "US") is None
    assert for_job(" Centro ", "312 555 0199", "US").hotline == "+13125550199"
    with pytest.raises(LocalHelpError, match="^hotline"):
        for_job("Centro", "", "US")
    with pytest.raises(LocalHelpError, match="^hotline"):
        for_job("", "555", "US")
    with pytest.raises(LocalHelpError, match="^org_name"):
        for_job("x" * 61, "312 555 0199", "US")


@pytest.mark.parametrize("fields, message", [
    ("org_name=Centro+Unido&hotline=555", "Check the hotline number"),
    ("org_name=Centro+Unido&hotline=", "Add your hotline"),
    (f"org_name={'x' * 70}&hotline=3125550199", "Shorten your organization"),
])
def test_the_print_form_keeps_the_organizers_fields_after_an_error(client, fields, message):
    response = client.get(f"/en/print.pdf?guide=ice-encounters&locale=es&format=card&{fields}")
    assert response.status_code == 400
    doc = html(response)
    assert message in doc.select_one(".errors").get_text()
    given = dict(pair.split("=") for pair in fields.split("&"))
    assert doc.select_one("#org_name")["value"] == given["org_name"].replace("+", " ")
    assert doc.select_one("#hotline")["value"] == given["hotline"]


def test_the_print_form_offers_the_organizers_fields(client):
    doc = html(client.get("/ar/print"))
    assert doc.select_one("form.print input#org_name[name=org_name][maxlength='60']") is not None
    assert doc.select_one("form.print input#hotline[name=hotline][type=tel][dir=ltr]") is not None
    assert doc.select_one("label[for=org_name]") and doc.select_one("label[for=hotline]")


def test_the_deployments_hotline_is_part_of_every_key_it_changes(built, tmp_path):
    """PDF cache keys, the card-fit check and the content version all move with the help line."""
    from mai_guides.fingerprints import Project
    from mai_guides.local_help import LocalHelp
    from mai_guides.pdf.documents import DocSpec, document_key
    plain = make_app(tmp_path / "a", MAI_DATABASE=built.config["MAI_DATABASE"])
    local = make_app(tmp_path / "b", MAI_DATABASE=built.config["MAI_DATABASE"], **HOTLINE)
    spec = DocSpec("card", "ice-encounters", "es")
    keys = []
    for app in (plain, local):
        with app.test_request_context("/es/"):
            keys.append(document_key(spec))
    with plain.test_request_context("/es/"):
        keys.append(document_key(DocSpec("card", "ice-encounters", "es", local=LocalHelp("+13125550199"))))
        keys.append(document_key(DocSpec("card", "ice-encounters", "es", local=LocalHelp("+13125550100"))))
    assert len(set(keys)) == 4
    project = Project(ROOT)
    assert project.card_fit(["es"], None) != project.card_fit(["es"], None, "x")
    assert project.offline(None) != project.offline(None, "x")
    assert "Centro" not in repr(DocSpec("card", "x", "es", local=LocalHelp("+1", org_name="Centro")))


@pytest.mark.parametrize("locale", LOCALES)
def test_guide_pages_with_a_hotline_still_fit_the_budget(hotline_client, locale):
    """A deployment that sets its hotline (what every real one does) keeps every guide page within
    the 14 KB first-render budget of test_weight.py: Punjabi's know-your-rights page once ran 32
    bytes over it with a name, hours, a text number and a web address."""
    from test_weight import FIRST_RENDER_BUDGET, page_weight
    for slug in ("ice-encounters", "reporting-ice-activity"):
        first_render, _first_view = page_weight(hotline_client, f"/{locale}/guides/{slug}")
        assert first_render <= FIRST_RENDER_BUDGET, (locale, slug, first_render)
