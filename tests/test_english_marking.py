"""English inside a translation is marked as English: the quoted words a reader says to an agent
carry lang="en" in pages and /Lang (en) in PDFs, so a screen reader reads them in English, and
right-to-left text keeps them isolated for direction as before."""
from __future__ import annotations

import pytest
from pdfs import get_pdf, reader
from support import LOCALES, RTL, html

from mai_guides import ROOT
from mai_guides.builder.content import load_content
from mai_guides.builder.markup import english_in, english_quotes, isolate_latin_runs, mark_english

GUIDES = {guide.slug: guide for guide in load_content(ROOT / "content").guides}
SAY = 'Say: "I do not consent to a search."'


def test_the_quoted_english_of_a_segment_is_wrapped_wherever_a_translation_keeps_it():
    spanish = 'Diga: "No doy mi consentimiento" ("I do not consent to a search").'
    assert mark_english(spanish, SAY) == \
        'Diga: "No doy mi consentimiento" (<span lang="en" dir="ltr">"I do not consent to a search"</span>).'
    assert english_in(spanish, SAY) == ['"I do not consent to a search"']  # its final full stop dropped
    arabic = isolate_latin_runs(mark_english('قل: «لا أوافق» ("I do not consent to a search.")', SAY))
    assert '<span lang="en" dir="ltr"><bdi dir="ltr">"I do not consent to a search."</bdi></span>' in arabic


def test_a_one_word_quote_and_a_translated_quote_are_not_marked():
    assert english_quotes('Your "no" still matters. Say: "Am I free to leave?"') == ("Am I free to leave?",)
    assert mark_english('Su "no" sigue contando.', 'Your "no" still matters.') == 'Su "no" sigue contando.'
    assert mark_english('Diga: "No doy mi consentimiento".', SAY) == 'Diga: "No doy mi consentimiento".'


def english_phrases() -> set[str]:
    """Every quoted English phrase of the guides' text."""
    return {phrase for guide in GUIDES.values() for block in guide.blocks for segment in block.segments
            for phrase in english_quotes(segment)}


def english_texts(doc, phrases: set[str]) -> tuple[int, list[str]]:
    """How many texts of a guide page hold one of the phrases, and those no element marks English."""
    found, unmarked = 0, []
    for node in doc.select_one("main article").find_all(string=True):
        if any(phrase in node for phrase in phrases):
            found += 1
            if node.parent.get("lang") != "en" and not node.parent.find_parent(attrs={"lang": "en"}):
                unmarked.append(str(node)[:80])
    return found, unmarked


@pytest.mark.parametrize("locale", [code for code in LOCALES if code != "en"])
def test_every_quoted_english_phrase_on_a_guide_page_is_marked_english(client, locale):
    phrases = english_phrases()
    found, unmarked = english_texts(html(client.get(f"/{locale}/guides/ice-encounters")), phrases)
    assert found and unmarked == [], (found, unmarked)
    marked = html(client.get(f"/{locale}/guides/ice-encounters")).select('#what-to-do-now [lang="en"]')
    assert marked and all(span["dir"] == "ltr" for span in marked)
    if locale in RTL:  # isolated for direction, as before
        assert all(span.find("bdi") for span in marked)


def explicit_langs(data: bytes) -> list[tuple[str, str]]:
    """(tag, /Lang) of every structure element that carries its own /Lang."""
    found = []

    def walk(element):
        element = element.get_object()
        if isinstance(element, dict) and "/S" in element:
            if "/Lang" in element:
                found.append((str(element["/S"]), str(element["/Lang"])))
            kids = element.get("/K")
            for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
                walk(kid)

    kids = reader(data).trailer["/Root"]["/StructTreeRoot"]["/K"]
    for kid in kids if isinstance(kids, list) else [kids]:
        walk(kid)
    return found


@pytest.mark.parametrize("locale", ["es", "ar", "ur", "zh-Hans"])
def test_quoted_english_in_handouts_cards_and_posters_is_tagged_english(client, locale):
    for url in (f"/{locale}/guides/ice-encounters.pdf", f"/{locale}/cards/ice-encounters.pdf",
                f"/{locale}/posters/ice-encounters.pdf"):
        spans = [lang for tag, lang in explicit_langs(get_pdf(client, url)) if tag == "/Span"]
        assert spans and set(spans) == {"en"}, (url, spans)


def test_english_documents_mark_nothing_as_a_quote(client):
    """In English the whole document is English: no span needs its own language."""
    spans = [lang for tag, lang in explicit_langs(get_pdf(client, "/en/guides/ice-encounters.pdf")) if tag == "/Span"]
    assert spans == []
