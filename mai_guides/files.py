"""Writing files so that a reader never sees half of one."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Everything the project writes is readable by every user (0644 files, 0755 folders): the user who
# builds and the user who serves (nginx, gunicorn) are often not the same.
FILE_MODE = 0o644


def atomic_write(path: Path, data: bytes) -> Path:
    """Write data beside path under a unique temporary name, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, FILE_MODE)  # mkstemp makes 0600: only the builder could read it
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path
