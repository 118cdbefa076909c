"""Print-shop checks, measured on the files: cache keys, safe area, legible sizes, tags, crop marks,
duplex print jobs, and a one-locale edit that re-renders only that locale's documents."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from ink import page_ink
from pdfs import chars, flat, get_pdf, page_image, page_sizes, plumbed, qpdf_check, reader, rects, text
from support import LOCALES, PUBLIC_URL, REGISTRY, copy_app, keep_only_locales, make_app
from translated import translated

from mai_guides.pdf.documents import (
    CARD_MIN_TEXT,
    CARD_SAFE_MARGIN,
    PAPERS,
    SCALES,
    UNPRINTABLE,
    DocSpec,
    crop_marks,
    document_html,
    sheet_cells,
)
from mai_guides.pdf.render import render_document, render_fitting, write

pytestmark = pytest.mark.pdf  # renders PDFs and reads them back

GUIDES = ["ice-encounters", "reporting-ice-activity"]
CARD = (252.0, 144.0)
EPSILON = 0.05  # points: rounding in the PDF's coordinates


def outside(char: dict, left: float, top: float, right: float, bottom: float) -> bool:
    """Whether a glyph's box leaves the rectangle (PDF points from the top-left corner)."""
    return (char["x0"] < left - EPSILON or char["x1"] > right + EPSILON
            or char["top"] < top - EPSILON or char["bottom"] > bottom + EPSILON)


def card_problems(glyphs: list[dict], left: float, top: float, width: float, height: float) -> list[str]:
    """Glyphs within the safe margin of a card's trim edge, or smaller than the legible minimum."""
    safe = CARD_SAFE_MARGIN
    problems = [f"{c['text']!r} at ({c['x0']:.1f}, {c['top']:.1f})-({c['x1']:.1f}, {c['bottom']:.1f}) "
                f"is within {safe} pt of the trim edge" for c in glyphs
                if outside(c, left + safe, top + safe, left + width - safe, top + height - safe)]
    problems += [f"{c['text']!r} is {c['size']:.2f} pt" for c in glyphs if c["size"] < CARD_MIN_TEXT - 0.01]
    return problems


def sizes(glyphs: list[dict]) -> list[float]:
    return sorted({round(c["size"], 2) for c in glyphs if c["text"].strip()})


@pytest.fixture(scope="module")
def english_back(built):
    """The officer side's type sizes on the English card and on the English sheets of each paper (an
    A4-stock card is another size, and its officer side fills it): every locale's must be the same."""
    client = built.test_client()
    backs = {slug: sizes(chars(get_pdf(client, f"/en/cards/{slug}.pdf"), 1)) for slug in GUIDES}
    for slug in GUIDES:
        for paper in PAPERS:
            backs[slug, paper] = sizes(chars(get_pdf(client, f"/en/cards/{slug}-sheet.pdf?paper={paper}"), 1))
    assert all(backs[slug, "letter"] == backs[slug] for slug in GUIDES), "a Letter sheet's backs are its cards'"
    return backs


@pytest.mark.parametrize("locale", LOCALES)
def test_cards_sheets_and_posters_keep_the_safe_area_and_legible_sizes(client, english_back, locale):
    for slug in GUIDES:
        card = get_pdf(client, f"/{locale}/cards/{slug}.pdf")
        assert page_sizes(card) == [CARD, CARD]
        for side in (0, 1):
            glyphs = chars(card, side)
            assert glyphs and not card_problems(glyphs, 0, 0, *CARD), (slug, side, card_problems(glyphs, 0, 0, *CARD))
        assert sizes(chars(card, 1)) == english_back[slug], "the English officer side changed size"

        for paper in PAPERS.values():
            sheet = get_pdf(client, f"/{locale}/cards/{slug}-sheet.pdf?paper={paper.name}")
            for side, left_key in ((0, "front_left"), (1, "back_left")):
                glyphs = chars(sheet, side)
                for cell in sheet_cells(paper):
                    left, top = cell[left_key], cell["top"]
                    mine = [c for c in glyphs if left <= (c["x0"] + c["x1"]) / 2 < left + paper.card_width
                            and top <= (c["top"] + c["bottom"]) / 2 < top + paper.card_height]
                    assert mine, (paper.name, side, cell)
                    problems = card_problems(mine, left, top, paper.card_width, paper.card_height)
                    assert not problems, (paper.name, side, problems)
                if side == 1:
                    assert sizes(glyphs) == english_back[slug, paper.name], "the English sheet backs changed size"

        poster = get_pdf(client, f"/{locale}/posters/{slug}.pdf")
        assert len(page_sizes(poster)) == 1
        width, height = page_sizes(poster)[0]
        glyphs = chars(poster, 0)
        assert not [c for c in glyphs if outside(c, 36, 36, width - 36, height - 36)], "poster ink in the margin"
        assert min(c["size"] for c in glyphs) >= CARD_MIN_TEXT


