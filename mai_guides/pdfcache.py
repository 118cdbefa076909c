"""Rendered PDFs on disk, keyed by content version: a new build never serves stale files."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from .documents import DocSpec


class PdfCache:
    """instance/pdf/<content version>/<locale>/<file name>.pdf"""

    def __init__(self, root: Path):
        self.root = root

    def path(self, version: str, spec: DocSpec) -> Path:
        return self.root / version / spec.locale / spec.filename

    def get(self, version: str, spec: DocSpec) -> Path | None:
        path = self.path(version, spec)
        return path if path.is_file() else None

    def put(self, version: str, spec: DocSpec, data: bytes) -> Path:
        """Write atomically, so a reader never sees half a file."""
        path = self.path(version, spec)
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temp.write_bytes(data)
        os.replace(temp, path)
        return path

    def prune(self, keep: set[str]) -> None:
        """Remove the PDFs of content versions no longer served."""
        if self.root.is_dir():
            for child in self.root.iterdir():
                if child.is_dir() and child.name not in keep:
                    shutil.rmtree(child, ignore_errors=True)
