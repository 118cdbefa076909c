"""The family preparedness plan: a page filled in on the phone, and the plan printed to fill in by hand.

What a reader types on the page stays on the phone: its inputs have no `name` and sit in no form,
so nothing can be submitted; static/plan.js builds the print view and the emergency message there,
and stores nothing unless the reader presses "Keep on this phone" (one button deletes it)."""
from __future__ import annotations

from flask import current_app, g, render_template

from .. import db
from ..local_help import number_rules
from ..pdf.documents import DocSpec
from ..plan import LOCATOR_URL, PHRASES_FROM, PLAN_SLUG, sections
from .language_blueprint import localized_blueprint
from .pdfs import paper_arg, serve

bp = localized_blueprint("plan", __name__)


def init_app(app) -> None:
    app.register_blueprint(bp)


@bp.get("/plan")
def page():
    card = db.card(g.lang_code, PHRASES_FROM)
    return render_template("plan.html", sections=sections(), phrases=card["back"] if card else [],
                           locator=LOCATOR_URL, rules=number_rules(current_app.extensions["mai_phone_region"]))


@bp.get("/plan.pdf")
def printable():
    """The plan to print and fill in by hand (?paper=letter|a4), rendered once and cached."""
    return serve(DocSpec("plan", PLAN_SLUG, g.lang_code, paper_arg()))
