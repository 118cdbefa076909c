"""Pages: negotiation, every page in every locale, 404s, links both ways, search, headers."""
from __future__ import annotations

import pytest
from support import LOCALES, REGISTRY, RTL, html
from translated import translated

from mai_guides.wordforms import key

GUIDES = ["ice-encounters", "reporting-ice-activity"]
PAGES = ["/", "/news/", "/about", "/search?q=ICE"] + [f"/guides/{g}" for g in GUIDES]


@pytest.mark.parametrize("header, expected", [
    ("es-MX,es;q=0.9", "/es/"),
    ("en-US,en;q=0.8", "/en/"),
    ("zh-TW,zh;q=0.9", "/zh-Hant/"),
    ("zh-CN", "/zh-Hans/"),
    ("ar-EG,ar;q=0.9,en;q=0.5", "/ar/"),
    ("de-DE,fr;q=0.5", "/fr/"),
    ("fil-PH", "/tl/"),
    ("es;q=0, fr;q=0.5", "/fr/"),
    ("pt-BR", "/pt/"),
    ("", "/en/"),
    ("\x00;;q=abc,,,", "/en/"),
    ("*", "/en/"),
])
def test_root_redirects_by_accept_language(client, header, expected):
    response = client.get("/", headers={"Accept-Language": header})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(expected)
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_every_locale(client, locale, page):
    response = client.get(f"/{locale}{page}")
    assert response.status_code == 200
    doc = html(response)
    assert doc.html["lang"] == locale
    assert doc.html["dir"] == ("rtl" if locale in RTL else "ltr")
    assert doc.find("main")
    hreflangs = {link["hreflang"] for link in doc.select('link[rel="alternate"][hreflang]')}
    assert hreflangs == set(LOCALES)
    # the switcher keeps the reader on the same page (and, on the search page, the same words)
    switch = doc.select_one('nav.languages a[hreflang="en"]')["href"]
    assert switch == ("/en" + page if page != "/" else "/en/")


def test_arabic_is_right_to_left(client):
    doc = html(client.get("/ar/guides/ice-encounters"))
    assert doc.html["dir"] == "rtl"


def test_guide_page_has_full_guide_sources_and_notice(client):
    doc = html(client.get("/en/guides/ice-encounters"))
    assert doc.h1.get_text(strip=True)
    ids = [s["id"] for s in doc.select("main section[id]")]
    for anchor in ["at-home", "in-public", "in-a-car", "at-work", "court-and-check-ins", "if-arrested",
                   "prepare-your-family"]:
        assert anchor in ids
    text = doc.get_text(" ")
    assert "not legal advice" in text
    assert "English text last checked" in text
    assert all(a["href"].startswith("https://") for a in doc.select(".sources a"))
    assert len(doc.select(".sources a")) >= 3


def test_guide_lists_related_news_and_news_lists_guide(client):
    doc = html(client.get("/en/guides/reporting-ice-activity"))
    related = [a["href"] for a in doc.select(".related a")]
    assert related and all(h.startswith("/en/news/") for h in related)
    post = html(client.get(related[0]))
    assert "/en/guides/reporting-ice-activity" in [a["href"] for a in post.select(".related a")]


def test_news_index_lists_all_posts(client):
    doc = html(client.get("/es/news/"))
    links = [a["href"] for a in doc.select("main .list a")]
    assert len(links) == 7
    for href in links:
        assert client.get(href).status_code == 200


@pytest.mark.parametrize("url", ["/xx/", "/EN/", "/en/guides/nope", "/es/news/nope", "/en/cards/",
                                 "/en/guides/../../etc/passwd", "/%FF/", "/es/guides/%00"])
def test_unknown_locale_or_slug_is_a_404(client, url):
    response = client.get(url, headers={"Accept-Language": "es"})
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_404_is_localized(client):
    doc = html(client.get("/es/guides/nope"))
    assert doc.html["lang"] == "es"
    doc = html(client.get("/xx/whatever", headers={"Accept-Language": "ar"}))
    assert doc.html["lang"] == "ar" and doc.html["dir"] == "rtl"


