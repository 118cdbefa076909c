"""Rendered PDFs on disk, each keyed by a hash of what changes its bytes (documents.document_key).

instance/pdf/docs/<locale>/<file stem>.<key>.pdf   one document
instance/pdf/jobs/<key>.pdf                         one print-builder job (several documents joined)
instance/pdf/jobs/part-<key>.pdf                    a document printed with an organizer's own name and
                                                    hotline: named by its key alone, kept a week like jobs

A key changes only when the document's own inputs change, so a rebuild re-renders only what
an edit touched, and a new key never serves a stale file.
"""
from __future__ import annotations

import os
import shutil
import time
from collections import defaultdict
from pathlib import Path

from ..files import atomic_write
from .documents import DocSpec

DOCS, JOBS = "docs", "jobs"
KEEP_PER_DOCUMENT = 2  # the live rendering and the one before it, for readers mid-swap
JOB_DAYS = 7  # joined print jobs are cheap to redo; keep a week of them
JOB_STORE_BYTES = 200 * 1024 * 1024  # the default cap on joined jobs (MAI_JOB_STORE_MB)


class PdfCache:
    def __init__(self, root: Path, job_store_bytes: int = JOB_STORE_BYTES):
        self.root = root
        self.job_store_bytes = job_store_bytes

    @classmethod
    def from_config(cls, config) -> "PdfCache":
        """The cache the app's config names (MAI_PDF_CACHE, MAI_JOB_STORE_MB)."""
        megabytes = config.get("MAI_JOB_STORE_MB")
        return cls(Path(config["MAI_PDF_CACHE"]),
                   int(float(megabytes) * 1024 * 1024) if megabytes else JOB_STORE_BYTES)

    def path(self, key: str, spec: DocSpec) -> Path:
        if spec.local is not None:  # one job's document: nothing of its fields in the file's name
            return self.root / JOBS / f"part-{key}.pdf"
        return self.root / DOCS / spec.locale / f"{Path(spec.filename).stem}.{key}.pdf"

    def get(self, key: str, spec: DocSpec) -> Path | None:
        path = self.path(key, spec)
        return path if path.is_file() else None

    def put(self, key: str, spec: DocSpec, data: bytes) -> Path:
        """Write atomically, so a reader never sees half a file."""
        return atomic_write(self.path(key, spec), data)

    def job_path(self, key: str) -> Path:
        return self.root / JOBS / f"{key}.pdf"

    def get_job(self, key: str) -> Path | None:
        """A cached job, marked as used now (the store evicts the least recently used)."""
        path = self.job_path(key)
        try:
            os.utime(path)
        except OSError:
            return None
        return path

    def put_job(self, key: str, data: bytes) -> Path:
        """Keep a job, then evict the least recently used ones until the store is under its cap:
        jobs are many and big (a choice of languages each), and cheap to join again."""
        path = atomic_write(self.job_path(key), data)
        self.evict_jobs(keep=path)
        return path

    def evict_jobs(self, keep: Path) -> None:
        jobs = []
        for job in (self.root / JOBS).glob("*.pdf"):
            try:
                stat = job.stat()
            except OSError:
                continue  # evicted by another worker a moment ago
            jobs.append((stat.st_mtime, stat.st_size, job))
        total = sum(size for _mtime, size, _job in jobs)
        for _mtime, size, job in sorted(jobs, key=lambda item: item[0]):
            if total <= self.job_store_bytes:
                break
            if job != keep:
                job.unlink(missing_ok=True)
                total -= size

    @staticmethod
    def mark_used(path: Path) -> None:
        """A build that finds a document already rendered marks it current (see prune)."""
        os.utime(path)

    def prune(self) -> None:
        """Keep the newest renderings of each document (the build marks what it reuses, so the
        newest are the live ones), a week of print jobs, and drop the old per-version folders."""
        if not self.root.is_dir():
            return
        for child in self.root.iterdir():
            if child.is_dir() and child.name not in (DOCS, JOBS):
                shutil.rmtree(child, ignore_errors=True)  # the cache layout before per-document keys
        by_document = defaultdict(list)
        for path in (self.root / DOCS).glob("*/*.pdf"):
            by_document[(path.parent.name, path.name.split(".", 1)[0])].append(path)
        for paths in by_document.values():
            paths.sort(key=_mtime, reverse=True)
            for old in paths[KEEP_PER_DOCUMENT:]:
                old.unlink(missing_ok=True)
        cutoff = time.time() - JOB_DAYS * 24 * 3600
        for path in (self.root / JOBS).glob("*.pdf"):
            if _mtime(path) < cutoff:
                path.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
