"""Benchmark: the test suite's wall time against the suite issue 12 was filed against, back to back.

  baseline          commit b969f58's own test command (`python -m pytest`, serial, as its
                    Makefile ran it), in a clean export of that commit, with this checkout's
                    virtualenv (same Python packages, same machine, same minute)
  same tests today  the nine test files that existed then, run as `make test` runs them now
  whole suite       `make test`'s pytest command over every test file

Prints each run's wall time, then medians over BENCH_ROUNDS rounds (default 1: a round takes
about six minutes on two cores) and each ratio to the baseline. Run with
`.venv/bin/python bench/suite_time.py`; nothing else should be running.
"""
from __future__ import annotations

import io
import os
import re
import shlex
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = os.environ.get("BENCH_BASELINE", "b969f58")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 1))
# The test files of the baseline commit: "the same tests" today.
SAME_FILES = ["test_browser.py", "test_build.py", "test_content.py", "test_fonts.py", "test_i18n.py",
              "test_pages.py", "test_pdf_safety.py", "test_pdfs.py", "test_server.py"]


def make_test_pytest_args() -> list[str]:
    """The pytest options `make test` uses, read from the Makefile (one home for them)."""
    line = next(line for line in (ROOT / "Makefile").read_text().splitlines() if "-m pytest" in line)
    return shlex.split(line.split("-m pytest", 1)[1])


def export(commit: str, folder: Path) -> None:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")


def timed(label: str, args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                            cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
    if result.returncode != 0 or not re.search(r"\d+ passed", summary):
        raise SystemExit(f"{label} failed:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")
    print(f"  {label:17s} {elapsed:6.1f} s  {summary.strip('= ')}", flush=True)
    return elapsed


def main() -> None:
    options = make_test_pytest_args()
    times: dict[str, list[float]] = {"baseline": [], "same tests today": [], "whole suite": []}
    with tempfile.TemporaryDirectory() as tmp:
        baseline = Path(tmp) / "baseline"
        export(BASELINE, baseline)
        for number in range(1, ROUNDS + 1):
            print(f"round {number} of {ROUNDS}")
            times["baseline"].append(timed("baseline", [], baseline))
            times["same tests today"].append(timed("same tests today", [*options, *(f"tests/{name}" for name in SAME_FILES)], ROOT))
            times["whole suite"].append(timed("whole suite", options, ROOT))
    base = statistics.median(times["baseline"])
    print(f"\nmedians over {ROUNDS} round(s), pytest options today: {' '.join(options)}")
    for label, values in times.items():
        print(f"  {label:17s} {statistics.median(values):6.1f} s   {statistics.median(values) / base:4.2f}x the baseline")


if __name__ == "__main__":
    main()
