"""The organizer's print builder: several guides and languages in one PDF, no JavaScript."""
from __future__ import annotations

import hashlib
import io

from flask import Response, g, render_template, request
from flask_babel import gettext as _
from pypdf import PdfWriter

from .. import db
from ..documents import DEFAULT_PAPER, PAPERS, DocSpec
from ..i18n import registry
from .language_blueprint import localized_blueprint
from .pdfs import CACHE_SECONDS, cached_pdf

bp = localized_blueprint("printing", __name__)
FORMATS = ("sheet", "handout", "poster", "card")
MAX_DOCUMENTS = 12


def init_app(app) -> None:
    app.register_blueprint(bp)


def _choices(args=None) -> dict:
    """What the form offers, and what it shows ticked: the reader's last choice after an error,
    else the first guide in the page's language on Letter sheets."""
    guides = db.guides(g.lang_code)
    chosen = {"guides": [guides[0]["slug"]] if guides else [], "locales": [g.lang_code], "format": "sheet",
              "paper": DEFAULT_PAPER}
    if args is not None:
        chosen = {"guides": args.getlist("guide"), "locales": args.getlist("locale"),
                  "format": args.get("format", "sheet"), "paper": args.get("paper", DEFAULT_PAPER)}
    return {"guides": guides, "locales": list(registry()), "formats": FORMATS, "papers": list(PAPERS),
            "chosen": chosen}


def parse_job(args) -> tuple[list[DocSpec], list[str]]:
    """The documents a print request asks for, and what is wrong with it (in the reader's language)."""
    locales_known = registry()
    known_guides = {guide["slug"] for guide in db.guides(g.lang_code)}
    guides, locales = args.getlist("guide"), args.getlist("locale")
    fmt, paper = args.get("format", "sheet"), args.get("paper", DEFAULT_PAPER)
    errors = []
    if not guides or any(slug not in known_guides for slug in guides):
        errors.append(_("Choose at least one guide from the list."))
    if not locales or any(code not in locales_known for code in locales):
        errors.append(_("Choose at least one language from the list."))
    if fmt not in FORMATS:
        errors.append(_("Choose a format from the list."))
    if paper not in PAPERS:
        errors.append(_("Choose Letter or A4 paper."))
    if len(set(guides)) * len(set(locales)) > MAX_DOCUMENTS:
        errors.append(_("Choose at most %(count)d documents (guides × languages) in one print job.",
                        count=MAX_DOCUMENTS))
    if errors:
        return [], errors
    unique = lambda items: list(dict.fromkeys(items))  # noqa: E731  keep the reader's order
    return [DocSpec(fmt, slug, code, paper) for slug in unique(guides) for code in unique(locales)], []


@bp.get("/print")
def form():
    return render_template("print.html", errors=[], **_choices())


@bp.get("/print.pdf")
def job():
    specs, errors = parse_job(request.args)
    if errors:
        return render_template("print.html", errors=errors, **_choices(request.args)), 400
    writer = PdfWriter()
    for spec in specs:
        path, version = cached_pdf(spec)
        writer.append(str(path))
    buffer = io.BytesIO()
    writer.write(buffer)
    response = Response(buffer.getvalue(), mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'inline; filename="mai-print-job.pdf"'
    response.set_etag(hashlib.sha256(f"{version}?{request.query_string!r}".encode()).hexdigest()[:20])
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    return response.make_conditional(request)
