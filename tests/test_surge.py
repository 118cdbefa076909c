"""Surge capacity: the nginx front serves every kept page and document from the live release's files,
with the same answer the app gives for them, and the guides keep answering when gunicorn is down.

A build of three languages with PDFs (every kind of kept file), served by scripts/serve-nginx.sh
as the README starts it.
"""
from __future__ import annotations

import os
import signal

import pytest
from bs4 import BeautifulSoup
from nginx_front import listening, request, start_site_over, stop
from procfile_server import wait_until
from support import copy_app, keep_only_locales, kept

pytestmark = pytest.mark.slow  # starts gunicorn and nginx, builds with PDFs

LOCALES = ["en", "ar", "ur"]
# headers only a front can mean (nginx adds them to every answer), and those of the connection
FRONT_ONLY = {"strict-transport-security", "cross-origin-resource-policy", "date", "server", "connection",
              "keep-alive", "transfer-encoding"}
KEPT = ["/ar/", "/ar/guides/ice-encounters", "/ar/guides/reporting-ice-activity", "/ar/news/",
        "/ar/news/labor-and-allies-force-puzder-withdrawal", "/ar/about", "/ar/staying-safe", "/ar/offline",
        "/ar/print", "/ar/offline.json", "/translate/", "/ur/unavailable",
        "/ar/cards/ice-encounters.pdf", "/ar/cards/ice-encounters-sheet.pdf", "/ar/guides/ice-encounters.pdf",
        "/en/cards/reporting-ice-activity-sheet.pdf?paper=letter",
        "/ar/feed.atom", "/ar/speak/ice-encounters", "/api/v1/locales.json", "/api/v1/openapi.json", "/api/v1/ar/guides.json"]
ENCODINGS = [{}, {"Accept-Encoding": "gzip"}, {"Accept-Encoding": "br, gzip"}]


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """A real build of three languages, with PDFs and the kept site."""
    import shutil

    from mai_guides import ROOT
    project = tmp_path_factory.mktemp("surge")
    for name in ("content", "translations"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("*.mo"))
    keep_only_locales(project, LOCALES)
    app = copy_app(project, MAI_KEEP_SITE="1")
    result = app.test_cli_runner().invoke(args=["mai", "build"])
    assert result.exit_code == 0, result.output
    return {"MAI_DATABASE": app.config["MAI_DATABASE"], "MAI_PDF_CACHE": app.config["MAI_PDF_CACHE"],
            "MAI_CONTENT": str(project / "content"), "MAI_TRANSLATIONS": str(project / "translations"),
            "MAI_BASE_URL": app.config["MAI_BASE_URL"], "MAI_AUDIO_CACHE": app.config["MAI_AUDIO_CACHE"]}


@pytest.fixture(scope="module")
def front(release, tmp_path_factory):
    site = start_site_over(release, tmp_path_factory)
    yield site
    stop(site)


def comparable(headers) -> list[tuple[str, str]]:
    return sorted((name.lower(), value) for name, value in headers.items() if name.lower() not in FRONT_ONLY)


def test_every_kind_of_kept_path_answers_the_same_from_nginx_and_from_the_app(front):
    """Bytes, status and headers (security headers, Cache-Control, ETag, Vary, type, encoding,
    length, name for saving) are the same from nginx's disk and from the app, in every encoding."""
    differences = {}
    for path in KEPT:
        for encoding in ENCODINGS if not path.split("?")[0].endswith(".pdf") else ENCODINGS[:1]:
            through_front = request(front.port, path, encoding)
            from_app = request(front.upstream_port, path, encoding)
            assert through_front[0] == 200, (path, through_front[0])
            if (through_front[0], comparable(through_front[1]), through_front[2]) != \
                    (from_app[0], comparable(from_app[1]), from_app[2]):
                differences[(path, encoding.get("Accept-Encoding", "identity"))] = \
                    set(comparable(through_front[1])) ^ set(comparable(from_app[1]))
    assert differences == {}


def test_the_front_sends_kept_pages_without_asking_gunicorn(front):
    before = front.output.read_text().count('"GET /ar/guides/ice-encounters"')
    for _ in range(5):
        assert request(front.port, "/ar/guides/ice-encounters", {"Accept-Encoding": "br"})[0] == 200
    assert request(front.port, "/ar/search?q=lawyer")[0] == 200  # computed: the app answers
    wait_until(lambda: '"GET /ar/search"' in front.output.read_text(), 10, "gunicorn never saw the search")
    assert front.output.read_text().count('"GET /ar/guides/ice-encounters"') == before


