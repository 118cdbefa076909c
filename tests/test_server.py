"""The app as deployed: gunicorn started with the Procfile's own command, over real HTTP."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from mai_guides import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def procfile_command() -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.removeprefix("web:").strip()
    raise AssertionError("Procfile has no web: line")


@pytest.fixture()
def server(built):
    """gunicorn serving the test database on a free loopback port; its log is returned too."""
    port = free_port()
    env = {**os.environ, "PORT": str(port), "MAI_HOST": "127.0.0.1", "WEB_CONCURRENCY": "1",
           "MAI_DATABASE": built.config["MAI_DATABASE"], "MAI_PDF_CACHE": built.config["MAI_PDF_CACHE"],
           "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    log = ROOT / "instance" / f"gunicorn-test-{port}.log"
    log.parent.mkdir(exist_ok=True)
    with log.open("w") as out:
        process = subprocess.Popen(["sh", "-c", procfile_command()], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/healthz", process)
        yield base, log
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=20)
        log.unlink(missing_ok=True)


def _wait(url: str, process, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn exited"
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer {url}")


def test_procfile_gunicorn_serves_pages(server):
    base, log = server
    request = urllib.request.Request(base + "/es/guides/ice-encounters?q=secret-search",
                                     headers={"User-Agent": "UniqueAgent/1.0", "Referer": "https://ref.example/"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read().decode()
        assert response.status == 200
        assert '<html lang="es" dir="ltr">' in body
        assert response.headers.get("Set-Cookie") is None
    time.sleep(0.5)
    logged = log.read_text()
    assert "/es/guides/ice-encounters" in logged
    for secret in ("127.0.0.1", "UniqueAgent", "ref.example", "secret-search"):
        assert secret not in logged.replace("Listening at: http://127.0.0.1", ""), secret


def test_the_web_side_does_not_load_the_build_side():
    """create_app (what gunicorn imports) leaves content loading, catalogs and pre-rendering out."""
    code = ("import sys, app; build = {'mai_guides.build', 'mai_guides.catalogs', 'mai_guides.content', "
            "'mai_guides.prerender', 'mai_guides.commands', 'mai_guides.locales', 'mai_guides.status'}; "
            "print(sorted(build & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
