"""Local help on paper (issue 20): the deployment's hotline on every card, poster and handout, and an
organizer's own on every document of a print job: inside the card's 9 pt safe area, at 6.5 pt or
more, whole on one line, its digits in order in Arabic, Persian and Urdu; never in a log."""
from __future__ import annotations

import urllib.request
from urllib.parse import urlencode

import pytest
from pdfs import chars, flat, get_pdf, page_sizes, qpdf_check, reader, text
from procfile_server import wait_until
from support import LOCALES, make_app
from test_local_help import HOTLINE

from mai_guides.pdf.documents import CARD_MIN_TEXT, CARD_SAFE_MARGIN, PAPERS, sheet_cells

pytestmark = pytest.mark.pdf  # renders PDFs and reads them back

NUMBER = "(312)555-0199"
CARD = (252.0, 144.0)
EPSILON = 0.05


@pytest.fixture(scope="module")
def hotline_client(built, tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("hotline-pdf"), MAI_DATABASE=built.config["MAI_DATABASE"], **HOTLINE)
    return app.test_client()


def number_runs(glyphs: list[dict], number: str = NUMBER) -> list[list[dict]]:
    """Each place the number is printed: its glyphs, read left to right along one line. Found among
    the glyphs of one line (one top), so a number broken across lines or out of order is not found.
    Parentheses count as one sign: a PDF maps each glyph to one character, and in a right-to-left
    document the glyph drawn as "(" also draws the mirrored ")" of the Arabic text around it."""
    number = number.replace(")", "(")
    rows: dict[float, list[dict]] = {}
    for glyph in glyphs:
        if glyph["text"] in "0123456789()-+ ":
            rows.setdefault(round(glyph["top"], 1), []).append(glyph)
    runs = []
    for row in rows.values():
        row = [g for g in sorted(row, key=lambda g: g["x0"]) if g["text"] != " "]
        line = "".join(g["text"] for g in row).replace(")", "(")
        start = line.find(number)
        while start >= 0:
            runs.append(row[start:start + len(number)])
            start = line.find(number, start + 1)
    return runs


def inside(glyph: dict, left: float, top: float, right: float, bottom: float) -> bool:
    """A glyph's box is inside the rectangle; a space is no ink (an Urdu bullet's trailing space
    may hang past the line's end)."""
    return not glyph["text"].strip() or (glyph["x0"] >= left - EPSILON and glyph["x1"] <= right + EPSILON
            and glyph["top"] >= top - EPSILON and glyph["bottom"] <= bottom + EPSILON)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_card_prints_the_hotline_whole_legible_and_inside_the_safe_area(hotline_client, locale):
    for slug in ("ice-encounters", "reporting-ice-activity"):
        card = get_pdf(hotline_client, f"/{locale}/cards/{slug}.pdf")
        assert page_sizes(card) == [CARD, CARD], "the card still fits its two sides"
        front = chars(card, 0)
        safe = CARD_SAFE_MARGIN
        assert all(inside(g, safe, safe, CARD[0] - safe, CARD[1] - safe) for g in front), (slug, "safe area")
        assert min(g["size"] for g in front) >= CARD_MIN_TEXT - 0.01
        runs = number_runs(front)
        assert len(runs) == 1, (slug, locale, "the number, once, whole and in order on one line")
        assert all(g["size"] >= CARD_MIN_TEXT - 0.01 for g in runs[0])
        assert NUMBER not in flat(text(card, 1)), "the English officer side stays as it was"


@pytest.mark.parametrize("locale", ["ur", "ar"])
def test_a_sheet_prints_the_hotline_on_every_card_inside_its_cell(hotline_client, locale):
    paper = PAPERS["letter"]
    sheet = get_pdf(hotline_client, f"/{locale}/cards/ice-encounters-sheet.pdf")
    front = chars(sheet, 0)
    runs = number_runs(front)
    assert len(runs) == 10
    safe = CARD_SAFE_MARGIN
    for cell in sheet_cells(paper):
        left, top = cell["front_left"], cell["top"]
        mine = [g for g in front if left <= (g["x0"] + g["x1"]) / 2 < left + paper.card_width
                and top <= (g["top"] + g["bottom"]) / 2 < top + paper.card_height]
        assert all(inside(g, left + safe, top + safe, left + paper.card_width - safe, top + paper.card_height - safe)
                   for g in mine), cell


@pytest.mark.parametrize("locale", ["en", "es", "ar", "fa", "ur", "zh-Hans"])
def test_the_poster_and_the_handout_print_the_hotline_in_the_readers_language(hotline_client, locale):
    poster = get_pdf(hotline_client, f"/{locale}/posters/ice-encounters.pdf")
    assert len(page_sizes(poster)) == 1
    assert len(number_runs(chars(poster, 0))) == 1
    width, height = page_sizes(poster)[0]
    assert all(inside(g, 36, 36, width - 36, height - 36) for g in chars(poster, 0)), "poster ink in the margin"
    handout = get_pdf(hotline_client, f"/{locale}/guides/reporting-ice-activity.pdf")
    # at the top of every page, under "What to do now" and in "Call the hotline, not the timeline"
    pages = range(len(reader(handout).pages))
    assert all(number_runs(chars(handout, page)) for page in pages)
    assert sum(len(number_runs(chars(handout, page))) for page in pages) == len(pages) + 2
    assert all(len(run) == len(NUMBER) for page in range(len(reader(handout).pages))
               for run in number_runs(chars(handout, page)))
    words = flat(text(handout))
    assert "EOIRListofProBonoLegalServiceProviders" in words and "immigrationadvocatesorglegaldirectory" in words


