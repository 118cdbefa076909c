"""The reader's safety: the "Staying safe" page that explains what the quick exit can and cannot do."""
from __future__ import annotations

from flask import render_template

from .language_blueprint import localized_blueprint

bp = localized_blueprint("safety", __name__)


def init_app(app) -> None:
    app.register_blueprint(bp)


@bp.get("/staying-safe")
def staying_safe():
    return render_template("staying_safe.html")
