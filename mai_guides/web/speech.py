"""Speak for me: a guide's English phrases played aloud (the card's officer side, every "Say:"
line) and its first steps in the reader's language, and the audio files themselves, made by the
build and named by a hash of what they say (so each address is kept for good)."""
from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, g, render_template, send_from_directory

from .. import db
from .language_blueprint import localized_blueprint

root_bp = Blueprint("audio", __name__)
bp = localized_blueprint("speech", __name__)
AUDIO_NAME = re.compile(r"^[0-9a-f]{16}$")
TYPES = {"opus": "audio/ogg", "mp3": "audio/mpeg"}
YEAR = 365 * 24 * 3600


def init_app(app) -> None:
    app.register_blueprint(root_bp)
    app.register_blueprint(bp)


@root_bp.get("/audio/<name>.<ext>")
def audio(name: str, ext: str):
    """A spoken phrase: its name is the hash of what it says, so it never changes (immutable)."""
    if not AUDIO_NAME.match(name) or ext not in TYPES:
        abort(404)
    response = send_from_directory(current_app.config["MAI_AUDIO_CACHE"], f"{name}.{ext}", mimetype=TYPES[ext],
                                   max_age=YEAR, conditional=True)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


@bp.get("/speak/<slug>")
def speak(slug: str):
    guide = db.guide(g.lang_code, slug) or abort(404)
    rows = db.speech(g.lang_code, slug)
    return render_template("speak.html", guide=guide,
                           first_steps=next((r for r in rows if r["kind"] == "first-steps"), None),
                           officer=[r for r in rows if r["kind"] == "officer"],
                           say=[r for r in rows if r["kind"] == "say"])
