"""PDF downloads: cached files served with ETags; uncached ones rendered a few at a time."""
from __future__ import annotations

from threading import BoundedSemaphore

from flask import abort, current_app, g, render_template, request, send_file

from .. import db
from ..pdf.cache import PdfCache
from ..pdf.documents import (
    DEFAULT_PAPER,
    PAPERS,
    DocSpec,
    card_line,
    document_key,
    english_date,
    latin_runs,
    render_spec,
)
from .kept_files import etag
from .language_blueprint import localized_blueprint
from .single_flight import single_flight

bp = localized_blueprint("pdfs", __name__)
CACHE_SECONDS = 24 * 3600


class Busy(Exception):
    """Every render slot is taken; the client should retry shortly."""


def init_app(app) -> None:
    app.extensions["mai_pdf_slots"] = BoundedSemaphore(int(app.config["MAI_PDF_RENDER_SLOTS"]))
    app.extensions["mai_pdf_cache"] = PdfCache.from_config(app.config)
    app.add_template_filter(latin_runs)  # PDF templates: Latin words inside Urdu text
    app.add_template_filter(card_line)  # a card's or poster's line, its quoted English marked
    app.add_template_filter(english_date)  # the officer side's date, in English in every language
    app.register_blueprint(bp)

    @app.errorhandler(Busy)
    def busy(_error):
        """Past the render cap: a page in the reader's language asking to try again shortly."""
        response = current_app.make_response((render_template("busy.html"), 503))
        response.headers["Retry-After"] = "5"
        return response


def paper_arg() -> str:
    """?paper=letter|a4 (default letter); anything else is a 400."""
    paper = request.args.get("paper", DEFAULT_PAPER)
    if paper not in PAPERS:
        abort(400, description=f"paper must be one of {', '.join(PAPERS)}")
    return paper


def cached_pdf(spec: DocSpec):
    """The cached file for spec and its key, rendering it first if needed (within the render cap)."""
    cache: PdfCache = current_app.extensions["mai_pdf_cache"]
    key = document_key(spec)
    path = cache.get(key, spec)
    if path is None:
        # single flight: readers asking at once for the same missing file wait for one render
        with single_flight(cache.path(key, spec)):
            path = cache.get(key, spec) or cache.put(key, spec, rendered(render_spec, spec))
    return path, key


def rendered(render, *args) -> bytes:
    """Run one render within this worker's cap; past it, Busy (a 503 with Retry-After)."""
    slots: BoundedSemaphore = current_app.extensions["mai_pdf_slots"]
    if not slots.acquire(blocking=False):
        raise Busy()
    try:
        return render(*args)
    finally:
        slots.release()


def serve(spec: DocSpec):
    if db.guide(spec.locale, spec.source) is None or db.card(spec.locale, spec.source) is None:
        abort(404)
    path, _key = cached_pdf(spec)
    return pdf_response(path, spec.filename)


def pdf_response(path, filename: str):
    """A cached PDF with the headers the nginx front sends for a kept one (site_files.headers):
    its ETag from size and time, a day's caching, its name for saving."""
    stat = path.stat()
    response = send_file(path, mimetype="application/pdf", download_name=filename,
                         etag=etag(stat.st_size, stat.st_mtime).strip('"'), conditional=True)
    response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response.headers.pop("Expires", None)
    return response


@bp.get("/cards/<name>.pdf")
def card(name: str):
    """One wallet card (<slug>.pdf) or a 10-up sheet (<slug>-sheet.pdf?paper=)."""
    if name.endswith("-sheet"):
        return serve(DocSpec("sheet", name.removesuffix("-sheet"), g.lang_code, paper_arg()))
    return serve(DocSpec("card", name, g.lang_code))


@bp.get("/guides/<slug>.pdf")
def handout(slug: str):
    return serve(DocSpec("handout", slug, g.lang_code, paper_arg()))


@bp.get("/posters/<slug>.pdf")
def poster(slug: str):
    return serve(DocSpec("poster", slug, g.lang_code, paper_arg()))