def test_an_a4_card_is_not_served_as_the_standard_card(built, tmp_path):
    """The A4-stock card (85 x 55 mm) and the standard card (3.5 x 2 in) are two files."""
    app = make_app(tmp_path, MAI_DATABASE=built.config["MAI_DATABASE"])  # an empty cache
    client = app.test_client()
    job = get_pdf(client, "/en/print.pdf?guide=ice-encounters&locale=es&format=card&paper=a4")
    a4_card = (round(85 * 72 / 25.4, 1), round(55 * 72 / 25.4, 1))
    assert page_sizes(job)[:2] == [a4_card, a4_card]
    assert page_sizes(get_pdf(client, "/es/cards/ice-encounters.pdf")) == [CARD, CARD]
    assert page_sizes(get_pdf(client, "/es/cards/ice-encounters-sheet.pdf?paper=a4"))[0] == (595.3, 841.9)


def test_every_option_that_changes_the_bytes_changes_the_key(app):
    from mai_guides.pdf.documents import DocSpec, document_key
    specs = [DocSpec(kind, slug, locale, paper) for kind in ("card", "sheet", "handout", "poster")
             for slug in GUIDES for locale in ("es", "ar") for paper in PAPERS]
    with app.test_request_context("/en/"):
        keys = {document_key(spec) for spec in specs}
        assert len(keys) == len(specs)
        assert len({DocSpec(*spec).filename for spec in [("card", "x", "es", "letter"), ("card", "x", "es", "a4")]}) == 2


def structure(data: bytes) -> list[tuple[int, str, str | None]]:
    """(depth, tag, /Lang) of every structure element, depth first."""
    found = []

    def walk(element, depth, inherited):
        element = element.get_object()
        if not (isinstance(element, dict) and "/S" in element):
            return
        lang = str(element["/Lang"]) if "/Lang" in element else inherited
        found.append((depth, str(element["/S"]), lang))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid, depth + 1, lang)

    root = reader(data).trailer["/Root"]
    kids = root["/StructTreeRoot"]["/K"]
    for kid in kids if isinstance(kids, list) else [kids]:
        walk(kid, 0, str(root["/Lang"]))
    return found


def tagged(data: bytes, lang: str) -> dict:
    pdf = reader(data)
    root = pdf.trailer["/Root"]
    assert str(root["/MarkInfo"]["/Marked"]).lower() == "true"
    assert str(root["/Lang"]) == lang
    assert str(pdf.metadata["/Title"]).strip()
    return root