def test_without_a_hotline_nothing_local_is_printed(client):
    for url in ("/es/cards/ice-encounters.pdf", "/es/posters/ice-encounters.pdf"):
        data = get_pdf(client, url)
        assert all(not number_runs(chars(data, page), "555-") for page in range(len(reader(data).pages)))


def job(client, org: str, number: str, fmt: str, locales=("es", "ar")) -> tuple[bytes, str]:
    query = urlencode([("guide", "ice-encounters"), ("guide", "reporting-ice-activity"),
                       *(("locale", code) for code in locales), ("format", fmt),
                       ("org_name", org), ("hotline", number)])
    response = client.get(f"/en/print.pdf?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert "private" in response.headers["Cache-Control"] and "public" not in response.headers["Cache-Control"]
    return response.data, response.headers["ETag"]


def test_a_print_job_carries_the_organizers_name_and_number_on_every_document(client, app):
    """Four posters (two guides x Spanish and Arabic), one page each: every page has both; cards
    have them on every front. A second organizer gets their own job, never the first one's."""
    posters, etag = job(client, "Centro Unido de Prueba", "(415) 867-5309", "poster")
    qpdf_check(posters)
    pages = reader(posters).pages
    assert len(pages) == 4
    for number in range(len(pages)):
        assert len(number_runs(chars(posters, number), "(415)867-5309")) == 1, number
        assert "CentroUnidodePrueba" in flat(text(posters, number)), number
    cards, _etag = job(client, "Centro Unido de Prueba", "(415) 867-5309", "card", locales=("ur",))
    for front in (0, 2):
        assert len(number_runs(chars(cards, front), "(415)867-5309")) == 1
    other, other_etag = job(client, "Otro Grupo", "(312) 555-0100", "poster")
    assert other_etag != etag and not number_runs(chars(other, 0), "(415)867-5309")
    assert len(number_runs(chars(other, 0), "(312)555-0100")) == 1
    # the site's own documents are untouched, and no file name in the cache holds a job's field
    assert not number_runs(chars(get_pdf(client, "/es/posters/ice-encounters.pdf"), 0), "(415)867-5309")
    from pathlib import Path
    names = " ".join(str(p) for p in Path(app.config["MAI_PDF_CACHE"]).rglob("*"))
    assert "Centro" not in names and "8675309" not in names and "Otro" not in names


def test_nothing_of_a_print_jobs_fields_reaches_the_log(server):
    base, log = server
    query = urlencode({"guide": "ice-encounters", "locale": "es", "format": "card",
                       "org_name": "Zanzibar Solidaridad", "hotline": "+1 415 867 5309"})
    for url in (f"{base}/es/print.pdf?{query}", f"{base}/es/print.pdf?{query}&hotline=12"):
        try:
            urllib.request.urlopen(url, timeout=60).read()
        except urllib.error.HTTPError as error:  # the form again, with a 400
            assert error.code == 400
    wait_until(lambda: log.read_text().count("/es/print.pdf") >= 2, 10, "the requests were not logged")
    logged = log.read_text()
    for secret in ("Zanzibar", "Solidaridad", "8675309", "867 5309", "867+5309", "org_name", "hotline"):
        assert secret not in logged, secret


@pytest.mark.parametrize("fmt", ["sheet", "handout"])
def test_a_sheet_or_handout_job_carries_the_organizers_name_and_number_on_every_page(client, fmt):
    """Sheets: all ten cards of every front page (the backs are the officer's English side).
    Handouts run to several pages: each page carries them (a running line at its top), so a page
    that comes loose from the staple still says whom to call."""
    data, _etag = job(client, "Centro Unido de Prueba", "(415) 867-5309", fmt, locales=("es", "ur"))
    qpdf_check(data)
    pages = range(len(reader(data).pages))
    if fmt == "sheet":
        fronts = [page for page in pages if page % 2 == 0]
        assert len(fronts) == 4
        for page in fronts:
            assert len(number_runs(chars(data, page), "(415)867-5309")) == 10, page
            assert flat(text(data, page)).count("CentroUnidodePrueba") == 10, page
        return
    assert len(pages) > 4, "several pages per handout"
    for page in pages:
        runs = number_runs(chars(data, page), "(415)867-5309")
        assert runs, f"page {page + 1} without the organizer's number"
        assert all(len(run) == len("(415)867-5309") for run in runs)
        assert "CentroUnidodePrueba" in flat(text(data, page)), page


@pytest.mark.parametrize("locale", ["en", "ar", "ur"])
def test_a_printed_hotline_replaces_the_blank_to_write_one_in(hotline_client, client, locale):
    """The reporting card's "Hotline: ______" line is for writing a number by hand: with a number
    printed under it, a blank beside it would only puzzle the reader (card and poster alike)."""
    for url in (f"/{locale}/cards/reporting-ice-activity.pdf", f"/{locale}/posters/reporting-ice-activity.pdf"):
        assert "___" in text(get_pdf(client, url), 0), (url, "the blank, without a hotline")
        printed = get_pdf(hotline_client, url)
        assert "___" not in text(printed, 0) and len(number_runs(chars(printed, 0))) == 1, url
