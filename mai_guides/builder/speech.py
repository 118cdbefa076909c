"""What the site speaks aloud (build side): every English phrase a guide tells the reader to say
(`Say: "..."`, `Ask: "..."`) and its wallet card's officer side, shared by every locale; and each
guide's first steps ("What to do now") in the reader's language, where voices.READER_VOICES has a
voice for it. Each becomes one audio file in a folder named by content (voices.audio_name), made
only when missing, so an edit re-makes only what it changed. A person's recording listed in
content/audio/recordings.toml replaces the computer voice for its phrase.
"""
from __future__ import annotations

import json
import re
import sqlite3
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from ..registry import SOURCE_LOCALE, Registry
from . import voices
from .content import Content, ContentError, Guide, check_inside
from .fallback import Localizer
from .markup import english_pattern, english_quotes, plain_text

# A quoted phrase right after "say" or "ask" ("Say: "...", "**Ask: "...", "first say "...""):
# words the reader speaks. Other quotes ("unverified", "looks like") are not spoken.
SPOKEN = re.compile(r'\b(?:say|ask)\b\W{0,3}"([^"]+)"', re.I)
FIRST_STEPS = "what-to-do-now"
RECORDINGS = Path("audio") / "recordings.toml"
RECORDING_TYPES = (".wav", ".flac")


@dataclass(frozen=True)
class Phrase:
    """An English phrase of a guide: on the card's officer side, or quoted after Say/Ask."""

    guide: str
    kind: str  # "officer" | "say"
    text: str
    segment: str  # the English segment it is quoted in ("" for the officer side)


@dataclass(frozen=True)
class Recording:
    path: Path
    credit: str


@dataclass(frozen=True)
class Clip:
    """One audio file to make: what it says and in which voice (or a person's recording)."""

    name: str
    parts: tuple[tuple[voices.Voice, str], ...]
    recording: Recording | None = None


def spoken_phrases(guide: Guide, back: tuple[str, ...]) -> list[Phrase]:
    """A guide's English phrases in reading order: the officer side first, then each phrase the
    guide tells the reader to say, once (the first segment that quotes it gives its context)."""
    phrases = [Phrase(guide.slug, "officer", line, "") for line in back]
    seen = set()
    for block in guide.blocks:
        for segment in block.segments:
            for quoted in SPOKEN.findall(segment):
                text = quoted.strip().rstrip(",;:")
                if text and text not in seen:
                    seen.add(text)
                    phrases.append(Phrase(guide.slug, "say", text, segment))
    return phrases


def first_step_segments(guide: Guide) -> list[str]:
    """The segments of a guide's "What to do now" section (its list lines), in order."""
    inside, found = False, []
    for block in guide.blocks:
        if block.kind == "heading" and block.level == 2:
            inside = block.anchor == FIRST_STEPS
        elif inside:
            found += block.segments
    return found


def first_steps_parts(localizer: Localizer, guide: Guide) -> list[tuple[voices.Voice, str]] | None:
    """The first steps as (voice, text) parts in the reader's language, the English quotes in the
    English voice; None when the language has no voice or any step is not in it (a fallen-back
    line would be read by the wrong voice)."""
    code = localizer.info.code
    voice = voices.READER_VOICES.get(code)
    if voice is None:
        return None
    parts = []
    for segment in first_step_segments(guide):
        text, source = localizer.lookup(segment)
        if source.code != code:
            return None
        parts += split_english(plain_text(text), segment, voice, code)
    return parts or None


def split_english(text: str, segment: str, voice: voices.Voice, code: str) -> list[tuple[voices.Voice, str]]:
    """A translated line cut into the reader's-language parts and the English it quotes."""
    pattern = english_pattern(english_quotes(segment))
    if code == SOURCE_LOCALE or pattern is None:
        return [(voice, text.strip())]
    parts, at = [], 0
    for match in pattern.finditer(text):
        parts += [(voice, text[at:match.start()]), (voices.ENGLISH, match.group(0).strip("\"“”"))]
        at = match.end()
    parts.append((voice, text[at:]))
    # "देता/देती" (he/she says): a voice reads a slash as the word "slash"; brackets left around a
    # quote that went to the English voice mean nothing aloud
    return [(v, t.replace("/", ", ").strip(" \"“”«»()")) for v, t in parts if re.search(r"\w", t)]


def load_recordings(content_root: Path) -> dict[str, Recording]:
    """phrase -> a person's recording of it (content/audio/recordings.toml), checked."""
    listing = content_root / RECORDINGS
    if not listing.exists():
        return {}
    try:
        entries = tomllib.loads(listing.read_text(encoding="utf-8")).get("recording", [])
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ContentError(listing, None, f"not valid TOML: {exc}") from exc
    found = {}
    for number, entry in enumerate(entries, 1):
        where = f"recording {number}"
        text, file, credit = (str(entry.get(key, "")).strip() for key in ("text", "file", "credit"))
        if not (text and file and credit):
            raise ContentError(listing, None, f"{where}: needs text, file and credit (the speaker's name as shown)")
        path = listing.parent / file
        if path.suffix.lower() not in RECORDING_TYPES or not path.is_file():
            raise ContentError(listing, None, f"{where}: {file} is not a .wav or .flac file beside recordings.toml")
        check_inside(content_root, [path])
        found[text] = Recording(path, credit)
    return found


