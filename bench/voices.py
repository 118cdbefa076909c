"""Which English voice to speak with, measured rather than guessed (nobody here can listen).

Every English phrase the guides tell a reader to say, and the cards' officer sides, are spoken by
each candidate voice installed from Debian (espeak-ng, Flite's voices, optionally Festival's), then
transcribed by PocketSphinx (an open speech recogniser whose English model comes inside its PyPI
package) and scored by word error rate: the share of words the recogniser got wrong. A recogniser
is a strict, tired listener; what it cannot make out, a person through a door may not either.
Then the chosen voice is encoded as the build does (loud, slow, Opus at several bitrates) to see
what each bitrate costs in bytes and in words understood.

    .venv/bin/python bench/voices.py          # after `make install` (pocketsphinx is a test extra)
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pocketsphinx import Decoder  # noqa: E402

from mai_guides.builder import voices  # noqa: E402
from mai_guides.builder.content import load_content  # noqa: E402
from mai_guides.builder.speech import spoken_phrases  # noqa: E402

CANDIDATES = {
    "espeak-ng en-us": voices.Voice("espeak-ng", "en-us"),
    "flite slt": voices.Voice("flite", "slt"),
    "flite awb": voices.Voice("flite", "awb"),
    "flite kal16": voices.Voice("flite", "kal16"),
    "flite rms": voices.Voice("flite", "rms"),
}


def phrases() -> list[str]:
    content = load_content(ROOT / "content")
    backs = {card.slug: card.back for card in content.cards}
    return list(dict.fromkeys(p.text for g in content.guides for p in spoken_phrases(g, backs[g.slug])))


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def errors(reference: str, heard: str) -> tuple[int, int]:
    """(word edits between what was said and what was heard, words said)."""
    said, got = words(reference), words(heard)
    row = list(range(len(got) + 1))
    for i, word in enumerate(said, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(got, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
    return row[-1], len(said)


DECODER = Decoder(samprate=16000, logfn="/dev/null")


def heard(wav: Path) -> str:
    raw = subprocess.run(["sox", str(wav), "-t", "raw", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed", "-"],
                         capture_output=True, check=True).stdout
    DECODER.start_utt()
    DECODER.process_raw(raw, full_utt=True)
    DECODER.end_utt()
    return DECODER.hyp().hypstr if DECODER.hyp() else ""


def score(make_wav) -> tuple[float, float]:
    """(word error rate, seconds) over every phrase, for a function phrase -> WAV file."""
    wrong = total = 0
    seconds = 0.0
    for text in phrases():
        wav = make_wav(text)
        seconds += voices.seconds(wav)
        bad, count = errors(text, heard(wav))
        wrong, total = wrong + bad, total + count
    return wrong / total, seconds


def main() -> None:
    work = Path(tempfile.mkdtemp())
    print(f"{len(phrases())} phrases")
    for label, voice in CANDIDATES.items():
        rate, seconds = score(lambda text, voice=voice: voices.speak([(voice, text)], Path(tempfile.mkdtemp(dir=work))))
        print(f"{label:18} words wrong {rate:5.0%}  ({seconds:.0f} s, slowed as the build does for Flite)")
    for bitrate in ("6", "8", "10", "12"):
        voices.OPUS[1] = bitrate
        sizes = []

        def opus(text: str, sizes: list = sizes) -> Path:
            folder = Path(tempfile.mkdtemp(dir=work))
            facts = voices.encode(voices.speak([(voices.ENGLISH, text)], folder), folder, "x")
            sizes.append(facts["opus"])
            subprocess.run(["opusdec", "--quiet", str(folder / "x.opus"), str(folder / "back.wav")], check=True)
            return folder / "back.wav"

        rate, seconds = score(opus)
        print(f"Opus {bitrate:>2} kbit/s   words wrong {rate:5.0%}  {sum(sizes) / len(sizes):6.0f} bytes a phrase, "
              f"{sum(sizes) / seconds:5.0f} bytes a second, {sum(sizes) / 1024:.0f} KB in all")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
