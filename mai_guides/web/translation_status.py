"""/translate/: coverage, stale entries and review status per locale, per catalog file and per
guide, card and news post."""
from __future__ import annotations

from flask import Blueprint, current_app, g, render_template

from .. import db
from ..i18n import negotiated_locale

bp = Blueprint("status", __name__)


def init_app(app) -> None:
    app.register_blueprint(bp)


def documents(scopes, lang: str) -> list[dict]:
    """Every guide, card and news post the status counts ("guide:<slug>", ...), titled in the
    reader's language, in the order the build wrote them."""
    titles = {**{f"guide:{row['slug']}": row["title"] for row in db.guides(lang)},
              **{f"news:{row['slug']}": row["title"] for row in db.news_list(lang)}}
    result = []
    for scope in scopes:
        kind, _, slug = scope.partition(":")
        if kind not in ("guide", "card", "news"):
            continue
        title = titles.get(scope)
        if kind == "card":
            card = db.card(lang, slug)
            title = card["title"] if card else None
        result.append({"scope": scope, "kind": kind, "title": title or slug})
    return result


@bp.get("/translate/")
def translate():
    """In the reader's language (from Accept-Language), like the root redirect."""
    g.lang_code = negotiated_locale()
    status = db.translation_status()
    scopes = next(iter(status.values()), {})
    response = current_app.make_response(render_template(
        "translate.html", locales=db.locale_rows(), status=status, documents=documents(scopes, g.lang_code)))
    response.vary.add("Accept-Language")
    return response
