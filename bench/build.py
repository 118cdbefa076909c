"""Benchmark: build times with PDFs, on a copy of content/ and translations/ in a temp folder.

  first build    every standard PDF rendered into an empty cache (the baseline: what every
                 edit cost when the cache was keyed by the content version)
  one-locale     one Spanish paragraph edited, then `flask mai build`: only that locale's
                 documents of that guide are re-rendered (issue 10 goal: under 15 s)
  no change      `flask mai build` again with nothing changed

Prints medians and the ratio against the first build, measured in the same run. Run with
`.venv/bin/python bench/build.py` (BENCH_EDITS=3 edits by default).
"""
from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support import copy_app  # noqa: E402

EDITS = int(os.environ.get("BENCH_EDITS", 3))
PARAGRAPH = r"#\. Translators: guide 'ice-encounters', paragraph.*\n(?:#.*\n)*msgid \"(?:[^\"\\]|\\.)+\"\nmsgstr \""


def timed_build(app) -> tuple[float, str]:
    """`flask mai build` as a person runs it: a new process each time, so nothing a previous
    build left in memory helps (test runs build in one process and do get that help)."""
    config = app.config
    env = {**os.environ, "MAI_DATABASE": config["MAI_DATABASE"], "MAI_PDF_CACHE": config["MAI_PDF_CACHE"],
           "MAI_CONTENT": config["MAI_CONTENT"], "MAI_TRANSLATIONS": config["MAI_TRANSLATIONS"],
           "MAI_BASE_URL": config["MAI_BASE_URL"]}
    flask = Path(sys.executable).parent / "flask"
    start = time.perf_counter()
    result = subprocess.run([str(flask), "--app", "app", "mai", "build"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(result.stdout + result.stderr)
    rendered = re.search(r"(\d+) PDFs rendered", result.stdout + result.stderr)
    return elapsed, rendered.group(1) if rendered else "?"


def edit_spanish_paragraph(project: Path, n: int) -> None:
    po = project / "translations" / "es" / "LC_MESSAGES" / "content.po"
    text = po.read_text()
    match = re.search(PARAGRAPH, text)
    po.write_text(text[:match.end()] + f"Edición {n}. " + text[match.end():])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        for name in ("content", "translations"):
            shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("*.mo"))
        app = copy_app(project)
        first, first_count = timed_build(app)
        print(f"first build with every PDF: {first:7.1f} s  ({first_count} PDFs rendered)")
        edits, counts = [], []
        for n in range(EDITS):
            edit_spanish_paragraph(project, n)
            seconds, count = timed_build(app)
            edits.append(seconds)
            counts.append(count)
        edit = statistics.median(edits)
        print(f"one-locale edit rebuild:    {edit:7.1f} s  median of {EDITS} (PDFs rendered: {', '.join(counts)}); "
              f"ratio to the first build {edit / first:.2f}")
        same, same_count = timed_build(app)
        print(f"rebuild with no change:     {same:7.1f} s  ({same_count} PDFs rendered); "
              f"ratio to the first build {same / first:.2f}")


if __name__ == "__main__":
    main()
