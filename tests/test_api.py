"""The read-only JSON API under /api/v1/ and its OpenAPI 3.1 document: the document is valid, and
every answer of the API, in every language, matches it."""
from __future__ import annotations

from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from openapi_check import check_response
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from support import LOCALES, RTL, html, kept
from translated import translated

from mai_guides.web.security import HEADERS

GUIDES = ("ice-encounters", "reporting-ice-activity")


@pytest.fixture(scope="module")
def document(built):
    response = built.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_openapi_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document)  # openapi-spec-validator, against the OpenAPI 3.1 specification's own schema
    assert set(document["paths"]) == {
        "/api/v1/locales.json", "/api/v1/{lang}/guides.json", "/api/v1/{lang}/guides/{slug}.json",
        "/api/v1/{lang}/cards.json", "/api/v1/{lang}/news.json", "/api/v1/{lang}/news/{slug}.json",
        "/api/v1/openapi.json"}


def test_the_validator_would_notice_a_broken_document(document):
    """The check above has teeth: a document without its info, or with a path variable it does not
    describe, is refused."""
    with pytest.raises(OpenAPIValidationError):
        validate({key: value for key, value in document.items() if key != "info"})
    operation = document["paths"]["/api/v1/{lang}/guides.json"]["get"]
    with pytest.raises(OpenAPIValidationError):
        validate({**document, "paths": {"/api/v1/{lang}/guides.json": {"get": {**operation, "parameters": []}}}})


def api_links(value) -> list[str]:
    """The API addresses an answer links to (`api_url`, and `*_url` values under /api/)."""
    if isinstance(value, dict):
        own = [item for key, item in value.items()
               if key.endswith("api_url") or (key.endswith("_url") and "/api/" in str(item))]
        return own + [link for item in value.values() for link in api_links(item)]
    if isinstance(value, list):
        return [link for item in value for link in api_links(item)]
    return []


def api_urls(client) -> list[str]:
    """Every address of the API, found by following the links of its answers from the list of languages."""
    urls, queue = [], ["/api/v1/locales.json"]
    while queue:
        url = queue.pop(0)
        if url not in urls:
            urls.append(url)
            queue.extend(urljoin(url, link) for link in api_links(client.get(url).get_json()))
    return urls


def test_every_answer_of_the_api_matches_the_openapi_document(client, document):
    urls = api_urls(client)
    # every language's lists, each guide and each post of each language
    assert len(urls) == 1 + len(LOCALES) * (3 + len(GUIDES) + 7)
    problems = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        problems += check_response(document, url, 200, response.mimetype, response.headers, response.get_json())
    assert problems == []


@pytest.mark.parametrize("url", ["/api/v1/xx/guides.json", "/api/v1/es/guides/no-such-guide.json",
                                 "/api/v1/ar/news/no-such-post.json", "/api/v1/zz/news.json"])
def test_unknown_languages_and_names_are_404_problems_as_described(client, document, url):
    response = client.get(url)
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert check_response(document, url, 404, response.mimetype, response.headers, response.get_json()) == []
    assert "no-such" not in response.get_data(as_text=True)  # nothing the client sent comes back


def test_the_validator_notices_an_answer_that_differs(client, document):
    body = client.get("/api/v1/es/guides.json").get_json()
    body["guides"][0]["title"] = 42
    del body["guides"][1]["url"]
    problems = check_response(document, "/api/v1/es/guides.json", 200, "application/json", {}, body)
    assert any("42 is not of type 'string'" in p for p in problems)
    assert any("'url' is a required property" in p for p in problems)
    assert any("header ETag" in p for p in problems)


