"""The organizer's print builder: several guides and languages in one PDF, no JavaScript.

An organizer may print their own organization's name and hotline on every document of a job
(`org_name`, `hotline`, checked as MAI_HOTLINE is). They are never logged (gunicorn's and nginx's
access logs drop the query string), kept only inside the job's PDF and its parts, cached under
keys that hash them (two organizers never get each other's PDF), and marked private so no shared
cache keeps them."""
from __future__ import annotations

import hashlib

from flask import current_app, g, render_template, request, send_file
from flask_babel import gettext as _

from .. import db
from ..fingerprints import Project
from ..i18n import registry
from ..local_help import MAX_NAME, MAX_NUMBER, LocalHelp, LocalHelpError, for_job
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
              "paper": DEFAULT_PAPER, "duplex": True, "org_name": "", "hotline": ""}
    if args is not None:
        chosen = {"guides": args.getlist("guide"), "locales": args.getlist("locale"),
                  "format": args.get("format", "sheet"), "paper": args.get("paper", DEFAULT_PAPER),
                  "duplex": duplex_arg(args), "org_name": args.get("org_name", "")[:MAX_NAME * 2],
                  "hotline": args.get("hotline", "")[:MAX_NUMBER * 2]}
    return {"guides": guides, "locales": list(registry()), "formats": FORMATS, "papers": list(PAPERS),
            "chosen": chosen, "max_name": MAX_NAME, "max_number": MAX_NUMBER}


def job_help(args) -> tuple[LocalHelp | None, list[str]]:
    """The organizer's own name and hotline for this job (none when both are empty), and what is
    wrong with them, in the reader's language; the values themselves go nowhere else."""
    try:
        return for_job(args.get("org_name", ""), args.get("hotline", ""),
                       current_app.extensions["mai_phone_region"]), []
    except LocalHelpError as error:
        if error.setting == "org_name":
            # Translators: error in the print form; %(count)d is the most characters an organization's name may have (60)
            return None, [_("Shorten your organization's name to at most %(count)d characters.", count=MAX_NAME)]
        if not (args.get("hotline") or "").strip():
            # Translators: error in the print form when an organization's name is given without a phone number
            return None, [_("Add your hotline's phone number, or leave your organization's name empty.")]
        # Translators: error in the print form when the hotline number cannot be a real phone number
        return None, [_("Check the hotline number: write it as people dial it, for example (312) 555-0199 or +1 312 555 0199.")]


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
    local, help_errors = job_help(args)
    errors += help_errors
    if errors:
        return [], errors
    # The site's order (guides as listed, languages as in the language list), each once: the same
    # choices in any order or repeated make the same job, so they share one cached file.
    ordered_guides = [slug for slug in (guide["slug"] for guide in db.guides(g.lang_code)) if slug in guides]
    ordered_locales = [code for code in locales_known.codes if code in locales]
    return [DocSpec(fmt, slug, code, paper, local) for slug in ordered_guides for code in ordered_locales], []


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
    try:
        parts = [cached_pdf(spec) for spec in specs]
    except OverflowError:  # an organization's name too long for a card in some language
        # Translators: error in the print form when the organization's name and hotline do not fit a wallet card
        errors = [_("Your organization's name does not fit on a wallet card. Shorten it.")]
        return render_template("print.html", errors=errors, **_choices(request.args)), 400
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
    if specs[0].local is None:
        response.cache_control.public = True
    else:  # an organizer's own job: their browser may keep it, no shared cache or CDN
        response.cache_control.public = False
        response.cache_control.private = True
    return response
