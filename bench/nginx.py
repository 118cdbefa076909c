"""Benchmark under nginx: a guide page against /static/style.css, both through the same front.

The build keeps every page as files (mai_guides/site_files.py) and the front serves them itself, so
the goal is a guide page within 2x of a static file (it was 14x when every page went to gunicorn).
Run after a build: `.venv/bin/python bench/nginx.py` (MAI_DATABASE/MAI_PDF_CACHE as for the app).
Starts scripts/serve-nginx.sh on free loopback ports with its files in a temp folder, sends the two
requests interleaved (gzip, one keep-alive connection each, like a browser) and prints medians and
their ratio. Small, noisy machines: look at medians and ratios, not single numbers.
"""
from __future__ import annotations

import http.client
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 300))
PAGE, STATIC = "/en/guides/ice-encounters", "/static/style.css"
sys.path.insert(0, str(ROOT / "tests"))
from front import serving_front  # noqa: E402
from procfile_server import free_ports  # noqa: E402  (one helper for tests and bench)


def get(conn: http.client.HTTPConnection, path: str) -> float:
    start = time.perf_counter()
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - start
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}")
    return elapsed


def main() -> None:
    port, upstream = free_ports(2)
    with serving_front(port, upstream):
        conns = {path: http.client.HTTPConnection("127.0.0.1", port, timeout=10) for path in (PAGE, STATIC)}
        for _ in range(150):  # up to 30 s for gunicorn to load
            try:
                get(conns[PAGE], PAGE)
                break
            except (OSError, http.client.HTTPException, SystemExit):
                conns[PAGE].close()
                time.sleep(0.2)
        else:
            raise SystemExit("nginx + gunicorn did not answer; run `make build` first")
        samples: dict[str, list[float]] = {PAGE: [], STATIC: []}
        for _ in range(REQUESTS):
            for path, conn in conns.items():
                samples[path].append(get(conn, path))
    page, static = (statistics.median(samples[p]) * 1000 for p in (PAGE, STATIC))
    print(f"Under nginx, median of {REQUESTS} interleaved keep-alive gzip requests each (ms):")
    print(f"  guide page (kept file) {page:7.2f}")
    print(f"  style.css (static)     {static:7.2f}")
    print(f"  page / static          {page / static:7.2f}x   (goal: at most 2x)")


if __name__ == "__main__":
    sys.exit(main())
