"""Error pages: every 4xx/5xx in the reader's language, never a stack trace."""
from __future__ import annotations

import sqlite3

from flask import Flask, current_app, g, render_template

from ..i18n import negotiated_locale, registry


def init_app(app: Flask) -> None:
    app.register_error_handler(404, not_found)
    app.register_error_handler(400, bad_request)
    app.register_error_handler(sqlite3.OperationalError, not_built)


def not_found(_error):
    _ensure_locale()
    return render_template("404.html"), 404


def bad_request(error):
    _ensure_locale()
    return render_template("400.html", message=error.description), 400


def not_built(_error):
    current_app.logger.exception("database unavailable")
    _ensure_locale()
    return render_template("unavailable.html"), 503


def _ensure_locale() -> None:
    """Outside a known /<lang>/ prefix, answer in the reader's negotiated language."""
    if g.get("lang_code") not in registry():
        g.lang_code = negotiated_locale()
