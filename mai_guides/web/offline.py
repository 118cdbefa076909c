"""Reading offline: a web app manifest, a small service worker at the site root, and the list of
what it keeps for each language. Reading never depends on the worker: every page works without it."""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, request, send_from_directory, url_for

from .. import db
from ..i18n import registry
from .language_blueprint import localized_blueprint

root_bp = Blueprint("offline", __name__)
bp = localized_blueprint("offline_lists", __name__)


def init_app(app) -> None:
    app.register_blueprint(root_bp)
    app.register_blueprint(bp)


@root_bp.get("/sw.js")
def service_worker():
    """Served from the root so its scope is the whole site; never cached long, so a new build's
    worker (and its new cache name) is picked up at the next online visit."""
    response = send_from_directory(current_app.static_folder, "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@root_bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says: answer with the icon, not a 404."""
    return send_from_directory(current_app.static_folder, "icon.svg", mimetype="image/svg+xml", max_age=86400)


@root_bp.get("/manifest.webmanifest")
def manifest():
    code = request.args.get("lang", "en")
    code = code if code in registry() else "en"
    response = jsonify({
        "name": "MAI Guides", "short_name": "MAI Guides", "lang": code, "dir": registry()[code].dir,
        "start_url": url_for("pages.home", lang_code=code), "scope": "/", "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#b3261e",
        "icons": [{"src": url_for("static", filename="icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    })
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/offline.json")
def offline_list():
    """What the worker keeps for this language: `core` after one visit, `all` when the reader asks."""
    guides = [guide["slug"] for guide in db.guides(g.lang_code)]
    core = [url_for("pages.home"), url_for("pages.news_index"), url_for("static", filename="style.css"),
            url_for("root.fonts_css"), url_for("static", filename="quick-exit.js"),
            url_for("static", filename="offline.js"), url_for("safety.staying_safe"),
            *(url_for("pages.guide", slug=slug) for slug in guides),
            *(url_for("pdfs.card", name=slug) for slug in guides)]
    more = [*(url_for("pdfs.handout", slug=slug) for slug in guides),
            *(url_for("pdfs.card", name=f"{slug}-sheet") for slug in guides),
            *(url_for("pages.news_post", slug=post["slug"]) for post in db.news_list(g.lang_code)),
            url_for("pages.about")]
    response = jsonify({"version": db.content_version(), "core": core, "all": core + more})
    response.headers["Cache-Control"] = "no-cache"
    return response
