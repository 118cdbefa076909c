"""The printable documents: what each one is, its HTML, and its PDF bytes.

Shared by the web views (on demand) and the build (pre-rendering); needs an app context
for the database and the templates, but no request.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import segno
from babel.dates import format_date
from flask import current_app, render_template
from markupsafe import Markup, escape

from .. import db, fonts
from ..fingerprints import Project
from ..i18n import use_locale
from ..local_help import LocalHelp, deployment_help, help_fingerprint
from ..plan import PHRASES_FROM, PLAN_SLUG
from ..plan import sections as plan_sections
from ..registry import SOURCE_LOCALE, language_script
from .render import render_fitting, render_pdf

PT_PER_IN, PT_PER_MM = 72.0, 72.0 / 25.4


@dataclass(frozen=True)
class Paper:
    name: str
    width: float  # points
    height: float
    card_width: float  # the card size of 10-up business-card stock on this paper
    card_height: float

    @property
    def margin_x(self) -> float:
        return (self.width - 2 * self.card_width) / 2

    @property
    def margin_y(self) -> float:
        return (self.height - 5 * self.card_height) / 2


PAPERS = {
    "letter": Paper("letter", 8.5 * PT_PER_IN, 11 * PT_PER_IN, 3.5 * PT_PER_IN, 2 * PT_PER_IN),
    "a4": Paper("a4", 210 * PT_PER_MM, 297 * PT_PER_MM, 85 * PT_PER_MM, 55 * PT_PER_MM),
}
DEFAULT_PAPER = "letter"
STANDARD_KINDS = ("card", "sheet", "handout")  # pre-rendered by the build
# Text scales to try, largest first, until a card or poster fits its pages: short
# translations get large type, long ones shrink rather than clip.
# Print-shop rules for cards: no ink within 9 pt (1/8 in) of the trim edge, where a cut may
# stray; no text smaller than 6.5 pt, the least a reader can make out on a wallet card.
CARD_SAFE_MARGIN, CARD_MIN_TEXT = 9.0, 6.5
SCALES = (1.4, 1.3, 1.2, 1.1, 1.0, 0.93, 0.86, 0.8, 0.74, 0.68, 0.62)
# The officer side's scales (of 8 pt): it never shrinks below the 7.6 pt it had before it filled its card.
BACK_SCALES = (1.5, 1.45, 1.4, 1.35, 1.3, 1.25, 1.2, 1.15, 1.1, 1.05, 1.0, 0.95)


@dataclass(frozen=True)
class DocSpec:
    """One printable document: a kind of a guide, in a locale, on a paper."""

    kind: str
    slug: str
    locale: str
    paper: str = DEFAULT_PAPER
    # An organizer's own name and hotline for one print job (else the deployment's, if any).
    # Not in repr: a job's fields never reach a log or an error message.
    local: LocalHelp | None = field(default=None, repr=False)

    @property
    def source(self) -> str:
        """The guide (and card) whose records the document prints: the plan's "What to say" and
        checked date are the know-your-rights guide's."""
        return PHRASES_FROM if self.kind == "plan" else self.slug

    @property
    def filename(self) -> str:
        if self.kind == "plan":
            return f"mai-{PLAN_SLUG}-{self.locale}-{self.paper}.pdf"
        # The standard card keeps its short name; a card cut for A4 stock is another size,
        # so it is another file (it once shared the name and was served as the standard card).
        standard_card = self.kind == "card" and self.paper == DEFAULT_PAPER
        paper = "" if standard_card else f"-{self.paper}"
        return f"mai-{self.slug}-{self.kind}-{self.locale}{paper}.pdf"

    @property
    def url_path(self) -> str:
        """Where the site serves it (the paper aside, which is ?paper=)."""
        folder, name = URL_FOLDERS[self.kind]
        return f"/{self.locale}/{folder}/{name.format(slug=self.slug)}.pdf"

    @classmethod
    def from_url_path(cls, path: str, paper: str = DEFAULT_PAPER) -> "DocSpec | None":
        """The document a site path names (`/es/cards/x-sheet.pdf` -> the sheet of x), or None."""
        parts = path.strip("/").removesuffix(".pdf").split("/")
        if len(parts) != 3 or not path.endswith(".pdf"):
            return None
        locale, folder, name = parts
        for kind, (kind_folder, pattern) in URL_FOLDERS.items():
            suffix = pattern.format(slug="")
            if folder == kind_folder and name.endswith(suffix) and (suffix or not name.endswith("-sheet")):
                return cls(kind, name.removesuffix(suffix) if suffix else name, locale, paper)
        return None


