"""Render the standard PDFs into the cache during the build, on every core (build side)."""
from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

from ..documents import DocSpec, render_spec
from ..pdfcache import PdfCache

_worker_app = None  # set in each worker process by _start_worker


def _start_worker(app, database: str) -> None:
    """Each worker renders from the database being built, not the live one."""
    global _worker_app
    app.config["MAI_DATABASE"] = database
    _worker_app = app


def _render(job: tuple[str, DocSpec]) -> str:
    version, spec = job
    with _worker_app.app_context():
        PdfCache.from_config(_worker_app.config).put(version, spec, render_spec(spec))
    return spec.filename


def prerender(app, database: Path, version: str, specs: list[DocSpec], progress) -> int:
    """Render every spec not yet cached for this version; returns how many were rendered."""
    cache = PdfCache.from_config(app.config)
    todo = [(version, spec) for spec in specs if cache.get(version, spec) is None]
    if not todo:
        return 0
    processes = max(1, min(len(todo), os.cpu_count() or 1))
    # fork: workers inherit the configured app; rendering is CPU-bound, so one per core.
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_start_worker, initargs=(app, str(database))) as pool:
        for _name in progress(pool.imap_unordered(_render, todo), "Rendering PDFs", len(todo)):
            pass
    return len(todo)
