"""Running it for a city (issue 22): one client cannot starve the front or fill the disk, odd
addresses cannot bypass the kept pages, builds refuse what they must not publish, and what the
project writes and answers suits an operator (file modes, headers, memory, exports)."""
from __future__ import annotations

import os
import socket
import stat
import time
from pathlib import Path

import pytest
from procfile_server import raw_exchange, start, stop, wait_until
from support import copy_app, keep_only_locales, po_file

from mai_guides.builder.catalogs import MAX_CATALOG_BYTES, MAX_TRANSLATION_CHARS
from mai_guides.pdf.cache import JOBS
from mai_guides.releases import live_release
from mai_guides.web.security import HEADERS


def run(app, *args):
    return app.test_cli_runner().invoke(args=["mai", *args])


# --- addresses that would skip the kept pages ----------------------------------------------------

@pytest.mark.parametrize("address, canonical", [
    ("/translate/?r=1", "/translate/"),
    ("/es/guides/ice-encounters?utm_source=x&q=1", "/es/guides/ice-encounters"),
    ("/es/search?q=abogado&r=7", "/es/search?q=abogado"),
    ("/es/cards/ice-encounters-sheet.pdf?paper=a4&x=1", "/es/cards/ice-encounters-sheet.pdf?paper=a4"),
    ("/ar/?", None),
])
def test_parameters_no_page_reads_redirect_once_to_its_kept_address(client, address, canonical):
    response = client.get(address)
    if canonical is None:
        assert response.status_code == 200
        return
    assert response.status_code == 301 and response.headers["Location"] == canonical
    assert client.get(canonical).status_code == 200


def test_a_flood_of_odd_addresses_renders_no_page(app):
    """The redirect costs routing only, and the page behind it is the build's kept file."""
    from flask import template_rendered
    rendered = []

    def count(_sender, template, **_extra):
        rendered.append(template.name)

    client = app.test_client()
    with template_rendered.connected_to(count, app):
        for n in range(30):
            assert client.get(f"/translate/?r={n}").status_code == 301
        assert client.get("/translate/").status_code == 200
    assert rendered == []


# --- print jobs cannot fill the disk ------------------------------------------------------------

def _job_files(app) -> list[Path]:
    return sorted((Path(app.config["MAI_PDF_CACHE"]) / JOBS).glob("*.pdf"))


def test_the_same_choices_in_any_order_or_repeated_make_one_job(client, app):
    one = client.get("/en/print.pdf?guide=ice-encounters&locale=es&locale=ar&format=card")
    other = client.get("/en/print.pdf?locale=ar&locale=es&locale=ar&guide=ice-encounters&guide=ice-encounters"
                       "&format=card")
    assert one.status_code == other.status_code == 200
    assert one.headers["ETag"] == other.headers["ETag"] and one.data == other.data


def test_the_job_store_stays_under_its_cap_and_pages_keep_answering(built, tmp_path):
    from support import make_app
    app = make_app(Path(built.config["MAI_DATABASE"]).parent, MAI_JOB_STORE_MB="0.06")
    client = app.test_client()
    cap = 0.06 * 1024 * 1024
    combos = [(a, b) for a in ("es", "ar", "fr", "ko") for b in ("ur", "zh-Hans", "vi") if a != b]
    for first, second in combos:
        query = f"guide=ice-encounters&locale={first}&locale={second}&format=card&duplex=1"
        assert client.get(f"/en/print.pdf?{query}").status_code == 200
        assert sum(path.stat().st_size for path in _job_files(app)) <= cap + 64 * 1024  # the newest is kept
        assert client.get("/es/guides/ice-encounters").status_code == 200
    assert len(_job_files(app)) < len(combos)


# --- builds refuse what they must not publish -----------------------------------------------------

def test_a_catalog_that_is_a_link_is_refused_naming_it(project_copy, tmp_path):
    outside = tmp_path / "elsewhere.po"
    po = po_file(project_copy, "fr", "messages")
    outside.write_bytes(po.read_bytes())
    po.unlink()
    po.symlink_to(outside)
    result = run(copy_app(project_copy), "i18n", "check")
    assert result.exit_code != 0 and f"{po}:1:" in result.output and "link" in result.output


def test_an_enormous_catalog_is_refused_unread(project_copy):
    po = po_file(project_copy, "fr", "content")
    with po.open("ab") as handle:
        handle.write(b"#" + b"x" * MAX_CATALOG_BYTES + b"\n")
    started = time.monotonic()
    result = run(copy_app(project_copy), "build", "--no-pdfs")
    assert result.exit_code != 0 and "limited to" in result.output and f"{po}:1:" in result.output
    assert time.monotonic() - started < 60


