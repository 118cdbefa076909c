"""Issue 7: the advice is current (2025-26 law), dated, honest about what is contested, labelled
as a machine draft where no person has checked the translation, and first on the screen."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import readability
from babel.messages.pofile import read_po
from support import po_file

from mai_guides import ROOT
from mai_guides.build.content import load_content
from mai_guides.build.glossary import glossary_problems, load_glossary, locales_missing
from mai_guides.build.markup import plain_text
from mai_guides.registry import load_registry, registry_file

CONTENT = load_content(ROOT / "content")
GUIDES = {guide.slug: guide for guide in CONTENT.guides}
CARDS = {card.slug: card for card in CONTENT.cards}
REGISTRY = load_registry(registry_file(ROOT / "translations"))
CHECKED = dt.date(2026, 11, 30)  # the day content-facts.md section b.11 was checked


def section_text(slug: str, anchor: str) -> str:
    """The plain English text of one level-2 section of a guide (heading excluded)."""
    text, inside = [], False
    for block in GUIDES[slug].blocks:
        if block.kind == "heading" and block.level == 2:
            inside = block.anchor == anchor
            continue
        if inside:
            text += [plain_text(s) for s in block.segments]
    assert text, f"{slug} has no section #{anchor}"
    return " ".join(text)


# Each point of issue 7, item 1: (guide, section, words that must be there).
POINTS = [
    ("ice-encounters", "at-home", ["Warrant of Removal (form I-205)", "final order of removal", "force their way",
                                   "lawsuit challenges it", "(as of November 2026)", "do not agree to let them in",
                                   "do not resist", "record what happens", "see a lawyer now"]),
    ("ice-encounters", "at-home", ["A warrant signed by a judge lets agents enter, but only where it says"]),
    ("ice-encounters", "at-home", ["step outside and close the door",
                                   "outside your home, an administrative warrant is enough for agents to arrest you"]),
    ("ice-encounters", "if-arrested", ["expedited removal", "without a hearing before a judge",
                                       "cannot prove two years", "leases, bills, pay stubs",
                                       "Give copies to a trusted person",
                                       "show that proof instead of talking",
                                       "only if it is true"]),
    ("ice-encounters", "if-arrested", ["Most people have the right to a hearing before an immigration judge",
                                       "But there is an exception"]),
    ("ice-encounters", "if-arrested", ["ask for a bond hearing and a lawyer right away",
                                       "cannot give bond to people who entered without inspection", "habeas petition",
                                       "before you are moved to another state"]),
    ("ice-encounters", "basics", ["Should you carry papers?", "register (form G-325R)", "carry proof",
                                  "Talk to a lawyer before you register"]),
    ("ice-encounters", "if-you-witness", ["Film from a safe distance", "Never follow agents or their vehicles",
                                          "If agents tell you to step back, do it", "If you do not have papers",
                                          "license plates and badges",
                                          "Do not publish the names or home addresses of agents"]),
    ("reporting-ice-activity", "observe-safely", ["Film from a safe distance", "Never follow agents or their vehicles",
                                                  "If agents tell you to step back, do it",
                                                  "If you do not have papers", "Film badges and license plates",
                                                  "do not publish agents' names or home addresses"]),
    ("ice-encounters", "if-arrested", ["consulate", "Do not do this if you fear your own government"]),
    ("ice-encounters", "if-arrested", ["badge numbers", "Write down what happened"]),
    ("ice-encounters", "if-arrested", ["Do not talk about your case with anyone but your lawyer",
                                       "Calls from detention are recorded"]),
    ("ice-encounters", "basics", ["Lock your phone", "Turn off face and fingerprint unlock"]),
    ("ice-encounters", "prepare-your-family", ["deportation order, or been arrested or convicted",
                                               "get a lawyer to check your case now"]),
    ("ice-encounters", "at-work", ["Some groups advise", "split into groups by status", "you do not have to move"]),
]


@pytest.mark.parametrize("slug, anchor, words", POINTS, ids=[f"{p[0]}#{p[1]}:{p[2][0][:30]}" for p in POINTS])
def test_each_2025_26_point_is_in_its_section(slug, anchor, words):
    text = section_text(slug, anchor)
    for phrase in words:
        assert phrase.lower() in text.lower(), f"#{anchor} of {slug} lacks {phrase!r}"


@pytest.mark.parametrize("slug", GUIDES)
def test_contested_law_is_dated(slug):
    text = " ".join(plain_text(s) for b in GUIDES[slug].blocks for s in b.segments)
    assert "as of November 2026" in text


@pytest.mark.parametrize("slug", GUIDES)
def test_each_guide_opens_with_what_to_do_now(slug):
    """The first section is the short list of what to say or do; the page puts it first on screen."""
    blocks = GUIDES[slug].blocks
    first = next(i for i, b in enumerate(blocks) if b.kind == "heading")
    assert blocks[first].anchor == "what-to-do-now"
    items = blocks[first + 1]
    assert items.kind == "ul" and 4 <= len(items.segments) <= 6
    assert blocks[first + 2].kind == "heading", "the block holds the list only"


@pytest.mark.parametrize("slug", GUIDES)
def test_review_date_and_sources_are_current(slug):
    guide = GUIDES[slug]
    assert guide.last_reviewed >= CHECKED
    assert all(source.url.startswith("https://") for source in guide.sources)


def test_sources_for_the_new_law_are_linked():
    urls = " ".join(s.url for s in GUIDES["ice-encounters"].sources)
    for host in ["immpolicytracking.org", "aila.org", "govinfo.gov", "law.cornell.edu/uscode/text/8/1306",
                 "acludc.org", "nipnlg.org", "acluaz.org", "justice.gov/eoir"]:
        assert host in urls


def tokenized(segments: list[str]) -> str:
    """One sentence per line, tokens split by spaces: the input the readability library expects."""
    sentences = [s for segment in segments for s in re.split(r"(?<=[.!?:])\s+", segment)]
    return "\n".join(" ".join(re.findall(r"[\w'’-]+|[^\w\s]", s)) for s in sentences)


@pytest.mark.parametrize("slug", GUIDES)
def test_plain_language_by_a_readability_library(slug):
    """Flesch-Kincaid grade from the `readability` package (its own syllable counter)."""
    segments = [plain_text(s) for b in GUIDES[slug].blocks if b.kind != "heading" for s in b.segments]
    grade = readability.getmeasures(tokenized(segments), lang="en")["readability grades"]["Kincaid"]
    assert grade <= 6, grade


def test_card_back_refuses_entry_and_search_and_never_invites_opening():
    back = " ".join(CARDS["ice-encounters"].back)
    assert "I do not consent to your entry" in back and "any search" in back
    assert "I will not open the door" in back
    opening = re.findall(r"[^.]*\bopen\b[^.]*", back)
    assert all("not open" in sentence for sentence in opening), opening
    assert "show it to me" not in back


# --- the glossary ---------------------------------------------------------------------------

GLOSSARY = load_glossary(ROOT / "translations" / "glossary.toml")


def test_every_shipped_locale_has_every_legal_term():
    codes = [code for code in REGISTRY.codes if code != "en"]
    assert locales_missing(GLOSSARY, codes) == {}


@pytest.mark.parametrize("code", [code for code in REGISTRY.codes if code != "en"])
def test_every_translation_uses_the_approved_legal_terms(code):
    path = po_file(ROOT, code, "content")
    with path.open("rb") as handle:
        catalog = read_po(handle)
    assert [str(p) for p in glossary_problems(GLOSSARY, code, path, catalog)] == []


def test_a_translation_that_drops_the_judge_signed_warrant_fails_the_build(project_copy):
    """Spanish 'una orden' instead of 'una orden firmada por un juez': the build names file and line."""
    import polib
    from support import copy_app, po_file

    path = po_file(project_copy, "es", "content")
    catalog = polib.pofile(str(path), wrapwidth=0)
    entry = next(e for e in catalog if e.msgid.startswith("Ask: \"Do you have a warrant signed by a judge?"))
    entry.msgstr = 'Pregunte: "¿Tiene una orden? Pásela por debajo de la puerta o muéstrela por la ventana."'
    catalog.save(str(path))
    line = next(number for number, text in enumerate(path.read_text().splitlines(), 1)
                if text.startswith("msgid") and "Do you have a warrant signed by a judge" in text)
    app = copy_app(project_copy)
    result = app.test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"])
    assert result.exit_code != 0
    assert f"content.po:{line}:" in result.output, result.output
    assert "judge-signed-warrant" in result.output and "firmada por un juez" in result.output
    assert not (project_copy / "mai.db").exists()