@pytest.mark.parametrize("locale, query, expected", [
    ("en", "warrant", "/en/guides/ice-encounters"),
    ("en", "SALUTE", "/en/guides/reporting-ice-activity"),
    ("en", "sanctuary", "/en/news/"),
    ("en", "Puzder", "/en/news/labor-and-allies-force-puzder-withdrawal"),
    ("zh-Hans", "律师", "/zh-Hans/guides/ice-encounters"),  # no spaces between words: substring match
    ("ko", "변호사", "/ko/guides/ice-encounters"),
    ("ar", "محامي", "/ar/guides/"),
    ("es", "abogado", "/es/guides/ice-encounters"),
])
def test_search_finds_guides_and_news(client, locale, query, expected):
    doc = html(client.get(f"/{locale}/search", query_string={"q": query}))
    hrefs = [a["href"] for a in doc.select("ol.results a")]
    assert any(h.startswith(expected) for h in hrefs), hrefs


@pytest.mark.parametrize("query, status", [(q, 200) for q in ['"', "NEAR(a b)", "a OR", "*", "%", "title:x",
                                                                "'; drop table guides;--", "\u202e", "🙂"]]
                         + [("x" * 5000, 400)])
def test_odd_search_queries_are_harmless(client, query, status):
    response = client.get("/en/search", query_string={"q": query})
    assert response.status_code == status


def test_search_with_repeated_and_binary_params(client):
    assert client.get("/en/search?q=a&q=b&q=%FF%FE").status_code == 200


def test_no_cookies_and_privacy_headers(client):
    for url in ["/", "/en/", "/es/guides/ice-encounters", "/en/search?q=x", "/xx/", "/healthz"]:
        response = client.get(url)
        assert "Set-Cookie" not in response.headers
        assert response.headers["Referrer-Policy"] == "no-referrer"
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "unsafe-inline" not in csp


def test_no_third_party_resources(client):
    doc = html(client.get("/en/guides/ice-encounters"))
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
        for element in doc.find_all(tag):
            value = element.get(attr, "")
            assert not value.startswith(("http:", "https:", "//")), value


def test_no_inline_script_or_style(client):
    doc = html(client.get("/en/"))
    assert not [s for s in doc.find_all("script") if not s.get("src")]
    assert not doc.find_all("style") and not doc.select("[style]")


