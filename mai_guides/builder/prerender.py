"""Render the standard PDFs into the cache during the build, on every core (build side)."""
from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass

from ..pdf.cache import PdfCache
from ..pdf.documents import DocSpec, document_key, render_spec
from ..pdf.render import forget_font_maps

_worker_app = None  # set in each worker process by _start_worker


def _start_worker(app) -> None:
    """Each worker renders with the build's own app (the new database and catalogs)."""
    global _worker_app
    forget_font_maps()
    _worker_app = app


@dataclass(frozen=True)
class Prerendered:
    """One standard document in the cache: its size (the API tells it) and whether this build rendered it."""

    spec: DocSpec
    size: int
    rendered: bool


def _render(spec: DocSpec) -> Prerendered:
    """Render spec unless a file with its key is cached already."""
    with _worker_app.app_context():
        cache = PdfCache.from_config(_worker_app.config)
        key = document_key(spec)
        cached = cache.get(key, spec)
        if cached is not None:
            cache.mark_used(cached)
            return Prerendered(spec, cached.stat().st_size, False)
        return Prerendered(spec, cache.put(key, spec, render_spec(spec)).stat().st_size, True)


def prerender(staging, specs: list[DocSpec], progress) -> list[Prerendered]:
    """Render every spec whose inputs changed since it was last cached; returns every spec's file.

    Each worker works out its document's key from the new database (the HTML is cheap next
    to laying it out), so an edit in one locale re-renders only that locale's documents.
    """
    if not specs:
        return []
    processes = max(1, min(len(specs), os.cpu_count() or 1))
    # fork: workers inherit the build's app; rendering is CPU-bound, so one per core.
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_start_worker, initargs=(staging,)) as pool:
        rendered = progress(pool.imap_unordered(_render, specs, chunksize=1), "Rendering PDFs", len(specs))
        return list(rendered)
