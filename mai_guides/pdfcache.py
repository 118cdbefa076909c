"""Rendered PDFs on disk, keyed by content version: a new build never serves stale files."""
from __future__ import annotations

import shutil
from pathlib import Path

from .documents import DocSpec
from .files import atomic_write


class PdfCache:
    """instance/pdf/<content version>/<locale>/<file name>.pdf"""

    def __init__(self, root: Path):
        self.root = root

    @classmethod
    def from_config(cls, config) -> "PdfCache":
        """The cache the app's config names (MAI_PDF_CACHE)."""
        return cls(Path(config["MAI_PDF_CACHE"]))

    def path(self, version: str, spec: DocSpec) -> Path:
        return self.root / version / spec.locale / spec.filename

    def get(self, version: str, spec: DocSpec) -> Path | None:
        path = self.path(version, spec)
        return path if path.is_file() else None

    def put(self, version: str, spec: DocSpec, data: bytes) -> Path:
        """Write atomically, so a reader never sees half a file."""
        return atomic_write(self.path(version, spec), data)

    def prune(self, keep: set[str]) -> None:
        """Remove the PDFs of content versions no longer served."""
        if self.root.is_dir():
            for child in self.root.iterdir():
                if child.is_dir() and child.name not in keep:
                    shutil.rmtree(child, ignore_errors=True)