def test_answers_are_kept_pages_with_etags_and_304(app, client):
    first = client.get("/api/v1/es/guides/ice-encounters.json")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=300"
    again = client.get("/api/v1/es/guides/ice-encounters.json", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert kept(app, "/api/v1/es/guides/ice-encounters.json")
    squeezed = client.get("/api/v1/es/guides/ice-encounters.json", headers={"Accept-Encoding": "gzip"})
    assert squeezed.headers["Content-Encoding"] == "gzip" and squeezed.headers["ETag"] != etag


def test_any_site_may_read_the_api_and_no_cookie_or_client_data_is_sent(client):
    response = client.get("/api/v1/locales.json", headers={"Cookie": "track=me", "Origin": "https://partner.example",
                                                          "User-Agent": "secret-agent", "X-Forwarded-For": "203.0.113.9"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "Set-Cookie" not in response.headers
    body = response.get_data(as_text=True)
    assert not any(secret in body for secret in ("track=me", "secret-agent", "203.0.113.9", "partner.example"))
    for name, value in HEADERS.items():
        assert response.headers[name] == value
    preflight = client.options("/api/v1/locales.json", headers={"Origin": "https://partner.example",
                                                                "Access-Control-Request-Method": "GET",
                                                                "Access-Control-Request-Headers": "if-none-match"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Headers"] == "If-None-Match"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]


def test_pages_do_not_get_cors_and_the_api_cannot_be_written(client):
    assert "Access-Control-Allow-Origin" not in client.get("/es/").headers
    response = client.post("/api/v1/locales.json")
    assert response.status_code == 405 and response.mimetype == "application/problem+json"
    assert "POST" not in response.headers["Allow"]


def test_locales_say_their_review_state_and_draft_notice_in_their_language(client):
    locales = {item["code"]: item for item in client.get("/api/v1/locales.json").get_json()["locales"]}
    assert list(locales) == LOCALES
    assert locales["en"]["review"] == {"state": "source", "last_reviewed": None, "notice": None}
    for code in LOCALES[1:]:
        assert locales[code]["review"]["state"] == "machine_draft"
        assert locales[code]["review"]["notice"] == translated(
            code, "messages", "This translation is a machine draft. A person has not checked it yet.")
    assert all(locales[code]["dir"] == "rtl" for code in RTL)
    assert locales["es"]["fallback"] == ["en"] and locales["es"]["feed_url"] == "/es/feed.atom"


@pytest.mark.parametrize("code", ["es", "ar", "zh-Hans"])
def test_a_guide_is_the_page_section_by_section(client, code):
    """Headings, HTML and the PDF links are the page's own; the text is the HTML's words."""
    guide = client.get(f"/api/v1/{code}/guides/ice-encounters.json").get_json()
    page = html(client.get(f"/{code}/guides/ice-encounters"))
    for section in guide["sections"][1:]:
        heading = page.find(id=section["anchor"]).find("h2")
        assert heading.get_text(" ", strip=True) == section["heading"]
        assert section["url"] == f"/{code}/guides/ice-encounters#{section['anchor']}"
    words = " ".join(section["text"] for section in guide["sections"]).split()
    for section in guide["sections"]:
        for word in BeautifulSoup(section["html"], "html.parser").get_text(" ").split()[:40]:
            assert word in words or word.strip(".,;:") in " ".join(words)
    linked = {a["href"] for a in page.find_all("a", href=True) if ".pdf" in a["href"]}
    assert {document["url"] for document in guide["documents"]} <= linked
    assert guide["notices"]["machine_draft"] is not None
    assert guide["notices"]["not_legal_advice"].startswith(translated(code, "messages", "This is not legal advice"))


def test_pdf_sizes_are_null_when_the_build_rendered_none(client):
    guide = client.get("/api/v1/en/guides/ice-encounters.json").get_json()
    assert [(d["kind"], d["paper"]) for d in guide["documents"]] == [
        ("card", None), ("sheet", "letter"), ("sheet", "a4"), ("handout", "letter"), ("handout", "a4"),
        ("poster", "letter"), ("poster", "a4")]
    assert all(d["bytes"] is None for d in guide["documents"])  # the shared build is --no-pdfs
    card = guide["documents"][0]
    assert (card["width_mm"], card["height_mm"]) == (88.9, 50.8) and card["url"] == "/en/cards/ice-encounters.pdf"
    assert guide["documents"][2]["url"] == "/en/cards/ice-encounters-sheet.pdf?paper=a4"
    assert (guide["documents"][2]["width_mm"], guide["documents"][2]["height_mm"]) == (210.0, 297.0)


def test_cards_have_their_lines_and_english_back(client):
    cards = client.get("/api/v1/es/cards.json").get_json()["cards"]
    assert [card["slug"] for card in cards] == list(GUIDES)
    assert cards[0]["back_lang"] == "en" and cards[0]["back"] and cards[0]["front"]
    english = [card["front"] for card in client.get("/api/v1/en/cards.json").get_json()["cards"]]
    assert cards[0]["front"] != english[0]


def test_news_keep_the_newsletter_label_and_link_their_guides(client):
    posts = client.get("/api/v1/es/news.json").get_json()["news"]
    assert len(posts) == 7 and all(post["year"] == 2017 and post["date"] is None for post in posts)
    label = translated("es", "messages", "From the Mobilizing Against Inequality newsletter, %(year)s") % {"year": 2017}
    assert all(post["label"] == label for post in posts)
    post = client.get(posts[0]["api_url"].replace("/api/v1/es/news/", "/api/v1/es/news/")).get_json()
    assert post["html"].startswith("<p>") and "<" not in post["text"]
    assert {guide["slug"] for guide in post["related_guides"]} <= set(GUIDES)
