"""Flask's internationalized-blueprint pattern: the locale is the first URL segment."""
from __future__ import annotations

from flask import Blueprint, abort, g

from ..i18n import registry


def localized_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under /<lang_code>; an unknown code is a 404 in the reader's language."""
    bp = Blueprint(name, import_name, url_prefix="/<lang_code>")

    @bp.url_value_preprocessor
    def pull_lang_code(_endpoint, values):
        code = values.pop("lang_code")
        if code not in registry():
            abort(404)
        g.lang_code = code

    @bp.url_defaults
    def add_lang_code(_endpoint, values):
        """Links stay in the current language unless a view asks for another."""
        if "lang_code" not in values and g.get("lang_code"):
            values["lang_code"] = g.lang_code

    return bp