def test_a_new_build_is_served_at_once(front, release):
    """The front opens files through the release pointer: a build's new release is served by the
    next request, with no nginx reload."""
    from pathlib import Path

    from mai_guides.releases import releases_dir
    pointer = releases_dir(Path(release["MAI_DATABASE"])) / "current"
    page = Path(os.path.realpath(pointer)) / "site" / "en" / "about.html"
    assert request(front.port, "/en/about")[2] == page.read_bytes()


@pytest.fixture(scope="module")
def front_without_app(release, tmp_path_factory):
    """One front whose gunicorn has gone (SIGQUIT: stop now, as a crash would, without the
    graceful wait for nginx's idle keep-alive connections)."""
    site = start_site_over(release, tmp_path_factory)
    os.kill(site.pid("gunicorn"), signal.SIGQUIT)
    wait_until(lambda: not listening(site.upstream_port), 60, "gunicorn did not stop")
    yield site
    stop(site)


def test_with_gunicorn_stopped_the_guides_news_cards_and_handouts_still_answer(front_without_app):
    for locale in LOCALES:
        for path in ["/", "/guides/ice-encounters", "/guides/reporting-ice-activity", "/news/",
                     "/news/labor-and-allies-force-puzder-withdrawal", "/cards/ice-encounters.pdf",
                     "/cards/ice-encounters-sheet.pdf", "/guides/ice-encounters.pdf", "/offline.json"]:
            status, _headers, _body = request(front_without_app.port, f"/{locale}{path}")
            assert status == 200, (locale, path, status)


def test_a_phrase_not_made_is_the_apps_own_404(front):
    status, headers, body = request(front.port, "/audio/0000000000000000.opus")
    assert status == 404 and headers["Content-Type"].startswith("text/html") and b"<main" in body


def test_with_gunicorn_stopped_the_words_for_the_door_still_play(front_without_app):
    """nginx sends the spoken phrases itself, with the app's type, caching and security headers."""
    import re
    _status, _headers, body = request(front_without_app.port, "/en/speak/ice-encounters")
    clips = sorted(set(re.findall(r"/audio/[0-9a-f]{16}\.(?:opus|mp3)", body.decode())))
    assert any(c.endswith(".opus") for c in clips) and any(c.endswith(".mp3") for c in clips)
    for clip in clips[:4]:
        status, headers, audio = request(front_without_app.port, clip)
        assert status == 200 and len(audio) > 1000, clip
        assert headers["Content-Type"] == ("audio/ogg" if clip.endswith(".opus") else "audio/mpeg")
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "media-src 'self'" in headers["Content-Security-Policy"] and headers["X-Frame-Options"] == "DENY"
    assert request(front_without_app.port, "/audio/0000000000000000.opus")[0] == 503  # not made: the app's


@pytest.mark.parametrize("path, lang", [("/ar/search?q=x", "ar"), ("/ur/print.pdf?guide=ice-encounters&locale=ur", "ur"),
                                        ("/en/guides/ice-encounters?utm=1", "en"), ("/ar/posters/ice-encounters.pdf", "ar"),
                                        ("/healthz", "en")])
def test_with_gunicorn_stopped_what_needs_it_says_so_in_the_readers_language(front_without_app, path, lang):
    status, headers, body = request(front_without_app.port, path)
    assert status == 503, (path, status)  # never nginx's bare 502
    assert headers["Retry-After"] == "5" and headers["Cache-Control"] == "no-store"
    doc = BeautifulSoup(body, "html.parser")
    assert doc.html["lang"] == lang and doc.select_one("main h1") is not None
    assert doc.select("main ul.way-on a"), "links to the guides and cards, which still open"


def test_an_app_whose_settings_differ_from_the_builds_renders_its_own_pages(release):
    """The kept site carries the public address and hotline it was written with; an app set up
    otherwise (a hotline added to the web processes only) renders its pages, never the build's."""
    from support import html

    from mai_guides import create_app
    same = create_app({**release, "TESTING": True})
    other = create_app({**release, "TESTING": True, "MAI_HOTLINE": "(312) 555-0199"})
    path = "/en/guides/ice-encounters"
    assert kept(same, path) and not kept(other, path)
    page = html(other.test_client().get(path))
    assert page.select_one("section.do-now p.call a[href^='tel:']") is not None
