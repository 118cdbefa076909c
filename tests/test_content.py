"""The English sources: structure, sources, plain language."""
from __future__ import annotations

import re

import pyphen
import pytest

from mai_guides import ROOT
from mai_guides.builder.content import load_content
from mai_guides.builder.markup import plain_text

CONTENT = load_content(ROOT / "content")
HYPHENATOR = pyphen.Pyphen(lang="en_US")


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade; syllables estimated from hyphenation points (pyphen, via WeasyPrint)."""
    sentences = max(1, len(re.findall(r"[.!?:]+(?:\s|$)", text)))
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", text)
    syllables = sum(len(HYPHENATOR.positions(word)) + 1 for word in words)
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59


@pytest.mark.parametrize("guide", CONTENT.guides, ids=lambda g: g.slug)
def test_guides_are_plain_language(guide):
    segments = [plain_text(s) for b in guide.blocks if b.kind != "heading" for s in b.segments]
    assert reading_grade(" ".join(s if s.endswith((".", "!", "?", ":")) else s + "." for s in segments)) <= 8


@pytest.mark.parametrize("guide", CONTENT.guides, ids=lambda g: g.slug)
def test_guides_cite_sources_and_carry_a_review_date(guide):
    assert len(guide.sources) >= 3
    assert all(source.url.startswith("https://") for source in guide.sources)
    assert guide.last_reviewed.year >= 2025


def test_ice_encounters_covers_every_situation():
    anchors = [b.anchor for b in CONTENT.guides[0].blocks if b.kind == "heading"]
    assert CONTENT.guides[0].slug == "ice-encounters"
    for anchor in ["at-home", "in-public", "in-a-car", "at-work", "if-arrested", "prepare-your-family"]:
        assert anchor in anchors


def test_reporting_guide_covers_salute_verification_hotline_privacy_corrections():
    guide = next(g for g in CONTENT.guides if g.slug == "reporting-ice-activity")
    anchors = [b.anchor for b in guide.blocks if b.kind == "heading"]
    for anchor in ["salute", "verify-before-sharing", "call-the-hotline", "protect-people", "label-and-correct"]:
        assert anchor in anchors
    salute = next(b for b in guide.blocks if b.kind == "ul" and "Size" in b.segments[0])
    assert [s.split("—")[0].strip("* ") for s in salute.segments] == list("SALUTE")


# The federal government's own information lines, cited in the guide's sources, are stable.
OFFICIAL_LINES = {"1-800-898-7180"}  # EOIR's automated immigration court case information


def test_no_hotline_numbers_are_published():
    """Hotline numbers change; the guides tell readers to find their local one instead."""
    for item in (*CONTENT.guides, *CONTENT.news):
        numbers = set(re.findall(r"\b1-8\d\d-\d{3}-\d{4}\b", item.path.read_text()))
        assert numbers <= OFFICIAL_LINES, (item.path, numbers - OFFICIAL_LINES)


def test_the_newsletter_posts_are_all_there():
    titles = " ".join(post.title for post in CONTENT.news)
    for words in ["Islamophobia", "FreedomCities", "Deportation Charter Flight", "Expanding Sanctuary",
                  "Tompkins County", "Puzder", "United We Dream"]:
        assert words in titles