@pytest.mark.parametrize("locale", ["ur", "es", "zh-Hans"])
def test_every_document_is_tagged_with_language_title_and_an_english_officer_side(client, locale):
    from mai_guides import db
    with client.application.test_request_context(f"/{locale}/"):
        title = db.card(locale, "ice-encounters")["title"]
    card = get_pdf(client, f"/{locale}/cards/ice-encounters.pdf")
    tagged(card, locale)
    assert str(reader(card).metadata["/Title"]) == title
    tree = structure(card)
    assert {tag for _d, tag, _l in tree} >= {"/Document", "/H1", "/L", "/LI", "/H2", "/P"}
    assert {lang for _d, tag, lang in tree if tag == "/H1"} == {locale}  # the front
    assert {lang for _d, tag, lang in tree if tag == "/H2"} == {"en"}  # the officer side
    for url in (f"/{locale}/guides/ice-encounters.pdf", f"/{locale}/cards/ice-encounters-sheet.pdf",
                f"/{locale}/posters/ice-encounters.pdf"):
        data = get_pdf(client, url)
        tagged(data, locale)
        assert any(tag == "/H1" for _d, tag, _l in structure(data)), url
    poster = structure(get_pdf(client, f"/{locale}/posters/ice-encounters.pdf"))
    assert "en" in {lang for _d, tag, lang in poster if tag == "/P"}  # "Say in English" box
    for url in (f"/{locale}/guides/ice-encounters.pdf", f"/{locale}/posters/ice-encounters.pdf"):
        assert figure_alts(get_pdf(client, url)) == [f"{PUBLIC_URL}/{locale}/guides/ice-encounters"], url


def figure_alts(data: bytes) -> list:
    """The alternative text of every figure (the QR code): what a screen reader says for it."""
    found = []

    def walk(element):
        element = element.get_object()
        if isinstance(element, dict) and "/S" in element:
            if element["/S"] == "/Figure":
                found.append(str(element["/Alt"]) if "/Alt" in element else None)
            kids = element.get("/K")
            for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
                walk(kid)

    kids = reader(data).trailer["/Root"]["/StructTreeRoot"]["/K"]
    for kid in kids if isinstance(kids, list) else [kids]:
        walk(kid)
    return found


