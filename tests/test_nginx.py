"""nginx in front of gunicorn (deploy/nginx.conf.template, started by scripts/serve-nginx.sh), over real
HTTP on 127.0.0.1: buffering, static files, compression, headers, rate limits and private logs.

Serves the run's shared build (conftest's `built`: `flask mai build --no-pdfs` in a temp folder).
"""
from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from procfile_server import free_ports, wait_until

pytestmark = pytest.mark.slow  # starts gunicorn or nginx, or builds in a subprocess

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx", path=os.environ.get("PATH", "") + os.pathsep + "/usr/sbin")
GUIDE = "/en/guides/ice-encounters"
HSTS = "max-age=31536000"


def test_nginx_is_installed():
    assert NGINX, "nginx is not installed: run make deps"


# --- servers ---------------------------------------------------------------------------------------

@dataclass
class Site:
    process: subprocess.Popen
    port: int
    upstream_port: int
    prefix: Path
    output: Path  # the script's stdout and stderr: gunicorn's own access log

    @property
    def access_log(self) -> Path:
        return self.prefix / "logs" / "access.log"

    @property
    def error_log(self) -> Path:
        return self.prefix / "logs" / "error.log"

    def pid(self, name: str) -> int:
        return int((self.prefix / f"{name}.pid").read_text())


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def request(port: int, path: str, headers: dict | None = None, timeout: float = 10):
    """One GET on a fresh connection: (status, headers, body), whatever the status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


@pytest.fixture(scope="session")
def nginx_database(built) -> dict:
    """The run's real build (`flask mai build --no-pdfs`) and PDF cache, as environment for the
    servers: they only read it."""
    return {"MAI_DATABASE": built.config["MAI_DATABASE"], "MAI_PDF_CACHE": built.config["MAI_PDF_CACHE"],
            "MAI_AUDIO_CACHE": built.config["MAI_AUDIO_CACHE"]}


@pytest.fixture(scope="session")
def start_site(nginx_database, tmp_path_factory):
    """Starts scripts/serve-nginx.sh on free loopback ports; stops whatever is still running at the end."""
    sites: list[Site] = []

    def start() -> Site:
        assert NGINX, "nginx is not installed: run make deps"
        port, upstream_port = free_ports(2)
        tmp = tmp_path_factory.mktemp("nginx")
        env = {**os.environ, **nginx_database, "PORT": str(port), "MAI_UPSTREAM_PORT": str(upstream_port),
               "MAI_HOST": "127.0.0.1", "MAI_NGINX_PREFIX": str(tmp / "prefix"), "WEB_CONCURRENCY": "2",
               "PATH": os.environ.get("PATH", "") + os.pathsep + "/usr/sbin"}
        output = tmp / "serve.log"
        with output.open("w") as out:
            process = subprocess.Popen(["sh", "scripts/serve-nginx.sh"], cwd=ROOT, env=env, stdout=out,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        site = Site(process, port, upstream_port, tmp / "prefix", output)
        sites.append(site)

        def ready() -> bool:
            assert process.poll() is None, f"serve-nginx.sh exited:\n{output.read_text()}"
            try:
                return request(port, "/healthz", timeout=2)[0] == 200
            except OSError:
                return False

        wait_until(ready, 60, f"nginx + gunicorn did not answer /healthz:\n{output.read_text()}")
        return site

    yield start
    for site in sites:
        stop(site)


def stop(site: Site) -> None:
    """SIGTERM to the script alone (its trap stops both servers); SIGKILL to its group as a last resort."""
    if site.process.poll() is None:
        site.process.send_signal(signal.SIGTERM)
        try:
            site.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(site.process.pid, signal.SIGKILL)
            site.process.wait(timeout=10)


@pytest.fixture(scope="module")
def site(start_site) -> Site:
    """One nginx + gunicorn shared by the tests that leave it running."""
    return start_site()


@pytest.fixture()
def own_site(start_site):
    """A fresh nginx + gunicorn for a test that stops one of them or needs fresh rate limits."""
    site = start_site()
    yield site
    stop(site)


# --- what readers get ------------------------------------------------------------------------------

def test_guide_page_through_nginx_with_both_layers_of_headers(site):
    status, headers, body = request(site.port, GUIDE)
    assert status == 200
    assert '<html lang="en"' in body.decode()
    # The app's own headers pass through untouched...
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["ETag"] and "max-age=300" in headers["Cache-Control"]
    # ...nginx adds its own, once, and says nothing about its version.
    assert headers.get_all("Strict-Transport-Security") == [HSTS]
    assert headers.get_all("Cross-Origin-Resource-Policy") == ["same-origin"]
    assert headers["Server"] == "nginx"
    assert headers.get("Set-Cookie") is None


def test_security_headers_on_errors_too(site):
    status, headers, body = request(site.port, "/en/guides/no-such-guide")
    assert status == 404
    assert headers.get_all("Strict-Transport-Security") == [HSTS]
    assert headers.get_all("Cross-Origin-Resource-Policy") == ["same-origin"]
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    status, headers, _ = request(site.port, "/static/no-such-file.css")
    assert status == 404
    assert headers.get_all("Cross-Origin-Resource-Policy") == ["same-origin"]


@pytest.mark.parametrize("length", [6_000, 12_000, 40_000])
def test_an_overlong_address_gets_the_apps_400_page_through_nginx(site, length):
    """Within gunicorn's limit the print form answers; past it gunicorn's worker, past nginx's
    own buffers nginx itself: each time the app's 400 page, never a bare 414."""
    query = "guide=ice-encounters&format=sheet&" + "&".join(["locale=es"] * (length // 10))
    status, headers, body = request(site.port, f"/es/print.pdf?{query}")
    assert status == 400
    assert headers.get_all("Content-Security-Policy") and len(headers.get_all("Content-Security-Policy")) == 1
    assert b'lang="es"' in body and b"<h1" in body


def test_root_redirect_is_relative_and_varies_on_language(site):
    """nginx does not forward the Host, so nothing may build absolute URLs from it."""
    status, headers, _ = request(site.port, "/", {"Accept-Language": "es"})
    assert status == 302
    assert headers["Location"] == "/es/"
    assert "Accept-Language" in headers["Vary"]


def test_gzip_for_pages_and_stylesheet(site):
    for path in (GUIDE, "/static/style.css"):
        status, headers, body = request(site.port, path, {"Accept-Encoding": "gzip"})
        assert status == 200, path
        assert headers["Content-Encoding"] == "gzip", path
        assert "Accept-Encoding" in headers["Vary"], path
        plain_status, plain_headers, plain = request(site.port, path)
        assert plain_status == 200 and plain_headers.get("Content-Encoding") is None, path
        assert gzip.decompress(body) == plain, path
        assert len(body) < len(plain) / 2, path
    assert plain == (ROOT / "static" / "style.css").read_bytes()


def test_compressed_page_still_revalidates_with_its_etag(site):
    """The app compresses pages itself, with an ETag per encoding; a CDN or browser sending it
    back through nginx still gets 304 Not Modified."""
    _, headers, _ = request(site.port, GUIDE, {"Accept-Encoding": "gzip"})
    etag = headers["ETag"]
    assert headers["Content-Encoding"] == "gzip" and etag.rstrip('"').endswith("-gzip"), etag
    status, _, body = request(site.port, GUIDE, {"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert status == 304 and body == b""


def test_static_files_are_served_by_nginx_not_gunicorn(site):
    status, headers, _ = request(site.port, "/static/style.css")
    assert status == 200
    assert headers["Cache-Control"] == "no-cache"  # a bare address revalidates
    fingerprinted = request(site.port, "/static/style.css?v=0123456789")[1]["Cache-Control"]
    assert fingerprinted == "public, max-age=31536000, immutable"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers.get_all("Strict-Transport-Security") == [HSTS]
    # gunicorn logs every request it serves: the page shows up in its log, the stylesheet never.
    assert request(site.port, GUIDE)[0] == 200
    wait_until(lambda: f'"GET {GUIDE}"' in site.output.read_text(), 10, "gunicorn never logged the page")
    assert "/static/" not in site.output.read_text()


def test_static_files_answer_while_gunicorn_is_down(own_site):
    os.kill(own_site.pid("gunicorn"), signal.SIGTERM)
    wait_until(lambda: not listening(own_site.upstream_port), 30, "gunicorn did not stop")
    assert request(own_site.port, "/static/style.css")[0] == 200
    assert request(own_site.port, GUIDE)[0] == 502


# --- privacy ---------------------------------------------------------------------------------------

# time, method, path, status, bytes, seconds; a request cut off before its method reads "- -".
ACCESS_LINE = re.compile(r"^\S+ ((GET|HEAD) /\S*|- -) \d{3} \d+ \d+\.\d{3}$")


def assert_logs_private(site: Site, secrets: list[str]) -> str:
    """Every access log line has the private format; no secret and no client address in either log."""
    access = site.access_log.read_text()
    for line in access.splitlines():
        assert ACCESS_LINE.match(line), line
    logs = access + site.error_log.read_text()
    for secret in [*secrets, "127.0.0.1"]:
        assert secret not in logs, secret
    return access


def wait_for_log_line(site: Site) -> None:
    """nginx writes a request's log line just after answering it: ask for one more and wait for it."""
    last = f"/en/guides/last-{uuid.uuid4().hex}"
    request(site.port, last)
    wait_until(lambda: f" {last} " in site.access_log.read_text(), 10, "access log not written")


def test_logs_keep_no_client_address_agent_referrer_or_query(site):
    marker = uuid.uuid4().hex
    secrets = [f"Agent{marker}", f"ref{marker}.example", f"query{marker}"]
    headers = {"User-Agent": secrets[0], "Referer": f"https://{secrets[1]}/page", "Accept-Encoding": "gzip"}
    paths = [GUIDE, "/en/search", "/static/style.css", "/static/missing.css", "/en/guides/missing",
             "/en/cards/missing.pdf"]
    for path in paths:
        request(site.port, f"{path}?q={secrets[2]}", headers)
    # Rate-limit rejections too: nginx would log each one, with the client's address, at `error`.
    statuses = [request(site.port, f"/en/search?q={secrets[2]}", headers)[0] for _ in range(20)]
    assert 429 in statuses
    wait_for_log_line(site)

    access = assert_logs_private(site, secrets)
    for path in paths:
        assert f" GET {path} " in access, path


def test_nginx_forwards_no_client_address_to_gunicorn():
    config = re.sub(r"#.*", "", (ROOT / "deploy" / "nginx.conf.template").read_text())  # directives only
    assert "$remote_addr" not in config and "$proxy_add_x_forwarded_for" not in config
    assert 'proxy_set_header X-Forwarded-For "";' in config
    assert re.search(r"^\s*error_log \S+ crit;", config, re.M)


# --- abuse and slow clients ------------------------------------------------------------------------

def test_search_and_pdfs_are_rate_limited_per_client(own_site):
    for path in ("/en/search?q=x", "/en/guides/no-such-guide.pdf"):
        statuses = []
        deadline = time.monotonic() + 30
        for _ in range(40):
            status, headers, _ = request(own_site.port, path)
            statuses.append(status)
            if status == 429:
                assert headers.get_all("Strict-Transport-Security") == [HSTS]
            if time.monotonic() > deadline:
                break
        assert 429 in statuses, (path, statuses)
        assert statuses[0] != 429, (path, statuses)  # a person's first requests go through
        assert request(own_site.port, GUIDE)[0] == 200
    wait_for_log_line(own_site)
    assert_logs_private(own_site, [])


def test_idle_and_slow_connections_do_not_block_pages(site):
    """200 clients that send half a request line and stall: nginx holds them, gunicorn never sees them."""
    held: list[socket.socket] = []
    try:
        start = time.monotonic()
        for _ in range(200):
            sock = socket.create_connection(("127.0.0.1", site.port), timeout=5)
            sock.sendall(b"GET /en/guides/ice-enc")
            held.append(sock)
        began = time.monotonic()
        status, _, _ = request(site.port, GUIDE, timeout=5)
        elapsed = time.monotonic() - began
        assert status == 200
        assert elapsed < 2, f"guide page took {elapsed:.2f} s behind 200 slow clients"
        time.sleep(max(0.0, 3 - (time.monotonic() - start)))  # hold them ~3 s in all
        # nginx keeps waiting for them (client_header_timeout), and pages still answer.
        assert request(site.port, GUIDE, timeout=2)[0] == 200
    finally:
        for sock in held:
            sock.close()
    wait_for_log_line(site)
    assert_logs_private(site, [])


# --- the script's lifecycle ------------------------------------------------------------------------

def test_gunicorn_stops_when_nginx_exits(own_site):
    os.kill(own_site.pid("nginx"), signal.SIGQUIT)  # graceful shutdown of nginx alone
    own_site.process.wait(timeout=30)
    assert not listening(own_site.port)
    wait_until(lambda: not listening(own_site.upstream_port), 30, "gunicorn still running after nginx exited")


def test_sigterm_to_the_script_alone_stops_both(own_site):
    own_site.process.send_signal(signal.SIGTERM)
    assert own_site.process.wait(timeout=30) != 0
    assert not listening(own_site.port)
    wait_until(lambda: not listening(own_site.upstream_port), 30, "gunicorn still running")


def test_errors_made_by_nginx_or_gunicorn_carry_the_apps_security_headers_once(site):
    """A 429 from the rate limit never reaches the app: nginx adds the app's headers itself; an
    app page keeps exactly its own (no doubled Content-Security-Policy)."""
    statuses = []
    for _ in range(40):
        status, headers, _ = request(site.port, "/en/search?q=x")
        statuses.append(status)
        if status == 429:
            assert headers.get_all("Content-Security-Policy") == [
                "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"]
            assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "no-referrer"
            assert headers["X-Frame-Options"] == "DENY"
            break
    assert 429 in statuses
    _, headers, _ = request(site.port, GUIDE)
    assert len(headers.get_all("Content-Security-Policy")) == 1
    assert len(headers.get_all("X-Frame-Options")) == 1
