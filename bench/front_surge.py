"""A surge through the nginx front while gunicorn's workers are pinned at their limit.

Run after a build (`make build`: it keeps the site as files): `.venv/bin/python bench/front_surge.py`.
Starts scripts/serve-nginx.sh (nginx in front of gunicorn, as the README starts them) on free loopback
ports, then loads a mix of readers' requests through the front: guide pages in several languages,
home and news pages, wallet cards and handouts (every one of them a kept file nginx serves itself),
twice in the same run:

1. with gunicorn idle (the baseline);
2. while other clients keep every gunicorn thread busy with searches sent straight to gunicorn
   (what a search flood that got past the rate limits would do).

Prints requests/s, median and p99 for each and their ratio, the searches/s gunicorn itself served
meanwhile, and the 5xx count. 2 cores shared by clients and servers: compare ratios, not numbers.
"""
from __future__ import annotations

import os
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
from front import serving_front  # noqa: E402
from load import run  # noqa: E402
from procfile_server import free_ports, wait_until  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", 6))
READERS = int(os.environ.get("BENCH_READERS", 8))
PINNING = int(os.environ.get("BENCH_PINNING", 12))  # search clients on gunicorn: more than its threads
MIX = [f"/{lang}{path}" for lang in ("en", "es", "ar", "zh-Hans")
       for path in ("/", "/guides/ice-encounters", "/guides/reporting-ice-activity", "/news/",
                    "/cards/ice-encounters.pdf", "/guides/ice-encounters.pdf")]
SEARCHES = [f"/en/search?q={word}" for word in ("lawyer", "warrant", "rights", "door", "silent", "judge")]


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2).close()
        return True
    except OSError:
        return False


def main() -> None:
    port, upstream = free_ports(2)
    with serving_front(port, upstream):
        front, app = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{upstream}"
        wait_until(lambda: answers(front + "/healthz"), 60, "the front did not start; run `make build` first")
        missing = [path for path in MIX if not answers(front + path)]
        if missing:
            raise SystemExit(f"not served: {missing} (build with PDFs: `make build`)")
        idle = run(front + MIX[0], READERS, SECONDS, MIX)
        pinned: dict = {}
        pinning = threading.Thread(target=lambda: pinned.update(run(app + SEARCHES[0], PINNING, SECONDS + 2,
                                                                    SEARCHES)))
        pinning.start()
        time.sleep(1)  # every gunicorn thread busy before the readers arrive
        busy = run(front + MIX[0], READERS, SECONDS, MIX)
        pinning.join()
    print(f"Through the nginx front, {READERS} reader connections for {SECONDS:.0f} s "
          f"(pages, news, cards, handouts in 4 languages):")
    for label, result in (("gunicorn idle", idle), ("gunicorn pinned", busy)):
        print(f"  {label:16} {result['rps']:8.0f} req/s  median {result['median_ms']:6.2f} ms  "
              f"p99 {result['p99_ms']:7.2f} ms  5xx {result['failures']}")
    print(f"  pinned / idle    {busy['rps'] / idle['rps']:8.2f}x requests/s")
    print(f"  meanwhile gunicorn served {pinned['rps']:.0f} searches/s to {PINNING} connections "
          f"(median {pinned['median_ms']:.0f} ms, p99 {pinned['p99_ms']:.0f} ms)")


if __name__ == "__main__":
    main()
