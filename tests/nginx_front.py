"""nginx in front of gunicorn, as scripts/serve-nginx.sh starts them on free loopback ports: the
fixtures the nginx and surge tests share."""
from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from procfile_server import free_ports, wait_until

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx", path=os.environ.get("PATH", "") + os.pathsep + "/usr/sbin")


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


def start_site_over(database: dict, tmp_path_factory) -> Site:
    """scripts/serve-nginx.sh on free loopback ports over a build (`database`: MAI_* settings)."""
    assert NGINX, "nginx is not installed: run make deps"
    port, upstream_port = free_ports(2)
    tmp = tmp_path_factory.mktemp("nginx")
    env = {**os.environ, **database, "PORT": str(port), "MAI_UPSTREAM_PORT": str(upstream_port),
           "MAI_HOST": "127.0.0.1", "MAI_NGINX_PREFIX": str(tmp / "prefix"), "WEB_CONCURRENCY": "2",
           "PATH": os.environ.get("PATH", "") + os.pathsep + "/usr/sbin"}
    output = tmp / "serve.log"
    with output.open("w") as out:
        process = subprocess.Popen(["sh", "scripts/serve-nginx.sh"], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    site = Site(process, port, upstream_port, tmp / "prefix", output)

    def ready() -> bool:
        assert process.poll() is None, f"serve-nginx.sh exited:\n{output.read_text()}"
        try:
            return request(port, "/healthz", timeout=2)[0] == 200
        except OSError:
            return False

    try:
        wait_until(ready, 120, f"nginx + gunicorn did not answer /healthz:\n{output.read_text()}")
    except BaseException:
        stop(site)
        raise
    return site


@pytest.fixture(scope="session")
def start_site(nginx_database, tmp_path_factory):
    """Starts fronts over the run's shared build; stops whatever is still running at the end."""
    sites: list[Site] = []

    def start() -> Site:
        sites.append(start_site_over(nginx_database, tmp_path_factory))
        return sites[-1]

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
