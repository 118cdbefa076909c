"""Production behaviour: pages kept as build artifacts, rebuilds under load, malformed input, logs."""
from __future__ import annotations

import gzip
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import procfile_server
import pytest
from support import copy_app, html, keep_only_locales

from mai_guides import ROOT
from mai_guides.web.page_cache import PageCache

pytestmark = pytest.mark.slow  # starts gunicorn or nginx, or builds in a subprocess

PAGE = "/es/guides/ice-encounters"


def _build(app):
    result = app.test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"])
    assert result.exit_code == 0, result.output


def _retitle(project: Path, title: str) -> None:
    guide = project / "content" / "guides" / "ice-encounters.md"
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text.replace("title: Know your rights if ICE comes", f"title: {title}", 1), encoding="utf-8")


def test_a_page_is_rendered_once_then_served_as_kept_bytes(app, client, monkeypatch):
    first = client.get(PAGE)
    assert first.status_code == 200
    # from now on nothing below the cache may run: a template render would fail
    monkeypatch.setattr("mai_guides.web.pages.render_template", lambda *a, **k: 1 / 0)
    second = client.get(PAGE)
    assert second.status_code == 200 and second.data == first.data
    for name in ("ETag", "Cache-Control", "Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options"):
        assert second.headers[name] == first.headers[name], name
    assert "Set-Cookie" not in second.headers and second.headers["Vary"] == "Accept-Encoding"
    assert isinstance(app.wsgi_app, PageCache)