def check_recordings(recordings: dict[str, Recording], content: Content, listing: Path) -> None:
    """Every recording says a phrase of a guide, word for word (else it would never be played)."""
    backs = {card.slug: card.back for card in content.cards}
    known = {p.text for guide in content.guides for p in spoken_phrases(guide, backs.get(guide.slug, ()))}
    for text in recordings:
        if text not in known:
            raise ContentError(listing, None, f"the recording of {text!r} matches no phrase of a guide, word for word")


def context_html(translation: str, segment: str) -> str:
    """The line a phrase comes from, as escaped HTML text with the English it quotes isolated as
    English (<bdi lang="en" dir="ltr">): in Arabic, Persian or Urdu its words and brackets stay
    in order, and a screen reader reads it in English."""
    text = plain_text(translation)  # nh3's text: already escaped
    pattern = english_pattern(english_quotes(segment))
    return pattern.sub(lambda m: f'<bdi lang="en" dir="ltr">{m.group(0)}</bdi>', text) if pattern else text


def english_clip(text: str, recordings: dict[str, Recording]) -> Clip:
    recording = recordings.get(text)
    parts = ((voices.ENGLISH, text),)
    if recording is not None:
        return Clip(voices.audio_name(list(parts), recording.path.read_bytes()), parts, recording)
    return Clip(voices.audio_name(list(parts)), parts)


def plan(content: Content, registry: Registry, translations, recordings) -> tuple[list[dict], dict[str, Clip]]:
    """The speech table's rows (per guide and locale) and every clip they name."""
    backs = {card.slug: card.back for card in content.cards}
    rows, clips = [], {}
    for info in registry:
        localizer = Localizer(info, registry, translations)
        for guide in content.guides:
            for position, phrase in enumerate(spoken_phrases(guide, backs.get(guide.slug, ()))):
                clip = clips.setdefault(phrase.text, english_clip(phrase.text, recordings))
                context, source = localizer.lookup(phrase.segment) if phrase.segment else ("", info)
                rows.append(_row(guide.slug, info.code, phrase.kind, position, phrase.text, clip, "en",
                                 context=context_html(context, phrase.segment) if context else "",
                                 context_lang=source.code))
            parts = first_steps_parts(localizer, guide)
            if parts:
                clip = Clip(voices.audio_name(parts), tuple(parts))
                clips[clip.name] = clip
                rows.append(_row(guide.slug, info.code, "first-steps", 0, " ".join(t for _, t in parts), clip,
                                 info.code))
    return rows, {clip.name: clip for clip in clips.values()}


def _row(guide, locale, kind, position, text, clip: Clip, lang, context="", context_lang=None) -> dict:
    return {"guide": guide, "locale": locale, "kind": kind, "position": position, "text": text, "lang": lang,
            "context": context, "context_lang": context_lang, "audio": clip.name,
            "credit": clip.recording.credit if clip.recording else None}


def make_audio(folder: Path, rows: list[dict], clips: dict[str, Clip], progress) -> list[dict]:
    """Make every missing clip (two at a time: the machine's two cores), then give each row the
    seconds and bytes of its files."""
    voices.check_tools()
    folder.mkdir(parents=True, exist_ok=True)
    missing = [clip for name, clip in clips.items() if not (folder / f"{name}.json").exists()]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in progress(pool.map(lambda clip: make_clip(folder, clip), missing), "Speaking", len(missing)):
            pass
    facts = {name: json.loads((folder / f"{name}.json").read_text()) for name in clips}
    return [{**row, "seconds": facts[row["audio"]]["seconds"], "opus_bytes": facts[row["audio"]]["opus"],
             "mp3_bytes": facts[row["audio"]]["mp3"]} for row in rows]


def make_clip(folder: Path, clip: Clip) -> str:
    """Speak (or take the recording), encode, and write the facts file last: it marks the clip whole."""
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        wav = clip.recording.path if clip.recording else voices.speak(list(clip.parts), Path(tmp))
        facts = voices.encode(wav, folder, clip.name)
        partial = Path(tmp) / "facts.json"
        partial.write_text(json.dumps(facts))
        partial.replace(folder / f"{clip.name}.json")
    return clip.name


YOUNG_SECONDS = 24 * 3600  # a file made today may belong to another build sharing the folder


def prune(folder: Path, databases: list[Path]) -> int:
    """Delete the audio no kept release names (the live one and the one before it still may be
    read) and nothing made in the last day (another build of the same content may share it)."""
    if not folder.is_dir():
        return 0
    kept = set()
    for database in databases:
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
            if connection.execute("select 1 from sqlite_master where name = 'speech'").fetchone():
                kept |= {name for (name,) in connection.execute("select distinct audio from speech")}
    files: dict[str, list[Path]] = {}
    for path in folder.iterdir():
        if path.is_file():
            files.setdefault(path.name.split(".")[0], []).append(path)
    # a clip's files go together or not at all: its facts file (written last) must never outlive
    # its audio, or the clip would count as made with its audio gone
    young = time.time() - YOUNG_SECONDS
    gone = [path for name, paths in files.items() if name not in kept
            and all(path.stat().st_mtime < young for path in paths) for path in paths]
    for path in gone:
        path.unlink(missing_ok=True)
    return len(gone)
