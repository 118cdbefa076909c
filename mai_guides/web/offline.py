"""Reading offline: a web app manifest, a small service worker at the site root, and the list of
what it keeps for each language. Reading never depends on the worker: every page works without it."""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _

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


def saveable() -> list[dict]:
    """What the worker can keep for this page's language, in the reader's words: `core` after one
    visit (the guides, their wallet cards, what the site needs to draw them, the offline page),
    the rest when the reader asks ("Save for offline": every document a guide page links)."""
    guides = db.guides(g.lang_code)
    static = [url_for("static", filename=name)
              for name in ("style.css", "quick-exit.js", "offline.js", "share.js", "tools.css", "speak.js",
                                                         "plan.css", "plan.js")]
    core = [*({"url": url, "name": ""} for url in [*static, url_for("root.fonts_css")]),
            {"url": url_for("pages.home"), "name": _("Guides")},
            *({"url": url_for("pages.guide", slug=guide["slug"]), "name": guide["title"]} for guide in guides),
            *({"url": url_for("pdfs.card", name=guide["slug"]), "name": named(guide["title"], _("Wallet card (PDF)"))}
              for guide in guides),
            *({"url": url_for("speech.speak", slug=guide["slug"]), "name": named(guide["title"], _("Speak for me"))}
              for guide in guides),
            # what a reader behind a door needs most, offline after one visit: the card's officer side, aloud
            *(item for guide in guides for item in guide_audio(guide, ("officer",))),
            {"url": url_for("pages.news_index"), "name": _("News")},
            {"url": url_for("safety.staying_safe"), "name": _("Staying safe on this site")},
            {"url": url_for("plan.page"), "name": _("Family preparedness plan")},
            {"url": url_for("offline_lists.offline_page"), "name": ""}]
    more = [*(document for guide in guides for document in guide_documents(guide)),
            *(item for guide in guides for item in guide_audio(guide, ("say", "first-steps"))),
            *({"url": url_for("pages.news_post", slug=post["slug"]), "name": post["title"]}
              for post in db.news_list(g.lang_code)),
            {"url": url_for("plan.printable"), "name": _("Plan to fill in by hand (PDF, Letter)")},
            {"url": url_for("plan.printable", paper="a4"), "name": _("Plan to fill in by hand (PDF, A4)")},
            {"url": url_for("pages.about"), "name": _("About")}]
    return [{**item, "core": True} for item in core] + [{**item, "core": False} for item in more]


def guide_documents(guide: dict) -> list[dict]:
    """Every PDF a guide page links besides the single card, named as the page names them."""
    slug, title = guide["slug"], guide["title"]
    documents = [
        (url_for("pdfs.card", name=f"{slug}-sheet"), _("10 cards per page (PDF, Letter)")),
        (url_for("pdfs.card", name=f"{slug}-sheet", paper="a4"), _("10 cards per page (PDF, A4)")),
        (url_for("pdfs.handout", slug=slug), _("Handout (PDF, Letter)")),
        (url_for("pdfs.handout", slug=slug, paper="a4"), _("Handout (PDF, A4)")),
        (url_for("pdfs.poster", slug=slug), _("Door poster (PDF, Letter)")),
        (url_for("pdfs.poster", slug=slug, paper="a4"), _("Door poster (PDF, A4)")),
    ]
    return [{"url": url, "name": named(title, name)} for url, name in documents]


def guide_audio(guide: dict, kinds: tuple[str, ...]) -> list[dict]:
    """A guide's spoken phrases of these kinds (Opus: the worker asks for MP3 instead where the
    browser cannot play Opus), named as the page that plays them."""
    urls = dict.fromkeys(url_for("audio.audio", name=row["audio"], ext="opus")
                         for row in db.speech(g.lang_code, guide["slug"]) if row["kind"] in kinds)
    return [{"url": url, "name": named(guide["title"], _("Speak for me")), "audio": True} for url in urls]


def named(title: str, document: str) -> str:
    """A guide's document as a list names it; a middle dot reads the same in every script."""
    return f"{title} · {document}"


@bp.get("/offline.json")
def offline_list():
    """What the worker keeps for this language: `core` after one visit, `all` when the reader asks."""
    items = saveable()
    response = jsonify({"version": db.content_version(), "offline_page": url_for("offline_lists.offline_page"),
                        "core": [item["url"] for item in items if item["core"]],
                        "all": [item["url"] for item in items],
                        "names": {item["url"]: item["name"] for item in items if item["name"]}})
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def offline_page():
    """The page the worker shows, with no connection, for any address of the site it has not
    saved: the site is still there, here is what this phone holds, try again."""
    pages = [item for item in saveable() if item["name"] and not item.get("audio")]
    return render_template("offline.html", pages=pages)