def test_a_print_job_is_tagged_per_document_and_cached(client, app):
    query = "guide=ice-encounters&locale=es&locale=ar&format=handout"
    response = client.get(f"/en/print.pdf?{query}")
    assert response.status_code == 200
    data = response.data
    root = tagged(data, "en")
    qpdf_check(data)
    documents = [lang for depth, tag, lang in structure(data) if depth == 0]
    assert documents == ["es", "ar"]
    pages = reader(data).pages
    assert all("/StructParents" in page for page in pages)
    nums = root["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    assert len(keys) == len(set(keys))
    assert {int(page["/StructParents"]) for page in pages} <= set(keys)
    # cached like any other document: the same bytes and ETag, a 304 when asked again
    again = client.get(f"/en/print.pdf?{query}")
    assert again.data == data and again.headers["ETag"] == response.headers["ETag"]
    assert client.get(f"/en/print.pdf?{query}", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_a_print_job_keeps_each_parts_bookmarks_and_declares_pdf_ua_in_xmp(client):
    """Joined with pikepdf: one bookmark per part (its title, on its first page) holding the part's
    own bookmarks, and an XMP packet that says PDF/UA-1, the title and every language."""
    import io

    import pikepdf
    query = "guide=ice-encounters&locale=es&locale=ar&format=handout&duplex=1"
    data = get_pdf(client, f"/en/print.pdf?{query}")
    parts = [get_pdf(client, f"/{code}/guides/ice-encounters.pdf") for code in ("es", "ar")]
    job = pikepdf.open(io.BytesIO(data))
    opened = [pikepdf.open(io.BytesIO(part)) for part in parts]
    titles = [str(part.docinfo["/Title"]) for part in opened]
    with job.open_outline() as outline:
        tops = list(outline.root)
        assert [item.title for item in tops] == titles
        pages = [job.pages.index(job.get_object(item.destination[0].objgen)) for item in tops]
        first_length = len(opened[0].pages)
        assert pages == [0, first_length + first_length % 2]  # duplex: the second starts on a front
        for top, part in zip(tops, opened, strict=True):
            with part.open_outline() as own:
                assert [child.title for child in top.children] == [item.title for item in own.root]
    xmp = job.open_metadata()
    assert xmp["pdfuaid:part"] == "1" and xmp["dc:title"] == " · ".join(titles)
    assert set(xmp["dc:language"]) == {"es", "ar"}


def test_a_duplex_job_starts_every_document_on_a_front_side(client):
    handouts = [get_pdf(client, f"/{code}/guides/ice-encounters.pdf") for code in ("es", "ar")]
    lengths = [len(page_sizes(data)) for data in handouts]
    query = "guide=ice-encounters&locale=es&locale=ar&format=handout"
    single = get_pdf(client, f"/en/print.pdf?{query}")
    duplex = get_pdf(client, f"/en/print.pdf?{query}&duplex=1")
    assert len(page_sizes(single)) == sum(lengths)
    padded = [n + n % 2 for n in lengths]
    assert len(page_sizes(duplex)) == sum(padded)
    pages = reader(duplex).pages
    starts = [0, padded[0]]
    for start, length in zip(starts, lengths, strict=True):
        assert start % 2 == 0 and pages[start].extract_text().strip()
        if length % 2:
            assert not pages[start + length].extract_text().strip()  # the blank back


def test_print_form_offers_duplex_and_keeps_it(client):
    from support import html
    form = html(client.get("/es/print")).select_one('form.print input[name="duplex"]')
    assert form.has_attr("checked")
    kept = html(client.get("/es/print.pdf?guide=nope&locale=es&format=sheet"))
    assert not kept.select_one('form.print input[name="duplex"]').has_attr("checked")


@pytest.mark.parametrize("paper", list(PAPERS))
def test_crop_marks_start_outside_the_unprintable_margin(client, paper):
    spec = PAPERS[paper]
    for mark in crop_marks(spec):
        assert mark["left"] >= UNPRINTABLE and mark["top"] >= UNPRINTABLE
        assert mark["left"] + mark["width"] <= spec.width - UNPRINTABLE
        assert mark["top"] + mark["height"] <= spec.height - UNPRINTABLE
    data = get_pdf(client, f"/en/cards/ice-encounters-sheet.pdf?paper={paper}")
    marks = [r for r in rects(data) if min(r["width"], r["height"]) < 1]
    assert len(marks) == 18
    for r in marks:
        assert min(r["x0"], r["top"], spec.width - r["x1"], spec.height - r["bottom"]) >= UNPRINTABLE - 0.3, r


ONE_LOCALE = ["en", "es", "ar"]


def test_a_one_locale_edit_rerenders_only_that_locales_documents(project_copy):
    """Editing one Spanish paragraph of a guide re-renders the Spanish handout of that guide and
    nothing else; an untouched rebuild renders nothing."""
    keep_only_locales(project_copy, ONE_LOCALE)
    app = copy_app(project_copy)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["mai", "build"])
    assert first.exit_code == 0, first.output
    assert "18 PDFs rendered" in first.output
    cache = project_copy / "pdf" / "docs"
    before = {path.name for path in cache.rglob("*.pdf")}
    again = runner.invoke(args=["mai", "build"])
    assert "0 PDFs rendered" in again.output, again.output

    po = project_copy / "translations" / "es" / "LC_MESSAGES" / "content.po"
    text = po.read_text()
    paragraph = r"#\. Translators: guide 'ice-encounters', paragraph.*\n(?:#.*\n)*"
    entry = re.search(paragraph + r'msgid "(?:[^"\\]|\\.)+"\nmsgstr "((?:[^"\\]|\\.)+)"\n', text)
    assert entry, "no single-line Spanish entry of the guide"
    po.write_text(text[:entry.start(1)] + "Texto revisado. " + text[entry.start(1):])
    edited = runner.invoke(args=["mai", "build"])
    assert edited.exit_code == 0, edited.output
    assert "1 PDFs rendered" in edited.output, edited.output
    new = {path.name for path in cache.rglob("*.pdf")} - before
    assert [name.split(".")[0] for name in new] == ["mai-ice-encounters-handout-es-letter"]


def test_an_overlong_print_request_gets_the_localized_400_through_gunicorn(server):
    """A request longer than any the form makes, but within what gunicorn lets through, is the
    print form's own 400 in the reader's language, with the choices kept."""
    import urllib.error
    import urllib.request

    from bs4 import BeautifulSoup

    base, _log = server
    query = "guide=ice-encounters&format=sheet&" + "&".join(["locale=es"] * 300)
    assert 2048 < len(query) < 4000
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{base}/es/print.pdf?{query}", timeout=30)
    assert error.value.code == 400
    page = BeautifulSoup(error.value.read().decode(), "html.parser")
    assert page.html["lang"] == "es"
    # the message itself goes through gettext; its Spanish arrives with the next catalog update
    assert page.select_one("form.print") and page.select_one(".errors li").get_text(strip=True)
    assert page.select_one('input[name="locale"][value="es"]').has_attr("checked")


def test_a_request_line_too_long_for_gunicorn_gets_the_400_page_in_every_language(server):
    """Past the 8,190 bytes gunicorn can read, the path is never parsed, so the reader's language
    is unknown: the answer is the app's own 400 page, saying it in every shipped language, each
    part marked with its language and direction, with the app's security headers; not a raw 414."""
    from bs4 import BeautifulSoup
    from procfile_server import raw_exchange

    base, _log = server
    query = "guide=ice-encounters&format=sheet&" + "&".join(["locale=es"] * 1500)
    assert len(query) > 8190
    answer = raw_exchange(base, f"GET /es/print.pdf?{query} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, value in (line.split(":", 1) for line in header_lines)}
    assert status_line.split(" ", 2)[1] == "400"
    assert "default-src" in headers["content-security-policy"] and headers["referrer-policy"] == "no-referrer"
    assert headers["connection"] == "close" and "set-cookie" not in headers
    assert int(headers["content-length"]) == len(body), body[:300]
    page = BeautifulSoup(body.decode(), "html.parser")
    parts = {part["lang"]: part for part in page.select("section[lang]")}
    assert sorted(parts) == sorted(LOCALES)
    assert parts["ar"]["dir"] == "rtl" and parts["es"]["dir"] == "ltr"
    assert parts["es"].select_one("a[href]")["href"] == "/es/"
    assert parts["en"].h1.get_text(strip=True) == "Bad request" and page.select("h1") == [parts["en"].h1]
    assert parts["es"].h2.get_text(strip=True) not in ("", "Bad request")


@pytest.mark.parametrize("locale", ["zh-Hans", "zh-Hant", "ko"])
def test_cjk_cards_embed_only_the_glyphs_they_use_and_still_draw_them(client, locale):
    """Chinese and Korean cards were 190-270 KB (fonts with ~60,000 empty glyph slots); cut to
    the glyphs used they are the size of other scripts' cards, and poppler still draws the text."""
    from mai_guides import db
    data = get_pdf(client, f"/{locale}/cards/ice-encounters.pdf")
    assert len(data) < 48 * 1024, len(data)
    qpdf_check(data)
    with client.application.test_request_context(f"/{locale}/"):
        title = db.card(locale, "ice-encounters")["title"]
    assert title.replace(" ", "") in reader(data).pages[0].extract_text().replace(" ", "")
    image = page_image(data, 0, dpi=144)
    # the title line (top quarter, inside the safe area) has ink: the glyphs were found
    band = image.crop((0, int(image.height * 0.06), image.width, int(image.height * 0.25)))
    dark = sum(band.histogram()[:128])  # pixels darker than mid-grey
    assert dark > 500, dark


@pytest.mark.parametrize("locale, handout_kb", [("zh-Hans", 200), ("zh-Hant", 200), ("ko", 120)])
def test_cjk_sheets_and_handouts_carry_the_glyphs_they_use_and_little_else(client, locale, handout_kb):
    """A sheet repeats one card: about a card's size. A handout uses 450-800 different Han or
    Hangul glyphs at ~150 bytes each even compressed; the rest of the file is packed in object
    streams as WeasyPrint's own output is (pypdf wrote every object loose: 240 KB, not 158)."""
    sheet = get_pdf(client, f"/{locale}/cards/ice-encounters-sheet.pdf?paper=letter")
    assert len(sheet) < 48 * 1024, len(sheet)
    handout = get_pdf(client, f"/{locale}/guides/ice-encounters.pdf")
    assert len(handout) < handout_kb * 1024, len(handout)
    for data in (sheet, handout):
        qpdf_check(data)
        assert b"/ObjStm" in data and b"/CIDFontType0C" in data


def lines_of(glyphs: list[dict]) -> dict[float, list[dict]]:
    lines: dict[float, list[dict]] = {}
    for c in glyphs:
        lines.setdefault(round(c["bottom"]), []).append(c)
    return lines


def test_urdu_keeps_latin_words_apart_english_in_latin_spacing_and_sans_page_numbers(client):
    # "ICE" does not touch the Urdu word beside it: a real space (Noto Sans) between them
    card = chars(get_pdf(client, "/ur/cards/reporting-ice-activity.pdf"), 0)
    title = [c for c in card if c["size"] > max(c["size"] for c in card) - 0.01]
    latin = [c for c in title if c["text"] in "ICE" and c["text"]]
    start = min(c["x0"] for c in latin)
    urdu = [c for c in title if "Nastaliq" in c["fontname"] and c["x1"] <= start + 0.1]
    assert start - max(c["x1"] for c in urdu) >= 0.2 * latin[0]["size"]  # a space of Noto Sans: 0.26 em
    # the English box of the Urdu poster is spaced like English, not like Nastaliq
    poster = chars(get_pdf(client, "/ur/posters/ice-encounters.pdf"), 0)
    english = [c for c in poster if c["fontname"].split("+")[-1].startswith("Noto-Sans")
               and c["text"].isalpha() and c["text"].isascii() and 12 < c["size"] < 30]
    baselines = sorted({round(c["bottom"], 1) for c in english})
    gaps = [b - a for a, b in zip(baselines, baselines[1:], strict=False) if b - a < 40]
    size = max(c["size"] for c in english)
    assert gaps and min(gaps) <= 1.5 * size, (gaps, size)  # lines within a paragraph (Nastaliq: 2.6)
    # page numbers of an Urdu handout are drawn in the sans face
    first = plumbed(get_pdf(client, "/ur/guides/ice-encounters.pdf")).pages[0]
    footer = [c for c in first.chars if c["top"] > first.height - 50 and c["text"].strip()]
    assert footer and all("Noto-Sans" in c["fontname"] and "Nastaliq" not in c["fontname"] for c in footer), footer


def visual_lines(data: bytes, page: int = 0) -> list[str]:
    """Each line's text in visual order, left to right, as a reader sees it on paper."""
    glyphs = chars(data, page)
    lines: dict[int, list[dict]] = {}
    for c in glyphs:
        lines.setdefault(-round(c["matrix"][5]), []).append(c)  # by baseline: Nastaliq boxes are taller
    return ["".join(c["text"] for c in sorted(line, key=lambda c: c["x0"])) for _y, line in sorted(lines.items())]


@pytest.mark.parametrize("locale", ["ar", "ur"])
def test_english_quotes_in_right_to_left_handouts_stay_whole_and_mirror(client, locale):
    """("I do not consent to a search") inside Arabic or Urdu: on one line, quote marks inside the
    parentheses, the parentheses around it, and 1 / N page numbers. Read left to right, the text
    has the logical ")" on the left and "(" on the right: the bidi algorithm placed and mirrored
    them (drawn as "(" and ")")."""
    data = get_pdf(client, f"/{locale}/guides/ice-encounters.pdf")
    pages = len(page_sizes(data))
    lines = [line for page in range(pages) for line in visual_lines(data, page)]
    quoted = 0
    for line in lines:
        assert line.count('"') % 2 == 0, f"an English quote is broken across lines: {line}"
        for match in re.finditer(r'(.)"[A-Z][^"]*"(.)', line):
            if {match.group(1), match.group(2)} & set("()"):
                assert (match.group(1), match.group(2)) == (")", "("), line
                quoted += 1
    assert quoted >= 2
    assert visual_lines(data, 0)[-1].strip() == f"1 / {pages}", visual_lines(data, 0)[-1]


@pytest.mark.parametrize("fits_from", [*SCALES, None])
def test_shrink_to_fit_finds_the_largest_scale_that_fits(monkeypatch, fits_from):
    """The search gives what trying every scale, largest first, gave, in few layouts: one, two or
    three when the text fits at one of the three largest scales (most cards), never more than
    seven of the eleven."""
    from types import SimpleNamespace

    from mai_guides.pdf import render as pdf
    laid_out = []

    def layout(scale, _root):
        laid_out.append(scale)
        return SimpleNamespace(pages=[0] if fits_from is not None and scale <= fits_from else [0, 0])
    monkeypatch.setattr(pdf, "write", lambda document: b"%PDF-")
    monkeypatch.setattr(pdf, "render_document", layout)
    if fits_from is None:
        with pytest.raises(OverflowError):
            pdf.render_fitting(lambda scale: scale, SCALES, 1, None)
    else:
        assert pdf.render_fitting(lambda scale: scale, SCALES, 1, None) == (b"%PDF-", fits_from)
    assert len(laid_out) == len(set(laid_out)) <= 7
    if fits_from in SCALES[:3]:
        assert len(laid_out) == SCALES.index(fits_from) + 1


def laid_out(app, spec: DocSpec, extra_css: str = "") -> tuple:
    """The document as it is served (at the text scale it is served at): its WeasyPrint layout,
    for the line boxes, and its PDF bytes, for the ink."""
    static = Path(app.static_folder)

    def html(scale: float) -> str:
        return document_html(spec, scale).replace("</head>", f"<style>{extra_css}</style></head>")

    with app.app_context():
        scale = 1.0 if spec.kind == "handout" else \
            render_fitting(html, SCALES, 2 if spec.kind == "card" else 1, static)[1]
        document = render_document(html(scale), static)
        return document, write(document)


def touching_lines(app, spec: DocSpec, extra_css: str = "") -> list[tuple[int, tuple]]:
    document, data = laid_out(app, spec, extra_css)
    pages = [page_ink(document, data, number) for number in range(len(document.pages))]
    assert [page.unassigned for page in pages] == [0] * len(pages), "glyphs outside every line box"
    assert all(page.rows for page in pages)
    return [(number, page.touching) for number, page in enumerate(pages) if page.touching]


@pytest.mark.parametrize("kind, paper", [("card", "letter"), ("card", "a4"), ("poster", "letter"),
                                         ("poster", "a4"), ("handout", "letter"), ("handout", "a4")])
@pytest.mark.parametrize("slug", GUIDES)
def test_urdu_lines_keep_their_ink_apart(app, slug, kind, paper):
    """Nastaliq reaches far above and below its line box: no glyph of one line may touch or
    overlap the ink of another (measured at 4 px per point, a gap of at least 1 px)."""
    assert touching_lines(app, DocSpec(kind, slug, "ur", paper)) == []


def test_the_ink_measure_finds_the_collisions_of_the_old_urdu_line_height(app):
    """The same measure on the card as it was (Urdu lines at 1.9) finds them: it can fail."""
    old = ".face:lang(ur) h1, .face:lang(ur) ul, .face:lang(ur) li, .face:lang(ur) p { line-height: 1.9 !important; }"
    assert touching_lines(app, DocSpec("card", "ice-encounters", "ur"), old)


# --- issue 18: a card as strong as the best red card -------------------------------------------

SAFE_WIDTH = CARD[0] - 2 * CARD_SAFE_MARGIN


@pytest.mark.parametrize("slug", GUIDES)
def test_urdu_rights_lines_reach_8_pt_across_the_card(client, slug):
    """The Urdu front was 6.5 pt across 55% of its width: its rights lines now run across all of it."""
    glyphs = [c for c in chars(get_pdf(client, f"/ur/cards/{slug}.pdf"), 0) if c["text"].strip()]
    title, rights = max(c["size"] for c in glyphs), sorted({round(c["size"], 2) for c in glyphs})[-2]
    lines = [c for c in glyphs if abs(c["size"] - rights) < 0.01]
    assert CARD_MIN_TEXT < rights < title and rights >= 8.0, (rights, title)
    width = max(c["x1"] for c in lines) - min(c["x0"] for c in lines)
    assert width >= 0.9 * SAFE_WIDTH, f"the rights lines use {width / SAFE_WIDTH:.0%} of the card's width"


@pytest.mark.parametrize("slug", GUIDES)
def test_the_officer_side_uses_the_space_it_has(client, english_back, slug):
    """It was 7.6 pt with a third of the card empty: now it is larger and reaches the safe area's foot."""
    back = [c for c in chars(get_pdf(client, f"/en/cards/{slug}.pdf"), 1) if c["text"].strip()]
    body = max((c["size"] for c in back), key=lambda size: sum(1 for c in back if c["size"] == size))
    assert body >= 8.5, body
    assert max(c["bottom"] for c in back) >= CARD[1] - CARD_SAFE_MARGIN - 10, "the officer side leaves its foot empty"


def test_the_officer_side_asks_for_a_warrant_signed_by_a_judge_or_magistrate_with_name_and_address(client):
    words = " ".join(text(get_pdf(client, "/ur/cards/ice-encounters.pdf"), 1).split())
    assert "warrant signed by a judge or magistrate, with my name and address" in words


@pytest.mark.parametrize("locale", ["en", "es", "ar", "ur", "zh-Hans"])
def test_every_printed_kind_carries_the_date_its_english_text_was_last_checked(client, locale):
    from babel.dates import format_date

    from mai_guides import ROOT
    from mai_guides.builder.content import load_content
    checked = next(g for g in load_content(ROOT / "content").guides if g.slug == "ice-encounters").last_reviewed
    officer = flat(f"Text last checked: {format_date(checked, 'long', locale='en')}")
    for url in (f"/{locale}/cards/ice-encounters.pdf", f"/{locale}/cards/ice-encounters-sheet.pdf"):
        assert officer in flat(text(get_pdf(client, url), 1)), url  # on the English officer side
    if locale == "ur":
        return  # pdfplumber reads Nastaliq back garbled; the English side above is Urdu's too
    label = "English text last checked: %(date)s"
    label = label if locale == "en" else translated(locale, "messages", label)
    date = format_date(checked, "long", locale=REGISTRY[locale].babel_locale)
    for url in (f"/{locale}/posters/ice-encounters.pdf", f"/{locale}/guides/ice-encounters.pdf"):
        words = flat(text(get_pdf(client, url), 0))
        # right-to-left extraction may put the date's numbers before the words: each part, then
        assert all(flat(part) in words for part in [label.split("%(date)s")[0], *date.split()]), url


@pytest.mark.parametrize("locale", ["en", "es", "ar"])
def test_the_poster_no_longer_says_show_this_card(client, locale):
    line = "Show this card through a window or slide it under the door."
    said = line if locale == "en" else translated(locale, "content", line)
    assert flat(said) in flat(text(get_pdf(client, f"/{locale}/cards/ice-encounters.pdf"), 0))
    poster = flat(text(get_pdf(client, f"/{locale}/posters/ice-encounters.pdf"), 0))
    assert flat(said) not in poster and "showthiscard" not in poster.lower()


def test_a_card_printed_without_an_address_does_not_set_the_scale_of_sheets_printed_with_one(built, tmp_path):
    """The address line takes room: a sheet with it at the scale of a card without it ran past the
    safe area (both apps read one database, and the card scales are kept per process)."""
    from mai_guides.pdf.documents import card_scale
    bare = make_app(tmp_path, MAI_BASE_URL="", MAI_DATABASE=built.config["MAI_DATABASE"])
    with bare.app_context():
        without = card_scale(DocSpec("card", "ice-encounters", "en", "letter"))
    with built.app_context():
        with_address = card_scale(DocSpec("card", "ice-encounters", "en", "letter"))
    assert with_address < without
