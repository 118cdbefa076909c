"""Fifty uncached PDFs requested at once, while a reader loads guide pages: do pages keep answering?

Starts gunicorn as the Procfile says (tests/procfile_server.py) over MAI_DATABASE with an empty PDF
cache, sends 50 concurrent requests for 50 different posters (none pre-rendered), and meanwhile
times guide pages from one client. Prints the page latency while the flood runs against the same
page with no flood (ratio, p50 and p99), and how the PDF requests were answered (200, or 503 with
Retry-After past the render cap). Run after a build: `.venv/bin/python bench/pdf_flood.py`.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import procfile_server  # noqa: E402
from support import LOCALES  # noqa: E402

PAGE = "/es/guides/ice-encounters"


def get(url: str) -> tuple[int, float, str | None]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
            return response.status, time.perf_counter() - start, None
    except urllib.error.HTTPError as error:
        return error.code, time.perf_counter() - start, error.headers.get("Retry-After")


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def pages_until(base: str, stop: threading.Event, floor: int = 50) -> list[float]:
    samples = []
    while not stop.is_set() or len(samples) < floor:
        samples.append(get(base + PAGE)[1])
    return samples


def main() -> None:
    cache = tempfile.mkdtemp(prefix="mai-pdf-flood-")
    process, base = procfile_server.start({"MAI_PDF_CACHE": cache})
    try:
        get(base + PAGE)  # the page itself is kept after its first render
        quiet = [get(base + PAGE)[1] for _ in range(300)]
        posters = [f"/{code}/posters/{slug}.pdf?paper={paper}" for code in LOCALES
                   for slug in ("ice-encounters", "reporting-ice-activity") for paper in ("a4", "letter")][:50]
        stop = threading.Event()
        with ThreadPoolExecutor(1) as reader:
            loaded = reader.submit(pages_until, base, stop)
            with ThreadPoolExecutor(50) as flood:
                answers = list(flood.map(lambda path: get(base + path), posters))
            stop.set()
            during = loaded.result()
        flooded = workers_rss_mb(process.pid)
        # a worker past its ceiling finishes its request and is replaced (gunicorn.conf.py post_request)
        for _ in range(40):
            get(base + PAGE)
        time.sleep(3)
        settled = workers_rss_mb(process.pid)
    finally:
        procfile_server.stop(process)
    counts = {}
    for status, _, retry in answers:
        key = f"{status}" + (f" (Retry-After {retry})" if retry else "")
        counts[key] = counts.get(key, 0) + 1
    print(f"50 uncached posters at once: {counts}; slowest answer {max(a[1] for a in answers):.1f} s")
    print(f"Guide page, {len(quiet)} alone:   p50 {percentile(quiet, .5):6.2f} ms   p99 {percentile(quiet, .99):6.2f} ms")
    print(f"Guide page, {len(during)} during: p50 {percentile(during, .5):6.2f} ms   p99 {percentile(during, .99):6.2f} ms"
          f"   (goal p99 < 250 ms)")
    print(f"p99 during / alone: {percentile(during, .99) / percentile(quiet, .99):.1f}x; "
          f"median ratio {statistics.median(during) / statistics.median(quiet):.1f}x")
    ceiling = int(os.environ.get("MAI_WORKER_MAX_RSS_MB", 300))
    print(f"Workers' memory (MB) right after the flood: {sorted(flooded)}; a few requests later: {sorted(settled)} "
          f"(ceiling {ceiling} MB: {'all under' if max(settled) <= ceiling else 'OVER'})")


def children(pid: int) -> list[int]:
    return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()]


def workers_rss_mb(started: int) -> list[int]:
    """Resident memory of gunicorn's workers (the processes under the one started that have no
    children of their own), in MB, from /proc."""
    sizes, todo = [], [started]
    while todo:
        pid = todo.pop()
        below = children(pid)
        todo += below
        if not below and pid != started:
            sizes += [int(line.split()[1]) // 1024 for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                      if line.startswith("VmRSS:")]
    return sizes


if __name__ == "__main__":
    os.environ.setdefault("MAI_DATABASE", str(ROOT / "instance" / "mai.db"))
    main()
