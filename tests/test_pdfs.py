"""PDFs read back: sizes, text per locale, fonts, links and QR, crop marks, cache, limits."""
from __future__ import annotations

import pytest
from pdfs import flat, fonts, get_pdf, link_targets, page_sizes, qr_codes, rects, text
from support import LOCALES, PUBLIC_URL, copy_app, html, keep_only_locales, make_app
from translated import translated

from mai_guides.pdf.documents import PAPERS, crop_marks, sheet_cells

pytestmark = pytest.mark.pdf  # renders PDFs and reads them back

LETTER, A4, CARD = (612.0, 792.0), (595.3, 841.9), (252.0, 144.0)
GUIDES = ["ice-encounters", "reporting-ice-activity"]
# The face each script must be drawn in: Han text in the locale's own CJK face (not the
# Japanese one fontconfig prefers), Urdu in Nastaliq.
EXPECTED_FACE = {"zh-Hans": "Noto Sans CJK SC", "zh-Hant": "Noto Sans CJK TC", "ko": "Noto Sans CJK KR",
                 "ar": "Noto Naskh Arabic", "fa": "Noto Naskh Arabic", "ps": "Noto Naskh Arabic",
                 "ur": "Noto Nastaliq Urdu", "hi": "Noto Sans Devanagari", "bn": "Noto Sans Bengali",
                 "pa": "Noto Sans Gurmukhi", "am": "Noto Sans Ethiopic", "ti": "Noto Sans Ethiopic"}


def squash(name: str) -> str:
    return name.replace("-", "").replace(" ", "").lower()


def card_front(client, locale, slug):
    from mai_guides import db
    with client.application.test_request_context(f"/{locale}/"):
        return db.card(locale, slug)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("slug", GUIDES)
def test_wallet_card_is_two_card_sized_pages_front_in_locale_back_in_english(client, locale, slug):
    data = get_pdf(client, f"/{locale}/cards/{slug}.pdf")
    assert page_sizes(data) == [CARD, CARD]
    back = text(data, 1)
    assert ("remain silent" if slug == "ice-encounters" else "not interfere") in back
    face = EXPECTED_FACE.get(locale)
    used = fonts(data)
    assert all(used.values()), f"fonts not embedded: {used}"
    if face:
        assert any(squash(name).startswith(squash(face)) for name in used), (locale, used)
    if locale in ("en", "es", "fr", "vi", "zh-Hans", "ko", "ru", "hmn"):
        first_line = card_front(client, locale, slug)["front"][0]
        assert first_line.split()[0].strip("“”\"«»") in text(data, 0).replace("\n", " ")


@pytest.mark.parametrize("paper, size", [("letter", LETTER), ("a4", A4)])
def test_card_sheet_is_ten_up_with_mirrored_backs_and_crop_marks(client, paper, size):
    data = get_pdf(client, f"/es/cards/ice-encounters-sheet.pdf?paper={paper}")
    assert page_sizes(data) == [size, size]
    card = card_front(client, "es", "ice-encounters")
    assert text(data, 0).count(card["title"]) == 10
    assert text(data, 1).count("TO THE OFFICER") == 10
    spec = PAPERS[paper]
    # crop marks: thin black rects in the margins, on every card edge
    marks = [r for r in rects(data, 0) if min(r["width"], r["height"]) < 1 and max(r["width"], r["height"]) > 10]
    assert len(marks) == len(crop_marks(spec)) == 18
    vertical_x = sorted({round(r["x0"] + r["width"] / 2, 1) for r in marks if r["height"] > r["width"]})
    assert vertical_x == [round(spec.margin_x + i * spec.card_width, 1) for i in range(3)]
    for r in marks:  # all outside the card area
        inside_x = spec.margin_x < r["x0"] + 0.3 and r["x1"] - 0.3 < spec.width - spec.margin_x
        inside_y = spec.margin_y < r["top"] + 0.3 and r["bottom"] - 0.3 < spec.height - spec.margin_y
        assert not (inside_x and inside_y)


def test_sheet_backs_mirror_fronts_for_duplex():
    for paper in PAPERS.values():
        cells = sheet_cells(paper)
        assert len(cells) == 10
        for cell in cells:
            assert cell["front_left"] + cell["back_left"] == 2 * paper.margin_x + paper.card_width
        assert paper.margin_x > 0 and paper.margin_y > 0


