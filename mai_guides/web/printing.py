"""The organizer's print builder: several guides and languages in one PDF, no JavaScript."""
from __future__ import annotations

import hashlib

from flask import current_app, g, render_template, request, send_file
from flask_babel import gettext as _

from .. import db
from ..fingerprints import Project
from ..i18n import registry
from ..pdf.documents import DEFAULT_PAPER, PAPERS, DocSpec
from ..pdf.jobs import join_documents
from .language_blueprint import localized_blueprint
from .pdfs import CACHE_SECONDS, cached_pdf, rendered

bp = localized_blueprint("printing", __name__)
FORMATS = ("sheet", "handout", "poster", "card")
MAX_DOCUMENTS = 12
# The longest query the form can make is about 600 bytes (every guide and language ticked).
# Past this, a hand-made or looping request gets the form's own 400 in the reader's language,
# well before the server's 4 KB request-line limit answers a bare 414.
MAX_QUERY_BYTES = 2048


def init_app(app) -> None:
    app.register_blueprint(bp)


def _choices(args=None) -> dict:
    """What the form offers, and what it shows ticked: the reader's last choice after an error,
    else the first guide in the page's language on Letter sheets."""
    guides = db.guides(g.lang_code)
    chosen = {"guides": [guides[0]["slug"]] if guides else [], "locales": [g.lang_code], "format": "sheet",
              "paper": DEFAULT_PAPER, "duplex": True}
    if args is not None:
        chosen = {"guides": args.getlist("guide"), "locales": args.getlist("locale"),
                  "format": args.get("format", "sheet"), "paper": args.get("paper", DEFAULT_PAPER),
                  "duplex": duplex_arg(args)}
    return {"guides": guides, "locales": list(registry()), "formats": FORMATS, "papers": list(PAPERS),
            "chosen": chosen}


def parse_job(args) -> tuple[list[DocSpec], list[str]]:
    """The documents a print request asks for, and what is wrong with it (in the reader's language)."""
    locales_known = registry()
    known_guides = {guide["slug"] for guide in db.guides(g.lang_code)}
    guides, locales = args.getlist("guide"), args.getlist("locale")
    fmt, paper = args.get("format", "sheet"), args.get("paper", DEFAULT_PAPER)
    errors = []
    if len(request.query_string) > MAX_QUERY_BYTES:
        # Translators: error in the print form when the web address of a print request is far too long
        errors.append(_("This print request is too long. Choose fewer guides and languages."))
    if not guides or any(slug not in known_guides for slug in guides):
        errors.append(_("Choose at least one guide from the list."))
    if not locales or any(code not in locales_known for code in locales):
        errors.append(_("Choose at least one language from the list."))
    if fmt not in FORMATS:
        errors.append(_("Choose a format from the list."))
    if paper not in PAPERS:
        errors.append(_("Choose Letter or A4 paper."))
    if len(set(guides)) * len(set(locales)) > MAX_DOCUMENTS:
        # Translators: %(count)d is the largest number of documents allowed (12); a document is one guide in one language
        errors.append(_("Choose at most %(count)d documents (guides × languages) in one print job.",
                        count=MAX_DOCUMENTS))
    if errors:
        return [], errors
    # The site's order (guides as listed, languages as in the language list), each once: the same
    # choices in any order or repeated make the same job, so they share one cached file.
    ordered_guides = [slug for slug in (guide["slug"] for guide in db.guides(g.lang_code)) if slug in guides]
    ordered_locales = [code for code in locales_known.codes if code in locales]
    return [DocSpec(fmt, slug, code, paper) for slug in ordered_guides for code in ordered_locales], []


def duplex_arg(args) -> bool:
    """Printed on both sides: every document then starts on the front of a new sheet."""
    return args.get("duplex") == "1"


@bp.get("/print")
def form():
    return render_template("print.html", errors=[], **_choices())


@bp.get("/print.pdf")
def job():
    specs, errors = parse_job(request.args)
    if errors:
        return render_template("print.html", errors=errors, **_choices(request.args)), 400
    duplex = duplex_arg(request.args)
    parts = [cached_pdf(spec) for spec in specs]
    # The job is a pure function of its documents' keys and the page order: cache it like them.
    key = hashlib.sha256(f"{Project.from_config(current_app.config).print_job()}|duplex={duplex}|{g.lang_code}|".encode()
                         + "|".join(key for _path, key in parts).encode()).hexdigest()[:20]
    cache = current_app.extensions["mai_pdf_cache"]
    path = cache.get_job(key)
    if path is None:
        data = rendered(join_documents, [path for path, _key in parts], duplex, g.lang_code)
        path = cache.put_job(key, data)
    response = send_file(path, mimetype="application/pdf", download_name="mai-print-job.pdf",
                         as_attachment=False, etag=key, max_age=CACHE_SECONDS, conditional=True)
    response.cache_control.public = True
    return response
