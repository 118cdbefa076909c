"""Error pages: every 4xx/5xx in the reader's language, never a stack trace."""
from __future__ import annotations

import sqlite3

from flask import Flask, current_app, g, render_template, request

from ..i18n import negotiated_locale, registry
from . import api
from .single_flight import StillRendering


def init_app(app: Flask) -> None:
    app.register_error_handler(404, not_found)
    app.register_error_handler(400, bad_request)
    app.register_error_handler(405, not_allowed)
    app.register_error_handler(sqlite3.OperationalError, not_built)
    app.register_error_handler(StillRendering, still_rendering)


def not_found(_error):
    if api.is_api():
        return api.problem(404, "Not Found")
    _ensure_locale()
    return render_template("404.html"), 404


def not_allowed(error):
    """The API is read-only: anything but GET, HEAD (and a CORS preflight) is a 405, in JSON there."""
    if api.is_api():
        response = api.answer({"type": "about:blank", "title": "Method Not Allowed", "status": 405},
                              api.PROBLEM_TYPE)
        response.status_code = 405
        response.headers["Allow"] = ", ".join(error.valid_methods or ("GET", "HEAD", "OPTIONS"))
        return response
    return error


def bad_request(error):
    _ensure_locale()
    return render_template("400.html", message=error.description), 400


def not_built(_error):
    current_app.logger.exception("database unavailable")
    _ensure_locale()
    return render_template("unavailable.html"), 503


def still_rendering(_error):
    """Another reader's render of this PDF is under way and this worker has no thread to spare for
    waiting (or it took too long): ask to come back, in the reader's language; by then it is cached."""
    _ensure_locale()
    response = current_app.make_response((render_template("unavailable.html"), 503))
    response.headers["Retry-After"] = "5"
    return response


def _ensure_locale() -> None:
    """Answer in the language of the address when its first segment names one (/ar/no-such-page
    is an Arabic 404), else in the reader's negotiated language."""
    if g.get("lang_code") in registry():
        return
    first = request.path.lstrip("/").split("/", 1)[0]
    g.lang_code = first if first in registry() else negotiated_locale()
