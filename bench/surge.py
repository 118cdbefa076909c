"""A surge: p99 latency at 50 connections, and worker memory after 10,000 mixed requests.

Run after a build: `.venv/bin/python bench/surge.py`. Starts gunicorn as the Procfile says
(tests/procfile_server.py) and sends a mix of what readers ask for (pages in several languages,
searches, cached PDFs, the stylesheet, a missing page) over keep-alive connections.

Prints, from one run: p99 at 50 connections against p99 at one connection (ratio), and the
gunicorn workers' resident memory (RSS, and the private part, RssAnon) before and after
10,000 requests (ratio). The clients run on the same 2 cores as the server: on a small machine
the 50-connection p99 is mostly the client processes waiting for a core.
"""
from __future__ import annotations

import os
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402
import procfile_server  # noqa: E402

MIX = ["/es/guides/ice-encounters", "/en/", "/ar/guides/reporting-ice-activity", "/zh-Hans/news/",
       "/en/search?q=lawyer", "/es/search?q=orden", "/en/cards/ice-encounters.pdf", "/fr/about",
       "/static/style.css", "/en/guides/no-such-guide", "/vi/", "/en/news/", "/fonts.css"]
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 50))
SECONDS = float(os.environ.get("BENCH_SECONDS", 5))
MEMORY_REQUESTS = int(os.environ.get("BENCH_MEMORY_REQUESTS", 10_000))


def workers(master_group: int) -> list[int]:
    """gunicorn's worker pids: processes of the server's group whose parent is the arbiter."""
    group = [int(p) for p in os.listdir("/proc") if p.isdigit() and _pgid(int(p)) == master_group]
    parents = {pid: _ppid(pid) for pid in group}
    # the Procfile's `sh -c "gunicorn ..."` names gunicorn too: only python processes count
    gunicorns = [pid for pid in group if b"gunicorn" in _read(pid, "cmdline")
                 and not _read(pid, "cmdline").startswith(b"sh\0")]
    return [pid for pid in gunicorns if parents[pid] in gunicorns]


def _read(pid: int, name: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/{name}").read_bytes()
    except OSError:
        return b""


def _pgid(pid: int) -> int:
    fields = _read(pid, "stat").rsplit(b")", 1)[-1].split()
    return int(fields[2]) if len(fields) > 2 else -1


def _ppid(pid: int) -> int:
    fields = _read(pid, "stat").rsplit(b")", 1)[-1].split()
    return int(fields[1]) if len(fields) > 1 else -1


def memory_kb(pids: list[int]) -> tuple[int, int]:
    """Summed VmRSS and RssAnon (kB) of pids."""
    rss = anon = 0
    for pid in pids:
        for line in _read(pid, "status").decode().splitlines():
            if line.startswith("VmRSS:"):
                rss += int(line.split()[1])
            elif line.startswith("RssAnon:"):
                anon += int(line.split()[1])
    return rss, anon


def sequential(base: str, count: int) -> None:
    for index in range(count):
        try:
            with urllib.request.urlopen(base + MIX[index % len(MIX)], timeout=30) as response:
                response.read()
        except urllib.error.HTTPError as error:
            error.read()


def main() -> None:
    process, base = procfile_server.start({})
    try:
        sequential(base, 4 * len(MIX))  # warm up: first renders, PDFs from the build's cache
        pids = workers(process.pid)
        before = memory_kb(pids)
        one = load.run(base + "/", 1, SECONDS, MIX)
        many = load.run(base + "/", CONNECTIONS, SECONDS, MIX)
        print(f"Mixed requests ({len(MIX)} URLs), {SECONDS:g} s each:")
        for name, result in (("1 connection", one), (f"{CONNECTIONS} connections", many)):
            print(f"  {name:15} {result['rps']:7.0f} req/s   median {result['median_ms']:7.2f} ms   "
                  f"p99 {result['p99_ms']:7.2f} ms   5xx {result['failures']}")
        print(f"p99 at {CONNECTIONS} connections / p99 at 1: {many['p99_ms'] / one['p99_ms']:.1f}")
        done = one["requests"] + many["requests"]
        if done < MEMORY_REQUESTS:
            load.run(base + "/", 8, (MEMORY_REQUESTS - done) / max(one["rps"], 1) + 1, MIX)
        after_pids = workers(process.pid)
        after = memory_kb(after_pids)
        print(f"\n{len(pids)} workers before, {len(after_pids)} after at least {MEMORY_REQUESTS:,} mixed requests "
              f"({'same' if sorted(pids) == sorted(after_pids) else 'recycled'} workers):")
        print(f"  RSS     {before[0] / 1024:7.1f} MB -> {after[0] / 1024:7.1f} MB   ratio {after[0] / before[0]:.2f}")
        print(f"  RssAnon {before[1] / 1024:7.1f} MB -> {after[1] / 1024:7.1f} MB   ratio {after[1] / before[1]:.2f}")
    finally:
        procfile_server.stop(process)


if __name__ == "__main__":
    main()
