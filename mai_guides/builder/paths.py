"""Where the build reads and writes: the project's folders, from the app config."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    """Where the build reads and writes; all from the app config."""

    root: Path
    content: Path
    translations: Path
    database: Path
    audio: Path  # spoken phrases, named by a hash of what they say (builder/speech.py)

    @classmethod
    def from_config(cls, config) -> "Paths":
        return cls(Path(config["MAI_ROOT"]), Path(config["MAI_CONTENT"]),
                   Path(config["MAI_TRANSLATIONS"]), Path(config["MAI_DATABASE"]),
                   Path(config["MAI_AUDIO_CACHE"]))