def test_healthz_reports_content_version(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and len(response.json["content_version"]) == 12


def test_unreviewed_locale_says_so_in_its_language(client):
    assert REGISTRY["es"].reviewed is False
    doc = html(client.get("/es/"))
    note = doc.select_one(".unreviewed")
    assert note is not None
    assert note.find("a", hreflang="en")["href"] == "/en/"
    spanish = translated("es", "messages", "This translation is a machine draft. A person has not checked it yet.")
    assert spanish in " ".join(note.get_text().split())
    assert html(client.get("/en/")).select_one(".unreviewed") is None


def test_english_inside_right_to_left_text_is_isolated(client):
    """Quoted English and codes in Arabic keep their order and punctuation."""
    doc = html(client.get("/ar/guides/ice-encounters"))
    isolated = [b.get_text() for b in doc.select('main bdi[dir="ltr"]')]
    assert any("I-200" in text for text in isolated)
    assert any("remain silent" in text for text in isolated)
    assert all("(" not in text and ")" not in text for text in isolated)  # brackets mirror with the Arabic


def test_pages_carry_etag_and_answer_304(client):
    response = client.get("/es/guides/ice-encounters")
    assert response.headers["ETag"] and "max-age=300" in response.headers["Cache-Control"]
    again = client.get("/es/guides/ice-encounters", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and not again.data


def test_before_the_first_build_pages_say_unavailable_not_500(tmp_path):
    from support import make_app
    client = make_app(tmp_path / "never-built").test_client()
    assert client.get("/healthz").status_code == 503
    response = client.get("/es/guides/ice-encounters")
    assert response.status_code == 503 and html(response).html["lang"] == "es"


@pytest.mark.parametrize("path", [
    "/en//", "/en/guides/ice-encounters/", "/en/cards/ice-encounters-sheet-sheet.pdf", "/en/cards/.pdf",
    "/en/cards/ice-encounters.PDF", "/en/print.pdf", "/en/print.pdf?guide=%00&locale=%00", "/en/search?q=%00",
    "/en/search?q=%ED%A0%80", "/en/news/%2e%2e%2f", "/static/../app.py", "/static/%2e%2e/app.py", "/zh-hans/",
    "/zh_Hans/", "/" + "a" * 5000, "/en/guides/" + "x" * 5000 + ".pdf", "/en/guides/ice-encounters.pdf?paper[]=a4",
])
@pytest.mark.parametrize("headers", [{}, {"Accept-Language": "x" * 10000}, {"If-None-Match": "garbage\x00"},
                                     {"Range": "bytes=abc"}])
def test_odd_requests_never_get_a_500(client, path, headers):
    response = client.get(path, headers=headers)
    assert 200 <= response.status_code < 500, (path, response.status_code)
    assert "Set-Cookie" not in response.headers


DRAFT = "This translation is a machine draft. A person has not checked it yet."


@pytest.mark.parametrize("path", ["/", "/guides/ice-encounters", "/guides/reporting-ice-activity", "/news/",
                                  "/news/labor-and-allies-force-puzder-withdrawal", "/about", "/print"])
@pytest.mark.parametrize("locale", ["ar", "ur", "hmn"])
def test_every_page_of_an_unreviewed_locale_says_machine_draft(client, locale, path):
    note = html(client.get(f"/{locale}{path}")).select_one(".unreviewed")
    assert translated(locale, "messages", DRAFT) in " ".join(note.get_text().split())


def test_translated_guide_shows_the_english_review_date_as_such(client):
    meta = html(client.get("/es/guides/ice-encounters")).select_one("main .meta").get_text()
    assert translated("es", "messages", "English text last checked: %(date)s").split("%(date)s")[0].strip() in meta
    english = html(client.get("/en/guides/ice-encounters")).select_one("main .meta").get_text()
    # the date the English was last checked against the facts: never called a review (no lawyer's)
    assert "English text last checked: December 7, 2026" in english and "reviewed" not in english.lower()


@pytest.mark.parametrize("locale", LOCALES)
def test_guides_open_with_what_to_do_now_before_print_links(client, locale):
    doc = html(client.get(f"/{locale}/guides/ice-encounters"))
    main = doc.select_one("main article")
    blocks = [child for child in main.find_all(recursive=False)]
    first_block = next(b for b in blocks if b.name not in ("h1",) and "fallback-note" not in (b.get("class") or []))
    assert first_block.get("id") == "what-to-do-now", first_block
    assert len(first_block.select("li")) >= 4
    assert doc.select_one("section.print-links") is not None
    assert str(doc).index('id="what-to-do-now"') < str(doc).index('class="print-links"')


def test_news_carries_its_year_and_the_newsletter(client):
    doc = html(client.get("/en/news/tompkins-county-passes-sanctuary-resolution"))
    assert "From the Mobilizing Against Inequality newsletter, 2017" in doc.select_one("main").get_text()
    listing = html(client.get("/en/news/")).select_one("main").get_text()
    assert listing.count("2017") >= 7


def test_about_page_tells_how_translations_are_made(client):
    text = " ".join(html(client.get("/en/about")).select_one("main").get_text().split())
    assert "every translation on this site is a machine draft" in text
    assert "are not the newsletter's own text" in text


def test_abusive_search_is_refused_quickly_and_clearly(client):
    """The word "a" a hundred times used to cost seconds of CPU: now it is one distinct word."""
    response = client.get("/en/search", query_string={"q": " ".join(["a"] * 100)})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    many = client.get("/en/search", query_string={"q": " ".join(f"w{i}" for i in range(9))})
    assert many.status_code == 400 and html(many).select_one("[role=alert]") is not None
    assert html(many).select_one("input[name=q]")["value"].startswith("w0 w1")
    long = client.get("/en/search", query_string={"q": "x" * 500})
    assert long.status_code == 400


def test_search_work_is_bounded_by_sqlite_itself(app):
    """A statement past the budget is interrupted by the progress handler, not left to run."""
    import sqlite3

    from mai_guides import db
    with app.test_request_context("/en/search"):
        connection = db.get_db()
        with pytest.raises(db.QueryTooBroad):
            with db.bounded_work(connection, 10_000):
                connection.execute("with recursive n(i) as (select 1 union all select i + 1 from n where i < 10000000)"
                                   " select count(*) from n").fetchone()
        assert connection.execute("select 1").fetchone()[0] == 1  # handler removed afterwards
        assert isinstance(connection, sqlite3.Connection)


def test_unknown_page_under_a_known_language_is_a_404_in_that_language(client):
    response = client.get("/ar/no-such-page", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    doc = html(response)
    assert doc.html["lang"] == "ar" and doc.html["dir"] == "rtl"


def test_search_words_keep_their_direction_in_right_to_left_pages(client):
    doc = html(client.get("/ar/search", query_string={"q": "lawyer?"}))
    isolated = doc.select_one("main h2 bdi")
    assert isolated is not None and isolated.get_text() == "lawyer?"
    hostile = client.get("/ar/search", query_string={"q": "<script>x</script>"}).get_data(as_text=True)
    assert "<script>x" not in hostile


def test_form_numbers_never_break_and_the_arabic_full_stop_stays_outside(client):
    doc = html(client.get("/ar/guides/ice-encounters"))
    numbers = [span.get_text() for span in doc.select("main span.nobr")]
    assert "I-407" in numbers and "I-205" in numbers
    isolated = [b.get_text() for b in doc.select('main bdi[dir="ltr"]')]
    assert all(not text.endswith(".") for text in isolated if not text.endswith(('"', "”"))), isolated


@pytest.mark.parametrize("locale, query, anchor", [
    ("en", "bond", "if-arrested"), ("en", "SALUTE", None), ("zh-Hans", "律师", None), ("ar", "محامي", None),
    ("ko", "변호사", None), ("es", "fianza", "if-arrested"),
])
def test_search_results_link_to_the_section_and_mark_the_words(client, locale, query, anchor):
    doc = html(client.get(f"/{locale}/search", query_string={"q": query}))
    results = doc.select("ol.results li")
    assert results, (locale, query)
    guide_links = [a["href"] for a in doc.select("ol.results a") if "/guides/" in a["href"]]
    assert guide_links and all("#" in href for href in guide_links), guide_links
    if anchor:
        assert any(href.endswith(f"#{anchor}") for href in guide_links), guide_links
    # what is marked is the word or another form of it (its stem where the language has a stemmer)
    marks = [m.get_text() for m in doc.select("ol.results mark")]
    assert marks and all(query.casefold() in m.casefold() or key(m, locale) == key(query, locale) for m in marks), marks


def test_switching_language_on_the_search_page_keeps_the_words(client):
    doc = html(client.get("/en/search", query_string={"q": "lawyer"}))
    spanish = doc.select_one('nav.languages a[hreflang="es"]')["href"]
    assert spanish == "/es/search?q=lawyer"
    assert doc.select_one('header a.to-languages')["href"] == "#languages"


@pytest.mark.parametrize("locale", ["en", "ar", "zh-Hans"])
def test_the_two_guides_link_to_each_other_where_they_meet(client, locale):
    witness = html(client.get(f"/{locale}/guides/ice-encounters")).select_one("#if-you-witness .see-also a")
    assert witness["href"] == f"/{locale}/guides/reporting-ice-activity#observe-safely"
    observe = html(client.get(f"/{locale}/guides/reporting-ice-activity")).select_one("#observe-safely .see-also a")
    assert observe["href"] == f"/{locale}/guides/ice-encounters#if-you-witness"