# kind -> (folder, file name) in the site's addresses
URL_FOLDERS = {"card": ("cards", "{slug}"), "sheet": ("cards", "{slug}-sheet"),
               "handout": ("guides", "{slug}"), "poster": ("posters", "{slug}")}


# A run of Latin words inside other text, with the spaces around it (see latin_runs).
LATIN_RUN = re.compile(r" ?[A-Za-z\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F'’.\-]*(?: [A-Za-z0-9\u00C0-\u024F'’.\-]+)* ?")


def latin_runs(text: str, locale: str) -> Markup:
    """Text, escaped, with its Latin runs in <span class="latin"> for languages whose face has
    no Latin letters (Urdu's Nastaliq): drawn in Noto Sans with Noto Sans spaces around them,
    "ICE" no longer runs into the Urdu word beside it (Nastaliq's space is very narrow)."""
    if language_script(locale)[0] not in fonts.LATIN_INSIDE:
        return escape(text)
    parts, last = [], 0
    for match in LATIN_RUN.finditer(text):
        parts += [escape(text[last:match.start()]), Markup('<span class="latin">%s</span>') % match.group()]
        last = match.end()
    return Markup("").join([*parts, escape(text[last:])])


def card_line(line: dict, locale) -> Markup:
    """One front line of a card or poster ({text, english}), its quoted English phrases in
    <span lang="en" dir="ltr"> (read in English by screen readers; /Lang in the tagged PDF) and,
    in right-to-left text, isolated in <bdi> as the handouts' are."""
    text, english = line["text"], line.get("english") or []
    if not english:
        return latin_runs(text, locale.code)
    split = re.compile("(" + "|".join(re.escape(phrase) for phrase in english) + ")")
    parts = []
    for i, part in enumerate(split.split(text)):
        inner = latin_runs(part, locale.code)
        if i % 2:  # an English phrase
            inner = Markup('<bdi dir="ltr">%s</bdi>') % inner if locale.dir == "rtl" else inner
            inner = Markup('<span lang="en" dir="ltr">%s</span>') % inner
        parts.append(inner)
    return Markup("").join(parts)



def standard_specs(locales, slugs) -> list[DocSpec]:
    """Every guide x locale x card/sheet/handout at the default paper."""
    return [DocSpec(kind, slug, locale) for locale in locales for slug in slugs for kind in STANDARD_KINDS]


def output_settings(app) -> str:
    """The settings of an app that change what it prints and shows (the public address, the
    deployment's hotline), as one line: a kept site written with other settings is not this app's."""
    return f"address={printed_address(app.config['MAI_BASE_URL']) or ''}\nhelp={help_fingerprint(app)}"


def printed_address(base_url: str | None) -> str | None:
    """The public address to print, or None: a card handed out with a loopback or missing
    address sends its reader nowhere, so such documents carry no address and no QR code."""
    base = (base_url or "").strip().rstrip("/")
    host = urlsplit(base).hostname if base.startswith(("http://", "https://")) else None
    if not host or host == "localhost" or host.endswith(".localhost"):
        return None
    try:
        if ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_unspecified:
            return None
    except ValueError:
        pass  # a name, not an address
    return base


def guide_url(locale: str, slug: str) -> str | None:
    base = printed_address(current_app.config["MAI_BASE_URL"])
    return f"{base}/{locale}/guides/{slug}" if base else None


QR_KINDS = ("handout", "poster")  # a card is too small for a QR code; it prints the address


