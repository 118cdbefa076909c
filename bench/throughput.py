"""Guide page vs a bare Flask route returning the same bytes, under the same gunicorn settings.

Run after a build: `.venv/bin/python bench/throughput.py`. Starts gunicorn twice the way the
Procfile says (tests/procfile_server.py): once with the app, once with bench/bare_app.py (the
same command line and gunicorn.conf.py, only the WSGI module differs), then loads each with the
same keep-alive clients, alternating rounds so machine noise hits both alike. Prints the median
requests/s of the rounds, latencies, and the ratio (goal >= 0.9); and, for comparison, the same
page rendered on every request (a query string bypasses the kept pages).
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402
import procfile_server  # noqa: E402

PAGE = "/es/guides/ice-encounters"
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 8))
SECONDS = float(os.environ.get("BENCH_SECONDS", 4))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))


def start_bare(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """The Procfile's gunicorn command, with bench/bare_app.py as the WSGI app."""
    port = procfile_server.free_port()
    command = procfile_server.procfile_command()
    assert command.endswith(" app:app"), command
    command = command.removesuffix("app:app") + "bench.bare_app:app"
    full_env = {**os.environ, "PORT": str(port), "MAI_HOST": "127.0.0.1",
                "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", **env}
    process = subprocess.Popen(["sh", "-c", command], cwd=ROOT, env=full_env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    procfile_server.wait_until(lambda: procfile_server._answers(base + "/healthz", process), 30,
                               "bare gunicorn did not answer")
    return process, base


def main() -> None:
    app_server, app_base = procfile_server.start({})
    bare_server = None
    try:
        with urllib.request.urlopen(app_base + PAGE) as response:
            body = response.read()
        with tempfile.NamedTemporaryFile(suffix=".html", delete=False) as handle:
            handle.write(body)
        bare_server, bare_base = start_bare({"BARE_BODY": handle.name})
        with urllib.request.urlopen(bare_base + "/page") as response:
            assert response.read() == body
        # a query string bypasses the kept pages: the same page rendered per request, as before
        targets = {"guide page": app_base + PAGE, "bare Flask": bare_base + "/page",
                   "rendered": app_base + PAGE + "?render=each-time"}
        for url in targets.values():  # warm every worker (the page cache fills on first request)
            load.run(url, CONNECTIONS, 1)
        rounds = {name: [] for name in targets}
        for _ in range(ROUNDS):
            for name, url in targets.items():
                rounds[name].append(load.run(url, CONNECTIONS, SECONDS))
        print(f"{len(body)}-byte page, {CONNECTIONS} keep-alive connections, {ROUNDS} rounds of {SECONDS:g} s "
              "each (medians of the rounds):")
        for name, results in rounds.items():
            print(f"  {name:11} {statistics.median(r['rps'] for r in results):8.0f} req/s   "
                  f"median {statistics.median(r['median_ms'] for r in results):6.2f} ms   "
                  f"p99 {statistics.median(r['p99_ms'] for r in results):6.2f} ms   "
                  f"5xx {sum(r['failures'] for r in results)}")
        ratio = statistics.median(r["rps"] for r in rounds["guide page"]) / \
            statistics.median(r["rps"] for r in rounds["bare Flask"])
        print(f"Guide page / bare Flask throughput: {ratio:.2f} (goal >= 0.9) -> {'OK' if ratio >= 0.9 else 'MISSED'}")
        rendered = statistics.median(r["rps"] for r in rounds["rendered"]) / \
            statistics.median(r["rps"] for r in rounds["bare Flask"])
        print(f"Rendered per request (no kept page) / bare Flask: {rendered:.2f}")
        os.unlink(handle.name)
    finally:
        procfile_server.stop(app_server)
        if bare_server:
            procfile_server.stop(bare_server)


if __name__ == "__main__":
    main()