def test_kept_pages_revalidate_with_their_etag_and_answer_head(client):
    etag = client.get(PAGE).headers["ETag"]
    not_modified = client.get(PAGE, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert not_modified.headers["ETag"] == etag and "Content-Security-Policy" in not_modified.headers
    # nginx turns the ETag weak when it compresses; the weak form must still revalidate
    assert client.get(PAGE, headers={"If-None-Match": "W/" + etag}).status_code == 304
    assert client.get(PAGE, headers={"If-None-Match": '"other"'}).status_code == 200
    head = client.head(PAGE)
    assert head.status_code == 200 and head.data == b"" and int(head.headers["Content-Length"]) > 1000


def test_each_content_coding_is_kept_apart(client):
    import brotli

    plain = client.get(PAGE)
    for _ in range(2):  # the second answer of each coding comes from the cache
        br = client.get(PAGE, headers={"Accept-Encoding": "gzip, deflate, br"})
        gz = client.get(PAGE, headers={"Accept-Encoding": "gzip"})
        again = client.get(PAGE, headers={"Accept-Encoding": "identity"})
        assert br.headers["Content-Encoding"] == "br" and brotli.decompress(br.data) == plain.data
        assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == plain.data
        assert "Content-Encoding" not in again.headers and again.data == plain.data
    assert len({plain.headers["ETag"], br.headers["ETag"], gz.headers["ETag"]}) == 3
    assert client.get(PAGE, headers={"Accept-Encoding": "br", "If-None-Match": br.headers["ETag"]}).status_code == 304


def test_search_and_the_language_redirect_run_per_request(app, client):
    assert client.get("/en/search?q=lawyer").headers["Cache-Control"] == "no-store"
    redirect = client.get("/", headers={"Accept-Language": "es"})
    assert redirect.status_code == 302 and redirect.headers["Location"] == "/es/"
    assert "Accept-Language" in redirect.headers["Vary"]
    assert client.get("/", headers={"Accept-Language": "fr"}).headers["Location"] == "/fr/"
    kept = app.wsgi_app.pages
    kept_paths = {path for _coding, path in kept}
    assert "/" not in kept_paths and not any("search" in path for path in kept_paths)
    assert client.get("/es/guides/no-such-guide").status_code == 404
    assert "/es/guides/no-such-guide" not in kept_paths


def test_a_rebuild_is_noticed_by_the_kept_pages(project_copy):
    app = copy_app(project_copy)
    _build(app)
    client = app.test_client()
    assert "Know your rights if ICE comes" in client.get("/en/guides/ice-encounters").get_data(as_text=True)
    _retitle(project_copy, "Your rights when ICE comes")
    _build(app)
    page = html(client.get("/en/guides/ice-encounters"))
    assert "Your rights when ICE comes" in page.find("h1").get_text()


def _cli_env(project: Path) -> dict[str, str]:
    return {"MAI_DATABASE": str(project / "mai.db"), "MAI_PDF_CACHE": str(project / "pdf"),
            "MAI_CONTENT": str(project / "content"), "MAI_TRANSLATIONS": str(project / "translations")}


def _cli_build(env: dict[str, str]) -> None:
    flask = Path(sys.executable).parent / "flask"
    result = subprocess.run([str(flask), "--app", "app", "mai", "build", "--no-pdfs"], cwd=ROOT,
                            env={**os.environ, **env}, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def _hammer(base: str, paths: list[str], stop: threading.Event, outcomes: list) -> None:
    while not stop.is_set():
        for path in paths:
            try:
                with urllib.request.urlopen(base + path, timeout=30) as response:
                    response.read()
                    outcomes.append(response.status)
            except urllib.error.HTTPError as error:
                outcomes.append(error.code)
            except OSError as error:
                outcomes.append(repr(error))


def test_a_rebuild_under_load_fails_no_request(project_copy, tmp_path):
    """Readers keep getting pages while `flask mai build` swaps the database, and then get the new one."""
    keep_only_locales(project_copy, ["en", "ar", "es"])  # the swap is the same for one locale or 23
    env = _cli_env(project_copy)
    _cli_build(env)
    process, base = procfile_server.start({**env, "WEB_CONCURRENCY": "2"}, tmp_path / "gunicorn.log")
    stop, outcomes = threading.Event(), []
    paths = ["/en/guides/ice-encounters", PAGE, "/en/", "/ar/news/", "/en/search?q=lawyer", "/healthz"]
    workers = [threading.Thread(target=_hammer, args=(base, paths, stop, outcomes)) for _ in range(4)]
    try:
        for worker in workers:
            worker.start()
        _retitle(project_copy, "Your rights when ICE comes")
        _cli_build(env)
        _cli_build(env)
        stop.set()
        for worker in workers:
            worker.join(60)
        failures = [o for o in outcomes if o != 200]
        assert len(outcomes) > 100 and failures == [], failures[:5]
        with urllib.request.urlopen(base + "/en/guides/ice-encounters") as response:
            assert "Your rights when ICE comes" in response.read().decode()
    finally:
        stop.set()
        procfile_server.stop(process)


# --- malformed input against the real gunicorn: clear 4xx, never a 5xx, nothing private logged ---

MARKER = "zq7secretword"
LONG = "x" * 100_000
SWEEP_PATHS = [
    "/%00", "/%ff", "/en/guides/%c0%af", "/en/../app.py", "/en/guides/..%2f..%2fapp.py", "//evil.example/en",
    "/static/../app.py", "/en/news/%2e%2e/", "/xx-YY/", "/EN/", "/en/search?q=%ff%fe%00", "/en/search?q=" + LONG[:4000],
    "/en/search?" + "&".join(f"q={i}" for i in range(2000))[:7000], "/en/search?q=%", "/en/guides/ice-encounters.pdf?paper=%00",
    "/en/cards/..%2fice-encounters.pdf", "/fonts.css?" + "a" * 5000, "/en/print?" + "guide=x&" * 500,
    "/" + "a/" * 3000, "/en/guides/" + "%e2%80%ae" * 200, "/healthz/..;/", "/en/news/?q=" + "%" * 3000,
]
SWEEP_HEADERS = [
    ("Accept-Language", "*;q=abc"), ("Accept-Language", "zz-ZZ-@@@, ;q=, ,,"),
    ("Accept-Language", "en," * 3000), ("Accept-Language", "\xff\xfe"), ("Host", "evil.example:99999"),
    ("Host", ""), ("If-None-Match", '"' * 500), ("X-Forwarded-Host", "evil.example"),
    ("X-Forwarded-Proto", "gopher"), ("Cookie", "a=" + "b" * 7000), ("Range", "bytes=99999999-0"),
    ("Content-Length", "-1"), ("Transfer-Encoding", "chunked, identity"), ("X-Huge", "h" * 20_000),
]
RAW_REQUESTS = [
    f"GET /en/search?q={MARKER} HTTP/9.9\r\n\r\n", f"BL@H /en/?q={MARKER} HTTP/1.1\r\nHost: x\r\n\r\n",
    f"GET /en/search?q={MARKER}{LONG[:10_000]} HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: x\r\n" + "".join(f"X-{i}: {MARKER}\r\n" for i in range(200)) + "\r\n",
    f"GET /en/ HTTP/1.1\r\nHost: x\r\nBad Header: {MARKER}\r\n\r\n", "GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
    f"GET /en/ HTTP/1.1\r\nHost: x\r\n {MARKER}-folded\r\n\r\n", "\r\n\r\n",
    f"POST /en/search?q={MARKER} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
]


def _raw_status(base: str, request: bytes) -> int:
    """Send bytes as they are; the status of whatever gunicorn answers."""
    answer = procfile_server.raw_exchange(base, request, until=b"\r\n")
    assert answer.startswith(b"HTTP/1."), answer[:100]
    return int(answer.split(b" ", 2)[1])


def _request(path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", *(f"{k}: {v}" for k, v in {"Host": "localhost", **headers}.items()),
             "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def test_the_malformed_input_sweep_gets_no_5xx(server):
    base, _log = server
    statuses = {}
    for path in SWEEP_PATHS:
        statuses[path[:60]] = _raw_status(base, _request(path, {}))
    for name, value in SWEEP_HEADERS:
        for path in ("/", "/en/guides/ice-encounters", "/en/search?q=lawyer", "/nope"):
            statuses[f"{name}: {value[:30]} {path}"] = _raw_status(base, _request(path, {name: value}))
    for raw in RAW_REQUESTS:
        statuses[repr(raw[:60])] = _raw_status(base, raw.encode("latin-1"))
    server_errors = {what: status for what, status in statuses.items() if status >= 500}
    assert server_errors == {}
    assert statuses[repr(RAW_REQUESTS[2][:60])] == 400 and statuses["X-Huge: hhhhhhhhhhhhhhhhhhhhhhhhhhhhhh /"] >= 400


def test_gunicorn_logs_no_address_and_no_request_text(server):
    base, log = server
    for raw in RAW_REQUESTS:
        _raw_status(base, raw.encode("latin-1"))
    procfile_server.wait_until(lambda: "Invalid request refused" in log.read_text(), 10,
                               "gunicorn logged no invalid request")
    text = log.read_text()
    assert MARKER not in text and "ip=" not in text
    client_lines = [line for line in text.splitlines() if "127.0.0.1" in line and "Listening at" not in line]
    assert client_lines == []


def test_no_redirect_takes_its_host_from_the_request(server):
    base, _log = server
    forged = {"Host": "evil.example", "X-Forwarded-Host": "evil2.example", "X-Forwarded-Proto": "https",
              "Forwarded": "host=evil3.example", "Accept-Language": "es"}
    for path, expected in [("/", "/es/"), ("/en", "/en/"), ("/en/news", "/en/news/"), ("//evil.example/en", None),
                           ("/en/news?x=1", "/en/news/?x=1")]:
        request = urllib.request.Request(base + path, headers=forged)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            opener.open(request, timeout=10)
            raise AssertionError(f"{path} did not redirect")
        except urllib.error.HTTPError as error:
            if expected is None:  # gunicorn keeps "//host/..." as a path: no such page
                assert error.code == 404 and "Location" not in error.headers
                continue
            assert error.code in (301, 302, 308), (path, error.code)
            assert error.headers["Location"] == expected, (path, error.headers["Location"])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_fifty_uncached_pdfs_at_once_leave_pages_answering(server):
    """Past the render cap the PDF route answers 503 + Retry-After at once; nothing times out, and
    pages keep answering 200 while the renders run."""
    from concurrent.futures import ThreadPoolExecutor

    from support import LOCALES

    base, _log = server
    urls = [f"{base}/{code}/{kind}.pdf?paper=a4" for code in LOCALES
            for kind in ("posters/ice-encounters", "posters/reporting-ice-activity", "guides/reporting-ice-activity")][:50]

    def fetch(url: str) -> tuple[int, str | None]:
        try:
            with urllib.request.urlopen(url, timeout=55) as response:
                response.read()
                return response.status, None
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Retry-After")

    with ThreadPoolExecutor(50) as pool:
        pdfs = [pool.submit(fetch, url) for url in urls]
        pages = [fetch(base + path)[0] for path in ["/en/", PAGE, "/ar/news/", "/fr/about"] * 5]
        answers = [future.result() for future in pdfs]  # a timeout would raise here
    assert pages == [200] * 20
    assert {status for status, _ in answers} <= {200, 503} and any(status == 200 for status, _ in answers)
    assert all(retry for status, retry in answers if status == 503)


def test_gunicorn_recycles_workers_with_jitter_and_filters_its_log():
    import logging
    import runpy

    from gunicorn.config import Config

    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["max_requests"] > 0 and 0 < settings["max_requests_jitter"] < settings["max_requests"]
    config = Config()
    config.set("logger_class", settings["logger_class"])
    logger = config.logger_class(config)
    record = logging.LogRecord("gunicorn.error", logging.WARNING, __file__, 1,
                               "Invalid request from ip=203.0.113.9: Invalid HTTP Version 'GET /en/search?q=%s'",
                               (MARKER,), None)
    for log_filter in logger.error_log.filters:
        log_filter.filter(record)
    assert MARKER not in record.getMessage() and "203.0.113.9" not in record.getMessage()
