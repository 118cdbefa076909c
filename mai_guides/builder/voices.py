"""Which speech engine speaks which language, and how an audio file is made (build side only).

English (every phrase said to an officer) is spoken by Flite's `rms` voice: of the English voices
Debian ships, it was the one an open speech recogniser (PocketSphinx) understood best, by far
(bench/voices.py: 6% of words wrong against 78% for espeak-ng's en-us; README "Speak for me").
The first steps in a reader's language are spoken by espeak-ng, only for the languages listed in
READER_VOICES: a language is offered only when its voice is understandable (README says how that
was decided); for any other, the page shows no control (never a voice reading the wrong language).

A file is made once: its name is a hash of its text, the voice and every setting below, so an
edit re-makes only the phrases it changed, and a new voice or setting re-makes them all.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Slower than the engines' default, for a frightened reader and an officer behind a door.
ENGLISH_STRETCH = "1.2"  # Flite's duration_stretch: 20% slower
ESPEAK_WPM = "140"  # espeak-ng's default is 175 words a minute
RATE = "16000"  # wideband speech: all a voice needs, and what Flite makes
# Loud through a door: a gentle compressor lifts quiet syllables, then peaks go to -1 dBFS.
LOUDNESS = ["highpass", "80", "compand", "0.02,0.2", "-60,-60,-30,-14,0,-4", "-2", "norm", "-1"]
OPUS = ["--bitrate", "10", "--vbr", "--framesize", "60", "--comp", "10"]  # ~1.3 kB per second
MP3 = ["-m", "m", "-b", "24"]  # for browsers that cannot play Opus (older Safari): ~3 kB per second
GAP_SECONDS = "0.6"  # between the lines of one recording
FORMATS = ("opus", "mp3")
TOOLS = ("flite", "espeak-ng", "sox", "opusenc", "lame")


@dataclass(frozen=True)
class Voice:
    engine: str  # "flite" | "espeak-ng"
    name: str

    def command(self, text: str, wav: Path) -> list[str]:
        if self.engine == "flite":
            return ["flite", "-voice", self.name, "--setf", f"duration_stretch={ENGLISH_STRETCH}",
                    "-t", text, "-o", str(wav)]
        return ["espeak-ng", "-v", self.name, "-s", ESPEAK_WPM, "-w", str(wav), "--", text]


ENGLISH = Voice("flite", "rms")
# The reader's languages espeak-ng speaks understandably (README "Speak for me" says how each was
# judged). Spanish and Portuguese as spoken by most readers here: Latin American and Brazilian.
READER_VOICES = {
    "en": ENGLISH,
    "es": Voice("espeak-ng", "es-419"),
    "fr": Voice("espeak-ng", "fr-fr"),
    "pt": Voice("espeak-ng", "pt-br"),
    "ru": Voice("espeak-ng", "ru"),
    "hi": Voice("espeak-ng", "hi"),
    "vi": Voice("espeak-ng", "vi"),
    # Persian and Urdu leave short vowels unwritten, but espeak-ng's dictionaries supply them for
    # our text (its phonemes read back as the words: "az poʃt dar harf bezanid", "kisi tʃiːz par
    # dastxat na karẽː"); Arabic's do not ("tkllm"), so Arabic is not offered.
    "fa": Voice("espeak-ng", "fa"),
    "ur": Voice("espeak-ng", "ur"),
}


class SpeechError(RuntimeError):
    """A tool is missing or failed; the message says which and how to install it."""


def check_tools() -> None:
    """Every tool the build speaks with, or one error naming the missing ones."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        raise SpeechError(f"missing {', '.join(missing)}: install the Debian packages in debian-packages.txt "
                          "(make deps)")


@lru_cache(maxsize=1)
def engine_versions() -> str:
    """The engines' and encoders' versions: a new one re-makes every file."""
    out = []
    for command in (["flite", "--version"], ["espeak-ng", "--version"], ["opusenc", "--version"],
                    ["lame", "--version"], ["sox", "--version"]):
        result = subprocess.run(command, capture_output=True, text=True)
        out.append((result.stdout or result.stderr).splitlines()[0] if (result.stdout or result.stderr) else "")
    return "\n".join(out)


def settings() -> str:
    return repr((ENGLISH_STRETCH, ESPEAK_WPM, RATE, LOUDNESS, OPUS, MP3, GAP_SECONDS, engine_versions()))


def audio_name(parts: list[tuple[Voice, str]], recording: bytes | None = None) -> str:
    """The file's name: a hash of what it says, in which voices, made how (or of the recording)."""
    digest = hashlib.sha256()
    if recording is not None:
        digest.update(b"recording\n" + hashlib.sha256(recording).digest())
    else:
        digest.update(settings().encode())
    for voice, text in parts:
        digest.update(f"\n{voice.engine}/{voice.name}\n{text}".encode())
    return digest.hexdigest()[:16]


def run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True)
    if result.returncode != 0:
        raise SpeechError(f"{command[0]} failed ({result.returncode}): {result.stderr.decode(errors='replace')[-300:]}")


def speak(parts: list[tuple[Voice, str]], folder: Path) -> Path:
    """Say the parts one after the other (a short gap between lines), as one loud 16 kHz mono WAV."""
    pieces = []
    for i, (voice, text) in enumerate(parts):
        raw, even = folder / f"{i}.raw.wav", folder / f"{i}.wav"
        run(voice.command(text, raw))
        run(["sox", str(raw), "-r", RATE, "-c", "1", "-b", "16", str(even)])
        pieces.append(str(even))
    joined = folder / "joined.wav"
    if len(pieces) == 1:
        shutil.copy(pieces[0], joined)
    else:
        gap = folder / "gap.wav"
        run(["sox", "-n", "-r", RATE, "-c", "1", "-b", "16", str(gap), "trim", "0", GAP_SECONDS])
        run(["sox", *[p for piece in pieces for p in (piece, str(gap))][:-1], str(joined)])
    return joined


def encode(wav: Path, target: Path, name: str) -> dict[str, float]:
    """Loud, padded, then Opus and MP3 written whole into `target` (by rename); returns the bytes
    of each format and the seconds it plays."""
    with tempfile.TemporaryDirectory(dir=target) as tmp:
        loud = Path(tmp) / "loud.wav"
        run(["sox", str(wav), "-r", RATE, "-c", "1", "-b", "16", str(loud), *LOUDNESS, "pad", "0.15", "0.3"])
        run(["opusenc", "--quiet", *OPUS, str(loud), str(Path(tmp) / "out.opus")])
        run(["lame", "--quiet", *MP3, str(loud), str(Path(tmp) / "out.mp3")])
        sizes = {"seconds": seconds(loud)}
        for ext in FORMATS:
            (Path(tmp) / f"out.{ext}").replace(target / f"{name}.{ext}")
            sizes[ext] = (target / f"{name}.{ext}").stat().st_size
    return sizes


def seconds(path: Path) -> float:
    """How long a WAV file plays."""
    result = subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True)
    if result.returncode != 0:
        raise SpeechError(f"cannot read {path}: {result.stderr.strip()}")
    return round(float(result.stdout), 2)