@pytest.mark.parametrize("paper, size", [("letter", LETTER), ("a4", A4)])
def test_handout_has_guide_date_sources_notice_link_and_qr(client, app, paper, size):
    data = get_pdf(client, f"/en/guides/ice-encounters.pdf?paper={paper}")
    sizes = page_sizes(data)
    assert len(sizes) >= 2 and set(sizes) == {size}
    body = text(data).replace("\n", " ")
    url = f"{app.config['MAI_BASE_URL']}/en/guides/ice-encounters"
    for expected in ("Know your rights", "English text last checked", "not legal advice", "aclu", url):
        assert expected.lower() in body.lower(), expected
    assert url in link_targets(data)
    assert qr_codes(data, 0) == [url]


def test_spanish_handout_is_spanish_with_spanish_qr(client, app):
    data = get_pdf(client, "/es/guides/reporting-ice-activity.pdf")
    url = f"{app.config['MAI_BASE_URL']}/es/guides/reporting-ice-activity"
    assert qr_codes(data, 0) == [url]
    assert flat(translated("es", "messages", DRAFT)) in flat(text(data, 0))  # the machine-draft notice, in Spanish


@pytest.mark.parametrize("paper, size", [("letter", LETTER), ("a4", A4)])
def test_door_poster_is_one_page_with_the_english_line(client, paper, size):
    data = get_pdf(client, f"/es/posters/ice-encounters.pdf?paper={paper}")
    assert page_sizes(data) == [size]
    assert "warrant signed by a judge" in text(data).replace("\n", " ")


@pytest.mark.parametrize("url", [
    "/en/guides/ice-encounters.pdf?paper=legal", "/en/cards/ice-encounters-sheet.pdf?paper=",
    "/en/posters/ice-encounters.pdf?paper=A4%00",
])
def test_bad_paper_is_a_400(client, url):
    response = client.get(url)
    assert response.status_code == 400 and response.mimetype == "text/html"


@pytest.mark.parametrize("url", ["/en/cards/nope.pdf", "/en/cards/-sheet.pdf", "/en/guides/nope.pdf",
                                 "/zz/cards/ice-encounters.pdf", "/en/posters/..%2f..%2fetc.pdf"])
def test_unknown_pdf_is_a_404(client, url):
    assert client.get(url).status_code == 404


