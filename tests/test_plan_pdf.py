"""The family plan printed to fill in by hand (issue 21): every locale, Letter and A4, tagged, checked
by qpdf, no character without a glyph, no text under 6.5 pt, ink inside the page's margins."""
from __future__ import annotations

import pytest
from pdfs import chars, flat, get_pdf, page_sizes, qpdf_check, reader, text
from support import LOCALES, REGISTRY
from translated import translated

from mai_guides import fonts
from mai_guides.pdf.documents import CARD_MIN_TEXT, PAPERS, UNPRINTABLE

pytestmark = pytest.mark.pdf  # renders PDFs and reads them back

# Scripts pdfplumber reads back out of order (Nastaliq; Indic vowel signs before their consonants)
GARBLED = ("ur", "bn", "hi", "pa")
SIZES = {name: (round(paper.width, 1), round(paper.height, 1)) for name, paper in PAPERS.items()}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("paper", list(PAPERS))
def test_the_printed_plan_in_every_locale_and_paper(client, locale, paper):
    data = get_pdf(client, f"/{locale}/plan.pdf" + ("" if paper == "letter" else f"?paper={paper}"))
    qpdf_check(data)
    sizes = page_sizes(data)
    assert 1 <= len(sizes) <= 3 and set(sizes) == {SIZES[paper]}
    root = reader(data).trailer["/Root"]
    assert str(root["/MarkInfo"]["/Marked"]).lower() == "true" and str(root["/Lang"]) == locale
    words = text(data)
    assert fonts.uncovered(words, locale) == set(), "a character without a glyph"
    width, height = SIZES[paper]
    for page in range(len(sizes)):
        glyphs = [g for g in chars(data, page) if g["text"].strip()]
        assert min(g["size"] for g in glyphs) >= CARD_MIN_TEXT - 0.01
        assert all(g["x0"] >= 36 and g["x1"] <= width - 36 and g["top"] >= 30 and g["bottom"] <= height - UNPRINTABLE
                   for g in glyphs), "ink in the margin (the page number sits in the bottom one, above the printer's 5 mm)"
    assert "I am exercising my right to remain silent." in " ".join(words.split()), "what to say, in English"
    if locale not in ("en", *GARBLED):
        # word by word: right-to-left extraction may move a Latin letter ("A-number") out of its place
        for msgid in ("Who to call", "Money and bills", "A-numbers and the detainee locator"):
            label = translated(locale, "messages", msgid)
            assert all(flat(word) in flat(words) for word in label.split()), msgid
    if REGISTRY[locale].machine_draft:
        label = translated(locale, "messages", "This translation is a machine draft. A person has not checked it yet.")
        if locale in GARBLED:  # read the document's HTML instead: the same text, before layout
            from mai_guides.pdf.documents import DocSpec, document_html
            with client.application.test_request_context(f"/{locale}/"):
                assert label in " ".join(document_html(DocSpec("plan", "family-plan", locale, paper)).split())
        else:
            assert all(flat(word) in flat(words) for word in label.split())
    assert "locator.ice.gov" in words


def test_the_printed_plan_is_cached_and_a_bad_paper_is_a_400(client):
    first = client.get("/es/plan.pdf")
    assert first.status_code == 200 and first.headers["ETag"]
    assert client.get("/es/plan.pdf", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get("/es/plan.pdf?paper=legal").status_code == 400
    assert client.get("/xx/plan.pdf").status_code == 404
