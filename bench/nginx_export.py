"""The frozen export served by nginx against nginx serving one plain file of the same bytes.

Run after a build: `.venv/bin/python bench/nginx_export.py`. Freezes the site (`flask mai freeze
--no-pdfs`) into a temporary folder, starts nginx with deploy/nginx-static.conf.template
(tests/static_nginx.py) and loads a guide page by its site URL (/es/guides/ice-encounters, found
through try_files) and /plain.html, a copy of the same bytes, in alternating rounds. Prints the
median requests/s of the rounds and the ratio (goal >= 0.9).
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402
import static_nginx  # noqa: E402

CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 8))
SECONDS = float(os.environ.get("BENCH_SECONDS", 4))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="mai-export-"))
    try:
        export = work / "site"
        env = {**os.environ, "MAI_BASE_URL": os.environ.get("MAI_BASE_URL") or "https://guides.example.org"}
        subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "app", "mai", "freeze", "--no-pdfs",
                        str(export)], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        page = export / "es" / "guides" / "ice-encounters.html"
        shutil.copyfile(page, export / "plain.html")
        process, base = static_nginx.start(export, work / "nginx")
        try:
            targets = {"export page": base + "/es/guides/ice-encounters", "plain file": base + "/plain.html"}
            for url in targets.values():
                load.run(url, CONNECTIONS, 1)
            rounds = {name: [] for name in targets}
            for _ in range(ROUNDS):
                for name, url in targets.items():
                    rounds[name].append(load.run(url, CONNECTIONS, SECONDS))
        finally:
            static_nginx.stop(process)
        print(f"{page.stat().st_size}-byte page from nginx, {CONNECTIONS} keep-alive connections, {ROUNDS} rounds "
              f"of {SECONDS:g} s (medians of the rounds):")
        for name, results in rounds.items():
            print(f"  {name:12} {statistics.median(r['rps'] for r in results):8.0f} req/s   "
                  f"median {statistics.median(r['median_ms'] for r in results):6.2f} ms   "
                  f"p99 {statistics.median(r['p99_ms'] for r in results):6.2f} ms")
        ratio = statistics.median(r["rps"] for r in rounds["export page"]) / \
            statistics.median(r["rps"] for r in rounds["plain file"])
        print(f"Export page / plain file throughput: {ratio:.2f} (goal >= 0.9) -> {'OK' if ratio >= 0.9 else 'MISSED'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
