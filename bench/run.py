"""Benchmarks: PDF cold render time per document, and cached-PDF serving against a guide page.

Run with `make bench` (after a build). Starts gunicorn the way the Procfile does, on a free
loopback port, and prints medians and the ratio measured in the same run. Small, noisy
machines: look at medians and ratios, not single numbers.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import procfile_server  # noqa: E402

from app import app  # noqa: E402
from mai_guides.pdf.documents import DocSpec, render_spec  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", 200))
RENDERS = int(os.environ.get("BENCH_RENDERS", 5))


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def time_renders() -> None:
    """Cold render of each kind of document (what an uncached request costs)."""
    print(f"Cold render, median of {RENDERS} (ms):")
    with app.app_context():
        for spec in [DocSpec("card", "ice-encounters", "en"), DocSpec("card", "ice-encounters", "zh-Hans"),
                     DocSpec("sheet", "ice-encounters", "ar"), DocSpec("handout", "ice-encounters", "en"),
                     DocSpec("handout", "ice-encounters", "zh-Hans"), DocSpec("poster", "ice-encounters", "es")]:
            samples = []
            for _ in range(RENDERS):
                start = time.perf_counter()
                render_spec(spec)
                samples.append(time.perf_counter() - start)
            print(f"  {spec.kind:8} {spec.locale:8} {median_ms(samples):8.1f}")


def start_server() -> tuple[subprocess.Popen, str]:
    """gunicorn as the Procfile says, over the built database (the same start-up as the tests)."""
    return procfile_server.start({})


def time_requests(url: str) -> list[float]:
    samples = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
        samples.append(time.perf_counter() - start)
    return samples


ABUSIVE_SEARCH = "/en/search?q=" + "+".join(["a"] * 100)  # 300 bytes that used to cost seconds of CPU


def time_abusive_search(base: str) -> None:
    """The crafted search against an ordinary one, and a guide page while 16 of them run at once."""
    from concurrent.futures import ThreadPoolExecutor

    page = base + "/es/guides/ice-encounters"
    abusive, normal = time_requests(base + ABUSIVE_SEARCH), time_requests(base + "/en/search?q=lawyer")
    print(f"\nSearch, median of {REQUESTS} (ms): abusive {median_ms(abusive):.2f} (goal < 50), "
          f"ordinary {median_ms(normal):.2f}, ratio {median_ms(abusive) / median_ms(normal):.2f}")
    quiet = time_requests(page)
    with ThreadPoolExecutor(16) as pool:
        flood = [pool.submit(time_requests, base + ABUSIVE_SEARCH) for _ in range(16)]
        loaded = time_requests(page)
        for future in flood:
            future.result()
    delay = median_ms(loaded) - median_ms(quiet)
    print(f"Guide page with 16 abusive searches running: {median_ms(loaded):.2f} ms vs {median_ms(quiet):.2f} ms "
          f"alone (delay {delay:.1f} ms, goal < 100)")


def time_serving() -> None:
    process, base = start_server()
    try:
        time_abusive_search(base)
        targets = {"guide page": "/es/guides/ice-encounters", "cached card": "/es/cards/ice-encounters.pdf",
                   "cached sheet": "/es/cards/ice-encounters-sheet.pdf",
                   "cached handout": "/es/guides/ice-encounters.pdf"}
        for path in targets.values():  # warm up: connections, caches, the first request of each worker
            time_requests(base + path)[:1]
        # interleave rounds so machine noise hits every target alike
        results = {name: [] for name in targets}
        for _round in range(3):
            for name, path in targets.items():
                results[name] += time_requests(base + path)
        page = median_ms(results["guide page"])
        print(f"\nServing over HTTP via gunicorn, median of {3 * REQUESTS} requests (ms):")
        for name, samples in results.items():
            print(f"  {name:15} {median_ms(samples):7.2f}   ratio to guide page {median_ms(samples) / page:5.2f}")
        ratio = median_ms(results["cached card"]) / page
        print(f"\nCached card vs guide page: {ratio:.2f}x (goal: within 2x) -> {'OK' if ratio <= 2 else 'MISSED'}")
    finally:
        procfile_server.stop(process)


if __name__ == "__main__":
    import nginx_export
    import surge
    import throughput

    time_renders()
    time_serving()
    print("\nGuide page vs a bare Flask route (bench/throughput.py):")
    throughput.main()
    print("\nSurge: p99 at 50 connections, worker memory (bench/surge.py):")
    surge.main()
    print("\nThe frozen export under nginx vs a plain file (bench/nginx_export.py):")
    nginx_export.main()