def test_an_enormous_translation_is_refused_naming_its_line(project_copy):
    po = po_file(project_copy, "es", "content")
    text = po.read_text()
    marker = 'msgid "Everyone in the United States has rights under the Constitution, whatever their immigration status."\nmsgstr "'
    start = text.index(marker) + len(marker)
    po.write_text(text[:start] + "palabra " * (MAX_TRANSLATION_CHARS // 8 + 10) + text[text.index('"', start):])
    line = text[:start].count("\n")
    result = run(copy_app(project_copy), "build", "--no-pdfs")
    assert result.exit_code != 0 and f"{po}:{line}:" in result.output and "characters" in result.output


# --- what an operator sees -------------------------------------------------------------------------

def test_everything_a_build_writes_is_readable_by_the_serving_user(project_copy):
    keep_only_locales(project_copy, ["en", "es"])
    app = copy_app(project_copy, MAI_KEEP_SITE="1")
    assert run(app, "build").exit_code == 0
    release = live_release(Path(app.config["MAI_DATABASE"]))
    written = [release, *release.rglob("*"), *Path(app.config["MAI_PDF_CACHE"]).rglob("*")]
    assert len(written) > 50
    for path in written:
        mode = stat.S_IMODE(os.lstat(path).st_mode)
        if path.is_symlink():
            continue
        expected = 0o755 if path.is_dir() else 0o644
        assert mode & expected == expected, (path, oct(mode))


def test_freeze_refuses_a_folder_it_did_not_make(built, tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "family.jpg").write_bytes(b"not ours")
    result = run(built, "freeze", str(folder))
    assert result.exit_code != 0 and "not empty" in result.output
    assert (folder / "family.jpg").read_bytes() == b"not ours"


@pytest.fixture(scope="module")
def small_workers(built, tmp_path_factory):
    """gunicorn as the Procfile starts it, whose workers are recycled past 40 MB (less than one
    needs): each request's worker is replaced after answering."""
    log = tmp_path_factory.mktemp("recycle") / "gunicorn.log"
    process, base = start({"WEB_CONCURRENCY": "1", "MAI_DATABASE": built.config["MAI_DATABASE"],
                           "MAI_PDF_CACHE": built.config["MAI_PDF_CACHE"], "MAI_WORKER_MAX_RSS_MB": "40"}, log)
    yield base, log
    stop(process)


def test_a_worker_past_its_memory_ceiling_is_replaced_after_answering(small_workers):
    import urllib.request
    base, log = small_workers
    for _ in range(3):
        with urllib.request.urlopen(base + "/es/guides/ice-encounters", timeout=30) as response:
            assert response.status == 200
        wait_until(lambda: "replacing it" in log.read_text(), 30, "no worker was recycled")
    text = log.read_text()
    assert "over 40 MB" in text and "Booting worker" in text
    assert "/es/guides" not in text.split("replacing it")[0].splitlines()[-1]  # the line names no request


@pytest.mark.parametrize("raw, status", [
    (b"GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n", b"400"),
    (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: y\r\n" % n for n in range(200)) + b"\r\n", b"431"),
])
def test_gunicorns_own_error_answers_carry_the_security_headers(server, raw, status):
    base, _log = server
    answer = raw_exchange(base, raw)
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    assert head.split(" ")[1].encode() == status, head
    for name, value in HEADERS.items():
        assert f"{name}: {value}" in head, (name, head)


# --- the front under one abusive address ----------------------------------------------------------

def test_2500_slow_connections_from_one_address_do_not_starve_the_front(own_site):
    """Half request lines, held open from one address: nginx holds them all, page probes still
    answer, and nothing is logged about them (no address, no request line)."""
    from nginx_front import request
    held: list[socket.socket] = []
    try:
        for _ in range(2500):
            sock = socket.create_connection(("127.0.0.1", own_site.port), timeout=5)
            sock.sendall(b"GET /en/guides/ice-encounters?q=secret-words HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            held.append(sock)
        answered = [request(own_site.port, path, timeout=5)[0] for path in
                    ("/en/guides/ice-encounters", "/es/", "/ar/news/", "/en/search?q=rights")]
        assert answered == [200, 200, 200, 200]
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.5)
    errors = own_site.error_log.read_text() if own_site.error_log.exists() else ""
    assert "127.0.0.1" not in errors and "secret-words" not in errors and "client:" not in errors
