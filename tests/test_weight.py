"""Weight on the wire: compressed pages and styles, fingerprinted static files kept for a year,
and a budget for every guide page of every locale."""
from __future__ import annotations

import gzip

import brotli
import procfile_server
import pytest
from support import LOCALES, html

pytestmark = pytest.mark.slow  # starts gunicorn or nginx, or builds in a subprocess

FIRST_RENDER_BUDGET = 14 * 1024  # HTML + what blocks first render (stylesheets), compressed
FIRST_VIEW_BUDGET = 50 * 1024  # everything the first view loads


def fetch(client, url: str, encoding: str = "gzip"):
    response = client.get(url, headers={"Accept-Encoding": encoding})
    assert response.status_code == 200, (url, response.status_code)
    return response


def test_pages_and_styles_are_compressed_and_decode_to_the_same_bytes(client):
    for url in ["/ar/guides/ice-encounters", "/static/style.css"]:
        plain = client.get(url).data
        gz = fetch(client, url, "gzip")
        assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == plain
        br = fetch(client, url, "br, gzip")
        assert br.headers["Content-Encoding"] == "br" and brotli.decompress(br.data) == plain
        assert "Accept-Encoding" in gz.headers["Vary"]
        assert len(br.data) < len(plain) / 3


def test_compressed_pages_still_answer_304_to_their_own_etag(client):
    first = fetch(client, "/es/guides/ice-encounters", "br")
    again = client.get("/es/guides/ice-encounters", headers={"Accept-Encoding": "br",
                                                             "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    other = client.get("/es/guides/ice-encounters", headers={"Accept-Encoding": "gzip",
                                                             "If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200 and other.headers["Content-Encoding"] == "gzip"


def test_static_files_are_fingerprinted_and_immutable(client):
    doc = html(client.get("/en/"))
    links = [link["href"] for link in doc.select('link[rel="stylesheet"], link[rel="icon"]')]
    links += [script["src"] for script in doc.select("script[src]")]
    static = [link for link in links if link.startswith("/static/")]
    assert static and all("?v=" in link for link in static), static
    for link in static:
        cache = client.get(link).headers["Cache-Control"]
        assert "immutable" in cache and "max-age=31536000" in cache and "no-cache" not in cache, (link, cache)
    stale = client.get("/static/style.css?v=old").headers["Cache-Control"]
    assert "immutable" not in stale


def test_favicon_is_not_a_404(client):
    assert client.get("/favicon.ico").status_code == 200


def page_weight(client, url: str) -> tuple[int, int]:
    """(bytes that block first render, bytes of the whole first view), brotli on the wire."""
    page = fetch(client, url, "br, gzip")
    doc = html(client.get(url))
    blocking = [link["href"] for link in doc.select('link[rel="stylesheet"]')]
    later = [script["src"] for script in doc.select("script[src]")] + \
        [link["href"] for link in doc.select('link[rel="icon"], link[rel="manifest"]')]
    blocking_bytes = sum(len(fetch(client, href, "br, gzip").data) for href in blocking)
    later_bytes = sum(len(fetch(client, href, "br, gzip").data) for href in later)
    first_render = len(page.data) + blocking_bytes
    return first_render, first_render + later_bytes


@pytest.mark.parametrize("locale", LOCALES)
def test_every_guide_page_fits_the_budget(client, locale):
    for slug in ("ice-encounters", "reporting-ice-activity"):
        first_render, first_view = page_weight(client, f"/{locale}/guides/{slug}")
        assert first_render <= FIRST_RENDER_BUDGET, (locale, slug, first_render)
        assert first_view <= FIRST_VIEW_BUDGET, (locale, slug, first_view)


def test_a_second_page_costs_one_request(built, phone, tmp_path):
    """With fingerprinted, immutable static files the server sees only the second page itself
    (read from the access log of a gunicorn of this test's own, so no other test's requests mix in)."""
    log = tmp_path / "gunicorn.log"
    process, base = procfile_server.start({"WEB_CONCURRENCY": "1", "MAI_DATABASE": built.config["MAI_DATABASE"],
                                           "MAI_PDF_CACHE": built.config["MAI_PDF_CACHE"],
                                           "MAI_BASE_URL": built.config["MAI_BASE_URL"]}, log)
    try:
        phone.goto(f"{base}/fr/guides/ice-encounters")
        phone.goto(f"{base}/fr/news/")  # the browser's cache now holds every static file
        # gunicorn logs a request after answering it: count the lines from after this one's
        procfile_server.wait_until(lambda: '"GET /fr/news/"' in log.read_text(), 10, "not logged")
        before = log.read_text().count("\n")
        phone.goto(f"{base}/fr/guides/reporting-ice-activity")
        procfile_server.wait_until(lambda: "/fr/guides/reporting-ice-activity" in log.read_text(), 10, "not logged")
        # Chromium's favicon service fetches icons outside the page's own loading and cache rules
        served = [line for line in log.read_text().splitlines()[before:] if '"GET ' in line and "icon.svg" not in line]
        assert len(served) == 1 and "/fr/guides/reporting-ice-activity" in served[0], served
    finally:
        procfile_server.stop(process)