def test_pdfs_have_etag_and_cache_control_and_answer_304(client):
    response = client.get("/en/cards/ice-encounters.pdf")
    assert response.headers["ETag"] and "max-age" in response.headers["Cache-Control"]
    again = client.get("/en/cards/ice-encounters.pdf", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_a_partners_page_may_frame_a_pdf_but_not_a_page(client):
    """docs/partners.md: a card's PDF can be shown in a partner's <iframe>; pages still cannot be framed."""
    pdf = client.get("/es/cards/ice-encounters.pdf").headers["Content-Security-Policy"]
    assert "frame-ancestors *" in pdf and "default-src 'none'" in pdf
    assert "frame-ancestors 'none'" in client.get("/es/").headers["Content-Security-Policy"]


PRERENDER_LOCALES = ["en", "ar", "zh-Hans"]


def test_build_prerenders_every_standard_pdf_before_going_live(project_copy, monkeypatch):
    """A full build with PDFs, over three locales of different scripts (every locale's PDFs
    are rendered and read back by the tests above): each standard PDF is in the cache when
    the database goes live, and none is rendered on request."""
    from mai_guides.pdf import documents
    from mai_guides.pdf.cache import PdfCache

    keep_only_locales(project_copy, PRERENDER_LOCALES)
    app = copy_app(project_copy)
    result = app.test_cli_runner().invoke(args=["mai", "build"])
    assert result.exit_code == 0, result.output
    cache = PdfCache.from_config(app.config)
    specs = documents.standard_specs(PRERENDER_LOCALES, GUIDES)
    assert len(specs) == len(PRERENDER_LOCALES) * 2 * 3
    with app.test_request_context("/en/"):
        assert all(cache.get(documents.document_key(spec), spec) for spec in specs)
        sizes = {(spec.locale, spec.slug, spec.kind): cache.get(documents.document_key(spec), spec).stat().st_size
                 for spec in specs}
    # the API tells each pre-rendered PDF's size (and null for those the build does not render)
    for code in PRERENDER_LOCALES:
        for slug in GUIDES:
            listed = app.test_client().get(f"/api/v1/{code}/guides/{slug}.json").get_json()["documents"]
            told = {(d["kind"], d["paper"]): d["bytes"] for d in listed}
            assert told[("card", None)] == sizes[(code, slug, "card")]
            assert told[("sheet", "letter")] == sizes[(code, slug, "sheet")]
            assert told[("handout", "letter")] == sizes[(code, slug, "handout")]
            assert told[("poster", "a4")] is None

    def no_rendering(_spec):
        raise AssertionError("a standard PDF was rendered on request")
    monkeypatch.setattr("mai_guides.web.pdfs.render_spec", no_rendering)
    client = app.test_client()
    for url in ("/ar/cards/ice-encounters.pdf", "/zh-Hans/cards/reporting-ice-activity-sheet.pdf",
                "/en/guides/ice-encounters.pdf"):
        assert client.get(url).status_code == 200


def test_render_cap_answers_503_with_retry_after(app, client):
    assert client.get("/fr/cards/ice-encounters.pdf").status_code == 200  # now in the cache
    slots = app.extensions["mai_pdf_slots"]
    taken = 0
    while slots.acquire(blocking=False):
        taken += 1
    try:
        response = client.get("/fr/posters/reporting-ice-activity.pdf?paper=a4")  # not pre-rendered
        assert response.status_code == 503 and response.headers["Retry-After"] == "5"
        page = html(response)  # a page in the reader's language, not a line of English text
        assert page.html["lang"] == "fr"
        assert translated("fr", "messages", "Many people are asking for printable files right now. "
                                            "Please try again in a few seconds.") in page.get_text()
        assert client.get("/fr/cards/ice-encounters.pdf").status_code == 200  # cached: still served
    finally:
        for _ in range(taken):
            slots.release()


def test_print_builder_joins_guides_and_languages(client):
    data = get_pdf(client, "/en/print.pdf?guide=ice-encounters&guide=reporting-ice-activity"
                           "&locale=es&locale=ar&format=sheet&paper=a4")
    assert page_sizes(data) == [A4] * 8


def test_print_builder_form_works_without_javascript(client):
    doc = html(client.get("/es/print"))
    form = doc.select_one("form.print")
    assert form["method"] == "get" and form["action"] == "/es/print.pdf"
    assert {i["value"] for i in form.select('input[name="locale"]')} == set(LOCALES)
    assert form.select_one('button[type="submit"]') is not None
    # the only scripts are the site-wide quick exit, offline and share helpers, loaded from files
    # and deferred: nothing in the form depends on them
    assert all(s.get("src") and s.has_attr("defer") for s in doc.find_all("script"))


@pytest.mark.parametrize("query", [
    "guide=nope&locale=es&format=sheet", "guide=ice-encounters&locale=xx&format=sheet",
    "guide=ice-encounters&locale=es&format=banner", "guide=ice-encounters&locale=es&format=sheet&paper=b5",
    "locale=es&format=sheet", "guide=ice-encounters&format=sheet",
    "guide=ice-encounters&guide=reporting-ice-activity&" + "&".join(f"locale={c}" for c in LOCALES[:7]),
])
def test_print_builder_rejects_bad_choices_with_a_400(client, query):
    response = client.get(f"/es/print.pdf?{query}")
    assert response.status_code == 400
    assert html(response).select_one(".errors li").get_text(strip=True)


DRAFT = "This translation is a machine draft. A person has not checked it yet."
DRAFT_MARK = "Machine draft, not yet checked"


@pytest.mark.parametrize("locale", ["es", "ar", "zh-Hans", "hmn"])
def test_every_document_of_an_unreviewed_locale_says_machine_draft_in_its_language(client, locale):
    note, mark = translated(locale, "messages", DRAFT), translated(locale, "messages", DRAFT_MARK)
    documents = {"handout": f"/{locale}/guides/ice-encounters.pdf", "poster": f"/{locale}/posters/ice-encounters.pdf",
                 "card": f"/{locale}/cards/ice-encounters.pdf", "sheet": f"/{locale}/cards/ice-encounters-sheet.pdf"}
    for kind, url in documents.items():
        words = flat(text(get_pdf(client, url), 0))
        expected = mark if kind in ("card", "sheet") else note
        assert flat(expected) in words, (kind, expected)


def test_english_documents_carry_no_machine_draft_label(client):
    for url in ["/en/guides/ice-encounters.pdf", "/en/cards/ice-encounters.pdf", "/en/posters/ice-encounters.pdf"]:
        words = flat(text(get_pdf(client, url), 0))
        assert flat(DRAFT) not in words and flat(DRAFT_MARK) not in words


@pytest.mark.parametrize("base_url", ["", "http://127.0.0.1:8000", "http://localhost:8000/", "http://[::1]:8000"])
def test_without_a_public_address_no_document_prints_a_useless_one(built, tmp_path, base_url):
    # the run's PDF cache: a document's key covers its HTML, address included, so what this
    # configuration prints is rendered for it (once for all four, as none prints an address)
    app = make_app(tmp_path, MAI_BASE_URL=base_url, MAI_DATABASE=built.config["MAI_DATABASE"],
                   MAI_PDF_CACHE=built.config["MAI_PDF_CACHE"])
    client = app.test_client()
    for url in ["/es/cards/ice-encounters.pdf", "/es/cards/reporting-ice-activity-sheet.pdf",
                "/es/guides/ice-encounters.pdf", "/es/posters/ice-encounters.pdf"]:
        data = get_pdf(client, url)
        words = text(data)
        assert not any(host in words for host in ("127.0.0.1", "localhost", "[::1]", "/es/guides/")), url
        assert qr_codes(data, 0) == [], url
        assert not [target for target in link_targets(data) if "guides/" in target], url


def test_with_a_public_address_every_document_and_qr_carries_it(client):
    url = f"{PUBLIC_URL}/es/guides/ice-encounters"
    for path in ["/es/cards/ice-encounters.pdf", "/es/guides/ice-encounters.pdf", "/es/posters/ice-encounters.pdf"]:
        data = get_pdf(client, path)
        assert flat(url) in flat(text(data, 0)), path
    for path in ["/es/guides/ice-encounters.pdf", "/es/posters/ice-encounters.pdf"]:
        assert qr_codes(get_pdf(client, path), 0) == [url], path


def test_build_says_which_address_it_prints(project_copy):
    keep_only_locales(project_copy, ["en", "es"])
    loud = copy_app(project_copy, MAI_BASE_URL="https://example.org").test_cli_runner()
    result = loud.invoke(args=["mai", "build", "--no-pdfs"])
    assert "Printing the public address https://example.org" in result.output
    quiet = copy_app(project_copy, MAI_BASE_URL="http://127.0.0.1:8000").test_cli_runner()
    result = quiet.invoke(args=["mai", "build", "--no-pdfs"])
    assert "PDFs will carry no web address and no QR code" in result.output


def test_print_form_keeps_the_readers_choice_after_an_error(client):
    query = "guide=reporting-ice-activity&locale=ar&locale=ur&format=poster&paper=a4&guide=nope"
    doc = html(client.get(f"/es/print.pdf?{query}"))
    ticked = {(i["name"], i["value"]) for i in doc.select("form.print input[checked]")}
    assert ticked == {("guide", "reporting-ice-activity"), ("locale", "ar"), ("locale", "ur"),
                      ("format", "poster"), ("paper", "a4")}


def test_print_form_paper_labels_are_translated(client):
    labels = [label.get_text(" ", strip=True) for label in html(client.get("/es/print")).select("form.print label")
              if label.select_one('input[name="paper"]')]
    assert labels[0] == translated("es", "messages", "Letter (8.5 × 11 in)")


def test_documents_rendered_at_once_in_several_threads_come_out_as_alone(app):
    """Each thread keeps its own Pango font map from one document to the next (a map is not
    thread-safe): cards of four scripts rendered at the same moment in four threads, twice over,
    have the pages, text and fonts of the same cards rendered one at a time."""
    import threading

    from mai_guides.pdf.documents import DocSpec, render_spec
    specs = [DocSpec("card", "ice-encounters", code) for code in ("ar", "zh-Hans", "ur", "es")]

    def summary(data: bytes) -> tuple:
        return page_sizes(data), text(data), sorted(fonts(data))

    def render(spec: DocSpec) -> bytes:
        with app.test_request_context(f"/{spec.locale}/"):
            return render_spec(spec)

    alone = {spec: summary(render(spec)) for spec in specs}
    together, start = [], threading.Barrier(len(specs) * 2)

    def in_thread(spec: DocSpec) -> None:
        start.wait()
        together.append((spec, summary(render(spec))))

    threads = [threading.Thread(target=in_thread, args=(spec,)) for spec in specs * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(together) == len(specs) * 2
    for spec, seen in together:
        assert seen == alone[spec], spec.locale
