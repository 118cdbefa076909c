"""/<lang>/feed.atom: each language's news as Atom, valid by a feed validator's rules, read back by
feedparser, and linked from the news pages."""
from __future__ import annotations

import atom_rules
import feedparser
import pytest
from support import LOCALES, PUBLIC_URL, html, kept
from translated import translated

from mai_guides import create_app


def feed(client, code: str):
    response = client.get(f"/{code}/feed.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    return response


@pytest.mark.parametrize("code", LOCALES)
def test_every_language_has_a_valid_feed_of_its_news(client, code):
    body = feed(client, code).data
    assert atom_rules.problems(body, base=PUBLIC_URL) == []
    parsed = feedparser.parse(body)
    assert parsed.bozo == 0 and parsed.version == "atom10"
    assert parsed.feed.language == code
    posts = client.get(f"/api/v1/{code}/news.json").get_json()["news"]
    assert [entry.title for entry in parsed.entries] == [post["title"] for post in posts]
    assert [entry.link for entry in parsed.entries] == [PUBLIC_URL + post["url"] for post in posts]
    assert parsed.feed.links[-1].rel == "self" and parsed.feed.links[-1].href == f"{PUBLIC_URL}/{code}/feed.atom"


@pytest.mark.parametrize("code", ["en", "es", "ar"])
def test_entries_carry_the_year_label_and_the_draft_notice(client, code):
    parsed = feedparser.parse(feed(client, code).data)
    label = "From the Mobilizing Against Inequality newsletter, 2017" if code == "en" else \
        translated(code, "messages", "From the Mobilizing Against Inequality newsletter, %(year)s") % {"year": 2017}
    draft = "This translation is a machine draft. A person has not checked it yet."
    for entry in parsed.entries:
        text = entry.content[0].value
        assert label in text
        assert (code != "en") == (code != "en" and translated(code, "messages", draft) in text)
        # known by its year alone: no day is claimed, and `updated` stands at the year's start
        assert "published" not in entry and entry.updated.startswith("2017-01-01T00:00:00")
        assert entry.author == "Mobilizing Against Inequality"


def test_without_a_public_address_links_are_relative_to_the_site(built):
    # the build's kept site was written with a public address: this app renders its own feed
    app = create_app({**{key: value for key, value in built.config.items() if key.startswith("MAI_")},
                      "TESTING": True, "MAI_BASE_URL": ""})
    body = feed(app.test_client(), "es").data
    assert atom_rules.problems(body) == []
    parsed = feedparser.parse(body, response_headers={"content-location": "https://mirror.example/es/feed.atom"})
    assert parsed.entries[0].link.startswith("https://mirror.example/es/news/")
    assert all(link.rel != "self" for link in parsed.feed.links)


def test_the_rules_catch_a_broken_feed():
    broken = b"""<feed xmlns="http://www.w3.org/2005/Atom"><id>news</id><title>t</title>
      <updated>2017-01-01</updated><entry><id>urn:x:1</id><title>a</title><updated>2017-01-01T00:00:00Z</updated>
      <content type="html">&lt;script&gt;x()&lt;/script&gt;</content></entry>
      <entry><id>urn:x:1</id><title>b</title><updated>2017-01-01T00:00:00Z</updated></entry></feed>"""
    found = atom_rules.problems(broken, base=PUBLIC_URL)
    for expected in ("xml:lang", "not an absolute IRI", "not an RFC 3339", "['script']", "the id 'urn:x:1'",
                     "no author", "neither content nor an alternate link", "no link rel=self"):
        assert any(expected in problem for problem in found), expected


def test_feeds_are_kept_pages_with_etags(app, client):
    first = feed(client, "fr")
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert client.get("/fr/feed.atom", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert kept(app, "/fr/feed.atom")
    assert "Set-Cookie" not in first.headers
    assert client.get("/xx/feed.atom").status_code == 404


@pytest.mark.parametrize("code", LOCALES)
def test_news_pages_announce_and_link_the_feed(client, code):
    for url in (f"/{code}/news/", f"/{code}/news/tompkins-county-passes-sanctuary-resolution"):
        page = html(client.get(url))
        announced = page.head.find("link", rel="alternate", type="application/atom+xml")
        assert announced["href"] == f"/{code}/feed.atom" and announced["title"]
        visible = page.select_one("main .feed a")
        assert visible["href"] == f"/{code}/feed.atom"
        words = "Subscribe to the news feed" if code == "en" else \
            translated(code, "messages", "Subscribe to the news feed")
        assert visible.get_text(strip=True) == words
    guide = html(client.get(f"/{code}/guides/ice-encounters"))
    assert guide.head.find("link", type="application/atom+xml") is None  # guide pages keep their weight
