"""/translate/<locale>: one language's legal-terms glossary, where its translators look (the
approved rendering of each key legal term, as the build enforces it), in that language."""
from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, abort, g, make_response, render_template

from .. import db
from ..glossary_tbx import glossary_tbx
from ..i18n import registry
from ..registry import SOURCE_LOCALE

bp = Blueprint("translate_glossary", __name__)


def init_app(app) -> None:
    app.register_blueprint(bp)


@bp.get("/translate/<code>")
def locale_glossary(code: str):
    """The page speaks the language it is about: its translators read it."""
    if code == SOURCE_LOCALE or code not in registry():
        abort(404)
    g.lang_code = code
    return render_template("translate_locale.html", info=registry()[code], terms=db.glossary(code))


@bp.get("/translate/<code>.tbx")
def locale_glossary_tbx(code: str):
    """The same glossary as TBX, to upload into Weblate's or Crowdin's glossary."""
    if code == SOURCE_LOCALE or code not in registry():
        abort(404)
    terms = [SimpleNamespace(key=row["term"], words=row["english"].split(" / "),
                             shown={code: row["approved"].split(" / ")} if row["approved"] else {})
             for row in db.glossary(code)]
    response = make_response(glossary_tbx(terms, [code]))
    response.mimetype = "application/x-tbx+xml"
    response.headers["Content-Disposition"] = f'attachment; filename="mai-glossary-{code}.tbx"'
    return response
