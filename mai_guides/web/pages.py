"""The pages under /<lang>/: home, guides, news, search, about."""
from __future__ import annotations

from flask import abort, g, make_response, render_template, request

from .. import db
from .language_blueprint import localized_blueprint

bp = localized_blueprint("pages", __name__)
MAX_QUERY = 200


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["site_guides"] = site_guides
    app.jinja_env.globals["legal_directories"] = db.legal_help  # guide pages and the offline page


def site_guides() -> list[dict]:
    """This page's language's guides (slug, title, summary), for templates that link them all."""
    return db.guides(g.lang_code)


@bp.get("/")
def home():
    return render_template("home.html", guides=db.guides(g.lang_code), news=db.news_list(g.lang_code, 5))


@bp.get("/guides/<slug>")
def guide(slug: str):
    record = db.guide(g.lang_code, slug) or abort(404)
    return render_template(
        "guide.html", guide=record, sections=db.guide_sections(g.lang_code, slug),
        related=db.news_for_guide(g.lang_code, slug), cross_links=cross_links(slug),
    )


# Where one guide speaks of the other: (guide, section) -> (the other guide, its section).
CROSS_LINKS = {
    ("ice-encounters", "if-you-witness"): ("reporting-ice-activity", "observe-safely"),
    ("reporting-ice-activity", "observe-safely"): ("ice-encounters", "if-you-witness"),
    ("reporting-ice-activity", "protect-people"): ("ice-encounters", "basics"),
}


def cross_links(slug: str) -> dict[str, dict]:
    """anchor -> {slug, anchor, title} of the other guide, in this page's language."""
    titles = {guide["slug"]: guide["title"] for guide in db.guides(g.lang_code)}
    return {anchor: {"slug": other, "anchor": other_anchor, "title": titles[other]}
            for (here, anchor), (other, other_anchor) in CROSS_LINKS.items()
            if here == slug and other in titles}


@bp.get("/news/")
def news_index():
    return render_template("news_list.html", posts=db.news_list(g.lang_code))


@bp.get("/news/<slug>")
def news_post(slug: str):
    record = db.news_post(g.lang_code, slug) or abort(404)
    return render_template("news_post.html", post=record, related=db.guides_for_news(g.lang_code, slug))


@bp.get("/search")
def search():
    query = request.args.get("q", "", type=str).strip()
    results, status = [], 200
    try:
        if len(query) > MAX_QUERY:
            raise db.QueryTooBroad("too long")
        results = db.search(g.lang_code, query) if query else []
    except db.QueryTooBroad:
        status = 400  # the form comes back with the reader's words and a plain request to shorten them
    response = make_response(render_template("search.html", query=query[:MAX_QUERY], results=results,
                                             too_broad=status == 400), status)
    # Search words can say a lot about a reader: no shared cache may keep them.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/about")
def about():
    return render_template("about.html")


@bp.get("/unavailable")
def unavailable():
    """What the nginx front answers, with 503, for a page that needs the app while it is down
    (search, print jobs); kept by the build like every page (builder/site.py)."""
    return render_template("front_unavailable.html")
