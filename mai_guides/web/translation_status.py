"""/translate/: coverage, stale entries and review status per locale and guide."""
from __future__ import annotations

from flask import Blueprint, current_app, g, render_template

from .. import db
from ..i18n import negotiated_locale

bp = Blueprint("status", __name__)


def init_app(app) -> None:
    app.register_blueprint(bp)


@bp.get("/translate/")
def translate():
    """In the reader's language (from Accept-Language), like the root redirect."""
    g.lang_code = negotiated_locale()
    response = current_app.make_response(render_template(
        "translate.html", locales=db.locale_rows(), status=db.translation_status(), guides=db.guides(g.lang_code)))
    response.vary.add("Accept-Language")
    return response
