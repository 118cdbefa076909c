"""A small keep-alive HTTP load generator (no wrk/ab on the machine): processes, one connection each.

Each client process sends GETs back to back over one HTTP/1.1 connection for a fixed time and
returns its request latencies; the caller gets the throughput and the latency distribution.
"""
from __future__ import annotations

import socket
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from urllib.parse import urlsplit


def _read_response(sock: socket.socket, buffer: bytes) -> tuple[int, bytes]:
    """Read one response (Content-Length framed); return its status and what follows it."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        buffer += chunk
    head, _, rest = buffer.partition(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        rest += chunk
    return status, rest[length:]


def _connect(host: str, port: int) -> socket.socket:
    sock = socket.create_connection((host, port), timeout=30)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def client(url: str, seconds: float, paths: list[str] | None = None) -> tuple[list[float], int]:
    """One connection hammering url (or cycling through paths) for `seconds`: (latencies, failures)."""
    parts = urlsplit(url)
    targets = paths or [parts.path + (f"?{parts.query}" if parts.query else "")]
    requests = [f"GET {p} HTTP/1.1\r\nHost: {parts.hostname}\r\nAccept-Encoding: identity\r\n\r\n".encode()
                for p in targets]
    sock, buffer, latencies, failures = _connect(parts.hostname, parts.port), b"", [], 0
    deadline = time.perf_counter() + seconds
    index = 0
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        try:
            sock.sendall(requests[index % len(requests)])
            status, buffer = _read_response(sock, buffer)
            if status >= 500:
                failures += 1
        except OSError:  # gunicorn closes keep-alive connections now and then: reconnect
            sock.close()
            sock, buffer = _connect(parts.hostname, parts.port), b""
            continue
        latencies.append(time.perf_counter() - start)
        index += 1
    sock.close()
    return latencies, failures


def run(url: str, connections: int, seconds: float, paths: list[str] | None = None) -> dict:
    """`connections` clients at once for `seconds`: requests/s, median and p99 latency (ms), failures."""
    with ProcessPoolExecutor(connections) as pool:
        results = list(pool.map(client, [url] * connections, [seconds] * connections, [paths] * connections))
    latencies = sorted(sample for samples, _ in results for sample in samples)
    return {"rps": len(latencies) / seconds,
            "median_ms": statistics.median(latencies) * 1000,
            "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
            "requests": len(latencies), "failures": sum(f for _, f in results)}
