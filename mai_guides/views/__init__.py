"""HTTP views: the localized pages blueprint and the few routes outside it."""
from __future__ import annotations

import datetime as dt
import sqlite3

from flask import Flask, current_app, g, redirect, render_template, request, url_for
from flask_babel import format_date

from .. import db
from . import pages, pdfs, printing, status

PAGE_CACHE_SECONDS = 300


def init_app(app: Flask) -> None:
    app.register_blueprint(pages.bp)
    pdfs.init_app(app)
    printing.init_app(app)
    status.init_app(app)
    app.jinja_env.globals.update(alternates=alternates, switch_url=switch_url,
                                 format_date=format_date, parse_date=dt.date.fromisoformat)

    @app.get("/")
    def root():
        """Send readers to their language; the answer depends on Accept-Language."""
        code = app.extensions["mai_registry"].negotiate(request.accept_languages)
        response = redirect(url_for("pages.home", lang_code=code), code=302)
        response.headers["Vary"] = "Accept-Language"
        return response

    @app.after_request
    def cacheable_pages(response):
        """Pages change only with a build: let browsers and CDNs revalidate with an ETag."""
        if request.method in ("GET", "HEAD") and response.status_code == 200 \
                and response.mimetype == "text/html" and "Cache-Control" not in response.headers:
            response.cache_control.public = True
            response.cache_control.max_age = PAGE_CACHE_SECONDS
            response.add_etag()
            response.make_conditional(request)
        return response

    @app.get("/healthz")
    def healthz():
        try:
            return {"status": "ok", "content_version": db.content_version()}
        except sqlite3.Error:
            return {"status": "not built"}, 503

    @app.errorhandler(404)
    def not_found(_error):
        _ensure_locale(app)
        return render_template("404.html"), 404

    @app.errorhandler(400)
    def bad_request(error):
        _ensure_locale(app)
        return render_template("400.html", message=error.description), 400

    @app.errorhandler(sqlite3.OperationalError)
    def not_built(_error):
        app.logger.exception("database unavailable")
        _ensure_locale(app)
        return render_template("unavailable.html"), 503


def _ensure_locale(app: Flask) -> None:
    """Outside a known /<lang>/ prefix, answer in the reader's negotiated language."""
    if g.get("lang_code") not in app.extensions["mai_registry"]:
        g.lang_code = app.extensions["mai_registry"].negotiate(request.accept_languages)


def alternates() -> list[dict]:
    """This page in every shipped language, for the switcher and hreflang links."""
    registry = current_app.extensions["mai_registry"]
    return [{"code": info.code, "name": info.name, "dir": info.dir, "url": switch_url(info.code)}
            for info in registry]


def switch_url(code: str) -> str:
    """The current page in another language; that language's home when the page has none."""
    if request.endpoint and request.endpoint.startswith(("pages.", "printing.form")) \
            and request.view_args is not None:
        return url_for(request.endpoint, **{**request.view_args, "lang_code": code})
    return url_for("pages.home", lang_code=code)
