"""Time writing the build database: row by row (each insert its own commit, as before) against
one transaction, on the same inputs in the same run. Prints medians and the ratio.

    .venv/bin/python bench/build_db.py [rounds]
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlite_utils

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mai_guides import create_app  # noqa: E402
from mai_guides.builder.database import fill_database, write_database  # noqa: E402
from mai_guides.builder.inputs import load_inputs  # noqa: E402
from mai_guides.builder.paths import Paths  # noqa: E402
from mai_guides.builder.pipeline import no_progress  # noqa: E402


def row_by_row(path: Path, inputs) -> None:
    db = sqlite_utils.Database(path)
    write_database(db, inputs, no_progress)
    db.conn.close()


def one_transaction(path: Path, inputs) -> None:
    fill_database(path, inputs, no_progress)


def timed(write, inputs, folder: Path) -> float:
    path = folder / f"{write.__name__}.db"
    path.unlink(missing_ok=True)
    start = time.perf_counter()
    write(path, inputs)
    return time.perf_counter() - start


def main(rounds: int = 3) -> None:
    app = create_app({"TESTING": True})
    paths = Paths.from_config(app.config)
    start = time.perf_counter()
    inputs = load_inputs(paths)
    print(f"reading and checking every source and catalog: {time.perf_counter() - start:.2f} s")
    results = {row_by_row: [], one_transaction: []}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(rounds):
            for write, times in results.items():  # interleaved: a busy machine slows both alike
                times.append(timed(write, inputs, Path(tmp)))
    before, after = (statistics.median(t) for t in results.values())
    print(f"database write, median of {rounds}: row by row {before:.2f} s, one transaction {after:.2f} s "
          f"({before / after:.1f}x faster)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
