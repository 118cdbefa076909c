"""The routes outside /<lang>/: the language redirect and the health check; helpers every page uses."""
from __future__ import annotations

import datetime as dt
import sqlite3
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, g, redirect, render_template, request, url_for
from flask_babel import format_date
from markupsafe import Markup

from .. import db, fonts
from ..i18n import negotiated_locale, registry, use_locale

bp = Blueprint("root", __name__)
PAGE_CACHE_SECONDS = 300
# What a page is: HTML, and the API's JSON and the news feeds, all pure functions of the build and URL.
PAGE_TYPES = ("text/html", "application/json", "application/atom+xml")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(alternates=alternates, switch_url=switch_url, content_version=page_version,
                                 format_date=format_date, parse_date=dt.date.fromisoformat)


@bp.get("/")
def language_redirect():
    """Send readers to their language; the answer depends on Accept-Language."""
    response = redirect(url_for("pages.home", lang_code=negotiated_locale()), code=302)
    response.headers["Vary"] = "Accept-Language"
    return response


@bp.get("/fonts.css")
def fonts_css():
    """Each language's font stack, written from the same table as the PDFs' (mai_guides/fonts.py)."""
    response = current_app.response_class(fonts.web_font_css(tuple(registry().codes)), mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 24 * 3600
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/address-too-long")
def address_too_long():
    """What gunicorn's worker answers for a request line too long to read (gunicorn_worker.py):
    the address, and with it the reader's language, is unknown, so the page says it in every
    language, each part in its own lang and dir. English, the page's frame, comes first."""
    g.lang_code = "en"
    parts = []
    for info in registry():
        with use_locale(info.code):
            parts.append(Markup(render_template("_address_too_long_part.html", heading="h1" if not parts else "h2")))
    return render_template("address_too_long.html", parts=Markup("\n").join(parts)), 400


@bp.get("/healthz")
def healthz():
    """Whether a build is served, and which: never kept by any cache."""
    try:
        answer = {"status": "ok", "content_version": db.content_version()}, 200
    except sqlite3.Error:
        answer = {"status": "not built"}, 503
    return *answer, {"Cache-Control": "no-store"}


def page_version() -> str:
    """The content version a page shows (offline.js tells the worker, which saves it once);
    empty where there is no built database (the error pages of an unbuilt site)."""
    try:
        return db.content_version()
    except sqlite3.Error:
        return ""


def cacheable_pages(response):
    """Pages change only with a build: let browsers and CDNs revalidate with an ETag. A view that
    says otherwise (search: no-store; the health check) has set its own Cache-Control."""
    if request.method in ("GET", "HEAD") and response.status_code == 200 \
            and response.mimetype in PAGE_TYPES and "Cache-Control" not in response.headers:
        response.cache_control.public = True
        response.cache_control.max_age = PAGE_CACHE_SECONDS
        response.add_etag()
        response.make_conditional(request)
    return response


def relative_location(response):
    """No redirect takes its host from the request: Werkzeug's own redirects (a missing trailing
    slash) are absolute URLs built from the Host header, which anyone can forge (cache poisoning,
    a link to another site). Keep the path and query only; a path that starts with several slashes
    would read as another host ("//evil.example/"), so it gets exactly one."""
    location = response.headers.get("Location")
    if location:
        parts = urlsplit(location)
        if parts.netloc or parts.scheme or location.startswith("//"):
            if parts.netloc and parts.netloc != request.host:
                return response  # a redirect the app chose to another site (none today): left alone
            response.headers["Location"] = "/" + parts.path.lstrip("/") + (f"?{parts.query}" if parts.query else "")
    return response


def alternates() -> list[dict]:
    """This page in every shipped language, for the switcher and hreflang links."""
    return [{"code": info.code, "name": info.name, "dir": info.dir, "url": switch_url(info.code)}
            for info in registry()]


def switch_url(code: str) -> str:
    """The current page in another language; that language's home when the page has none."""
    if request.endpoint and request.endpoint.startswith(("pages.", "printing.form", "safety.", "plan.page")) \
            and request.view_args is not None:
        # on the search page the reader's words come along (they may be a name or an address)
        keep = {"q": request.args["q"]} if request.endpoint == "pages.search" and request.args.get("q") else {}
        return url_for(request.endpoint, **{**request.view_args, "lang_code": code, **keep})
    return url_for("pages.home", lang_code=code)
