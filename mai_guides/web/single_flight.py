"""One render per missing file, however many readers ask for it at once, across every worker.

When a PDF is not cached yet and twenty readers ask for it in the same second (a link shared in
a group chat), the first reader's thread renders it and the others wait for that file instead
of rendering it again (as many as the worker can spare threads for; the rest are asked to come back
in a few seconds, when the file is cached). gunicorn runs several processes, so the lock is a file lock (flock) on a
small hidden file beside the document: it works across threads and processes alike, and the
kernel drops it if the process dies mid-render.
"""
from __future__ import annotations

import fcntl
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

WAIT_SECONDS = 50  # under gunicorn's 60 s timeout: a waiter answers before its worker is killed
POLL_SECONDS = 0.05
# A waiting reader holds one of its worker's threads (gunicorn.conf.py: 4). Renders hold up to
# MAI_PDF_RENDER_SLOTS (2) more: with more than one waiter per worker, twenty readers of one new PDF
# would take every thread and stall the pages. Past it the reader gets 503 + Retry-After at once.
WAITERS_PER_WORKER = 1
_waiting = threading.BoundedSemaphore(WAITERS_PER_WORKER)


class StillRendering(Exception):
    """Another reader's render of the same file did not finish in time."""


def lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


@contextmanager
def single_flight(target: Path, wait: float = WAIT_SECONDS):
    """Hold the lock of `target` (wait for whoever holds it); check the cache again inside."""
    lock = lock_path(target)
    lock.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            _wait_for(handle, target, wait)
        yield
    finally:
        os.close(handle)  # closing the descriptor releases the lock


def _wait_for(handle: int, target: Path, wait: float) -> None:
    """Wait for another render of the same file, if this worker has a thread to spare for it."""
    if not _waiting.acquire(blocking=False):
        raise StillRendering(target.name)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StillRendering(target.name) from None
                time.sleep(POLL_SECONDS)
    finally:
        _waiting.release()
