"""gunicorn started exactly as the Procfile says, on a free loopback port (tests and bench/)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


def free_ports(count: int) -> list[int]:
    """Loopback ports nobody listens on (held open together, so they differ)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def free_port() -> int:
    return free_ports(1)[0]


def procfile_command() -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.removeprefix("web:").strip()
    raise AssertionError("Procfile has no web: line")


def start(env: dict[str, str], log: Path | None = None) -> tuple[subprocess.Popen, str]:
    """Start gunicorn with the Procfile's command and `env` on top of ours; wait until it answers."""
    port = free_port()
    full_env = {**os.environ, "PORT": str(port), "MAI_HOST": "127.0.0.1",
                "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", **env}
    out = log.open("w") if log else subprocess.DEVNULL
    process = subprocess.Popen(["sh", "-c", procfile_command()], cwd=ROOT, env=full_env,
                               stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(base + "/healthz", process), 30, f"gunicorn did not answer {base}")
    except BaseException:
        stop(process)
        raise
    return process, base


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, 15)
    process.wait(timeout=20)


def raw_exchange(base: str, request: bytes, until: bytes | None = None) -> bytes:
    """Send bytes as they are (no HTTP library would send a malformed request); what the server
    answers, until it closes the connection or, when given, `until` has arrived."""
    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
        sock.sendall(request)
        answer = b""
        while not (until and until in answer) and (chunk := sock.recv(65536)):
            answer += chunk
    return answer


def wait_until(condition, seconds: float, message: str) -> None:
    """Poll condition() until it is true; fail with message after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(message)


def _answers(url: str, process: subprocess.Popen) -> bool:
    assert process.poll() is None, "gunicorn exited"
    try:
        urllib.request.urlopen(url, timeout=2).close()
        return True
    except OSError:
        return False