def qr_svg(url: str) -> str:
    """The URL as an inline SVG QR code, drawn locally; its <title> (the address it holds)
    becomes the figure's alternative text in the tagged PDF."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True, title=url)


def local_help(spec: DocSpec) -> LocalHelp | None:
    """The help line a document prints: the print job's own, else the deployment's, else none."""
    return spec.local or deployment_help(current_app)


def _context(spec: DocSpec, scale: float, back: float = 1.0) -> dict:
    url = guide_url(spec.locale, spec.slug)
    if spec.kind == "plan":
        url = url.replace(f"/guides/{spec.slug}", "/plan") if url else None
    return {"help_line": local_help(spec), "printed": True,
        "spec": spec, "scale": scale, "officer": back, "back_only": False, "paper": PAPERS[spec.paper],
        "card": db.card(spec.locale, spec.source), "guide": db.guide(spec.locale, spec.source),
        "url": url, "qr": qr_svg(url) if url and spec.kind in QR_KINDS else "", "font_css": fonts.pdf_font_css([spec.locale]),
        "safe": CARD_SAFE_MARGIN, "minimum": CARD_MIN_TEXT,
    }


CARD_KINDS = ("card", "sheet")  # documents that print the officer side


def document_html(spec: DocSpec, scale: float = 1.0) -> str:
    """The HTML for one document, rendered in the document's locale."""
    back = back_scale(spec.slug, spec.paper) if spec.kind in CARD_KINDS else 1.0
    with use_locale(spec.locale):
        context = _context(spec, scale, back)
        if context["guide"] is None:
            raise LookupError(f"no guide {spec.slug!r} in {spec.locale!r}")
        if spec.kind == "handout":
            context["sections"] = db.guide_sections(spec.locale, spec.slug)
            context["legal_help"] = db.legal_help()
        if spec.kind == "plan":
            context["plan"] = plan_sections()
        if spec.kind == "sheet":
            context["cells"] = sheet_cells(PAPERS[spec.paper])
            context["marks"] = crop_marks(PAPERS[spec.paper])
        return render_template(f"pdf/{spec.kind}.html", **context)


def back_html(slug: str, paper: str, back: float) -> str:
    """A card's English officer side alone, at text scale `back` (to find the scale that fills it)."""
    spec = DocSpec("card", slug, SOURCE_LOCALE, paper)
    with use_locale(SOURCE_LOCALE):
        return render_template("pdf/card.html", **{**_context(spec, 1.0, back), "back_only": True})


# (slug, paper, content version) -> the scale at which the officer side fills its card: the same
# English text in every locale, so one size everywhere, found once per content version.
_BACK_SCALES: dict[tuple[str, str, str], float] = {}


def back_scale(slug: str, paper: str) -> float:
    """The largest text scale at which the officer side fits one card of this paper's stock: it
    uses the space it has instead of leaving a third of the card empty."""
    key = (slug, paper, db.content_version())
    if key not in _BACK_SCALES:
        if len(_BACK_SCALES) > 256:
            _BACK_SCALES.clear()
        static = Path(current_app.static_folder)
        _BACK_SCALES[key] = render_fitting(lambda s: back_html(slug, paper, s), BACK_SCALES, 1, static)[1]
    return _BACK_SCALES[key]


def english_date(iso: str) -> str:
    """A date as the English officer side prints it, whatever the document's language."""
    return format_date(dt.date.fromisoformat(iso), "long", locale=SOURCE_LOCALE)


def render_spec(spec: DocSpec) -> bytes:
    """PDF bytes for one document; cards, sheets and posters shrink text to fit, never clip."""
    static = Path(current_app.static_folder)
    if spec.kind in ("handout", "plan"):
        return render_pdf(document_html(spec), static)
    if spec.kind == "sheet":
        scale = card_scale(DocSpec("card", spec.slug, spec.locale, spec.paper, spec.local))
        return render_pdf(document_html(spec, scale), static)
    pages = 2 if spec.kind == "card" else 1
    try:
        data, scale = render_fitting(lambda s: document_html(spec, s), SCALES, pages, static)
    except OverflowError as exc:
        raise OverflowError(f"the {spec.kind} of {spec.slug!r} in {spec.locale!r} ({spec.paper}) does not fit "
                            f"at the smallest legible size ({CARD_MIN_TEXT} pt): {exc}. Shorten its card lines "
                            f"in translations/{spec.locale}/LC_MESSAGES/content.po") from exc
    if spec.kind == "card":
        _CARD_SCALES[_card_key(spec)] = scale
    return data


