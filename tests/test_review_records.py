"""No claim of review that did not happen: a lawyer's review is a record kept in the repository
(who, in what role, what, when); without one, every guide page and handout says in the reader's
language that no lawyer has checked the guide, and English is never shown as reviewed by a person."""
from __future__ import annotations

import hashlib

import pytest
from pdfs import flat, get_pdf, text
from support import LOCALES, copy_app, html, keep_only_locales
from translated import translated

from mai_guides import ROOT
from mai_guides.builder.legal_reviews import REVIEWS_FILE, load_reviews
from mai_guides.registry import RegistryError, load_registry, registry_file

NOT_CHECKED = "No lawyer has checked this guide yet."


def test_the_repository_holds_no_review_that_did_not_happen():
    assert load_reviews(ROOT / "content") == []
    assert "[[review]]" not in "".join(line for line in (ROOT / "content" / REVIEWS_FILE).read_text().splitlines()
                                       if not line.startswith("#"))
    english = load_registry(registry_file(ROOT / "translations"))["en"]
    assert not english.reviewed and english.last_reviewed is None and not english.machine_draft


def test_the_registry_refuses_to_call_the_english_source_reviewed(tmp_path):
    registry = tmp_path / "locales.toml"
    registry.write_text('[en]\nname = "English"\nenglish_name = "English"\nreviewed = true\n')
    with pytest.raises(RegistryError, match="legal-reviews.toml"):
        load_registry(registry)


def test_translation_status_never_shows_english_as_reviewed_by_a_person(client):
    english = html(client.get("/translate/", headers={"Accept-Language": "en"})).select_one("#status-en")
    words = " ".join(english.get_text().split())
    assert "Reviewed by a human" not in words and "Original text, not a translation" in words
    assert "Not yet reviewed" in html(client.get("/translate/")).select_one("#status-es").get_text()


@pytest.mark.parametrize("locale", LOCALES)
def test_every_guide_page_says_no_lawyer_has_checked_it(client, locale):
    expected = NOT_CHECKED if locale == "en" else translated(locale, "messages", NOT_CHECKED)
    for slug in ("ice-encounters", "reporting-ice-activity"):
        note = html(client.get(f"/{locale}/guides/{slug}")).select_one("main .legal-review")
        assert " ".join(note.get_text().split()) == expected, (locale, slug)


@pytest.mark.parametrize("locale", ["en", "es", "ar"])
def test_every_handout_says_no_lawyer_has_checked_it(client, locale):
    expected = NOT_CHECKED if locale == "en" else translated(locale, "messages", NOT_CHECKED)
    assert flat(expected) in flat(text(get_pdf(client, f"/{locale}/guides/ice-encounters.pdf"), 0))


def review_record(guide, reviewer: str = "Ana Abogada") -> str:
    digest = hashlib.sha256(guide.read_bytes()).hexdigest()
    return (f'[[review]]\nsource = "guides/ice-encounters.md"\nsha256 = "{digest}"\nreviewer = "{reviewer}"\n'
            f'role = "Immigration attorney, State Bar of California"\ndate = 2026-12-05\n')


def test_a_record_shows_who_checked_what_when_until_the_text_changes(project_copy):
    keep_only_locales(project_copy, ["en", "es"])
    guide = project_copy / "content" / "guides" / "ice-encounters.md"
    (project_copy / "content" / REVIEWS_FILE).write_text(review_record(guide))
    app = copy_app(project_copy, MAI_BASE_URL="")
    assert app.test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"]).exit_code == 0
    client = app.test_client()
    english = " ".join(html(client.get("/en/guides/ice-encounters")).select_one(".legal-review").get_text().split())
    assert english == ("A lawyer checked the English text on December 5, 2026: Ana Abogada, "
                       "Immigration attorney, State Bar of California.")
    spanish = html(client.get("/es/guides/ice-encounters")).select_one(".legal-review").get_text()
    assert "Ana Abogada" in spanish and "5 de diciembre de 2026" in spanish
    other = html(client.get("/en/guides/reporting-ice-activity")).select_one(".legal-review").get_text()
    assert other.strip() == NOT_CHECKED  # a record covers the one file it names

    guide.write_text(guide.read_text().replace("stay calm.", "stay calm!", 1))  # any edit voids it
    assert app.test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"]).exit_code == 0
    voided = html(app.test_client().get("/en/guides/ice-encounters")).select_one(".legal-review").get_text()
    assert voided.strip() == NOT_CHECKED


def test_a_malformed_record_fails_the_build_naming_the_file(project_copy):
    keep_only_locales(project_copy, ["en", "es"])
    reviews = project_copy / "content" / REVIEWS_FILE
    reviews.write_text('[[review]]\nsource = "guides/ice-encounters.md"\nsha256 = "abc"\nreviewer = "X"\n'
                       'role = "Attorney"\ndate = 2026-12-05\n')
    result = copy_app(project_copy).test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"])
    assert result.exit_code != 0 and f"{reviews}" in result.output and "sha256" in result.output
    assert not (project_copy / "mai.db").exists()


@pytest.mark.parametrize("locale", ["en", "es", "ar"])
def test_related_news_on_a_guide_page_shows_it_is_from_the_2017_newsletter(client, locale):
    label = "From the Mobilizing Against Inequality newsletter, %(year)s"
    expected = (label if locale == "en" else translated(locale, "messages", label)).replace("%(year)s", "2017")
    items = html(client.get(f"/{locale}/guides/ice-encounters")).select(".related li")
    assert items and all(" ".join(item.select_one(".meta").get_text().split()) == expected for item in items)