# (slug, locale, paper, content version, printed address, help line) -> the scale its card fits at.
# A sheet is ten cards at the card's scale: a card rendered first leaves its scale here, so the
# sheet needs no search. The address and the help line are part of the key: a card printed without
# them fits at a larger scale, and a sheet that prints them at that scale ran past its cards' safe area.
_CARD_SCALES: dict[tuple, float] = {}


def _card_key(spec: DocSpec) -> tuple:
    help_line = local_help(spec)
    return (spec.slug, spec.locale, spec.paper, db.content_version(),
            printed_address(current_app.config["MAI_BASE_URL"]), help_line.fingerprint() if help_line else "")


def card_scale(spec: DocSpec) -> float:
    """The text scale at which this card (kind "card") fits the card size of its paper's stock."""
    key = _card_key(spec)
    if key not in _CARD_SCALES:
        if len(_CARD_SCALES) > 1024:
            _CARD_SCALES.clear()  # older content versions; a few layouts to find them again
        static = Path(current_app.static_folder)
        _CARD_SCALES[key] = render_fitting(lambda s: document_html(spec, s), SCALES, 2, static)[1]
    return _CARD_SCALES[key]


def document_key(spec: DocSpec) -> str:
    """The cache key of one document: a hash of everything that changes its bytes.

    That is the HTML WeasyPrint is given (its guide's or card's text in its locale, the UI
    strings of that locale, the printed address and help line, the paper, the templates), plus what lays
    that HTML out (stylesheet, fonts, rendering code). An edit in one locale changes only that
    locale's keys, so a rebuild re-renders only those documents. Memoized per database build.
    """
    config = current_app.config
    deployment = deployment_help(current_app)
    return _document_key(spec, db.content_version(), config["MAI_DATABASE"], config["MAI_BASE_URL"],
                         deployment.fingerprint() if deployment else "")


@lru_cache(maxsize=2048)
def _document_key(spec: DocSpec, _version: str, _database: str, _base_url: str | None, _help: str) -> str:
    digest = hashlib.sha256(renderer_fingerprint(spec.locale, _version).encode())
    digest.update(repr(spec).encode())
    digest.update(document_html(spec).encode())
    return digest.hexdigest()[:20]


@lru_cache(maxsize=64)
def renderer_fingerprint(locale: str, _version: str) -> str:
    """fingerprints.Project.renderer for one locale, read again for each content version (a new
    stylesheet is seen without a restart)."""
    return Project.from_config(current_app.config).renderer(locale)


def sheet_cells(paper: Paper) -> list[dict]:
    """Card positions (points) for 2 x 5 stock; backs mirror the columns for duplex printing."""
    cells = []
    for row in range(5):
        for col in range(2):
            top = paper.margin_y + row * paper.card_height
            cells.append({"top": top, "front_left": paper.margin_x + col * paper.card_width,
                          "back_left": paper.margin_x + (1 - col) * paper.card_width})
    return cells


UNPRINTABLE = 5 * PT_PER_MM  # most office printers cannot print this close to the paper's edge


def crop_marks(paper: Paper, length: float = 18.0, gap: float = 4.5) -> list[dict]:
    """Short cut lines in the margins, in line with every card edge (rects in points); each
    starts at least 5 mm in from the paper's edge, so the printer does not drop it."""
    marks = []
    xs = [paper.margin_x + i * paper.card_width for i in range(3)]
    ys = [paper.margin_y + i * paper.card_height for i in range(6)]
    top, bottom, left, right = ys[0], ys[-1], xs[0], xs[-1]
    tall = min(length, paper.margin_y - gap - UNPRINTABLE)
    wide = min(length, paper.margin_x - gap - UNPRINTABLE)
    for x in xs:
        marks.append({"left": x, "top": top - gap - tall, "width": 0, "height": tall})
        marks.append({"left": x, "top": bottom + gap, "width": 0, "height": tall})
    for y in ys:
        marks.append({"left": left - gap - wide, "top": y, "width": wide, "height": 0})
        marks.append({"left": right + gap, "top": y, "width": wide, "height": 0})
    return marks
