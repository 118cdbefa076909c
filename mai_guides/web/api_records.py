"""The API's records, from the database's rows: what api.py answers and api_schemas.py describes.

Text a partner must show with the guides (the machine-draft notice, "not legal advice", when the
English was last checked) comes from the same templates as the pages, in the record's language.
"""
from __future__ import annotations

import json

from flask import get_template_attribute, url_for
from flask_babel import gettext as _

from .. import db
from ..i18n import registry, use_locale
from ..pdf.documents import DEFAULT_PAPER, PAPERS, PT_PER_MM, DocSpec
from ..registry import SOURCE_LOCALE

# Every PDF of a guide, as its page lists them: (kind, paper; None for the card, which is its own size).
DOCUMENTS = (("card", None), ("sheet", "letter"), ("sheet", "a4"), ("handout", "letter"), ("handout", "a4"),
             ("poster", "letter"), ("poster", "a4"))
CARD_DOCUMENTS = DOCUMENTS[:3]


def notice(name: str, *args) -> str:
    """One of the notices of templates/_notices.html, as plain text in the current language."""
    return str(get_template_attribute("_notices.html", name)(*args)).strip()


def review(code: str, reviewed: bool, last_reviewed: str | None) -> dict:
    """Whether a person has checked a language's translation, and the notice to show when not."""
    state = "source" if code == SOURCE_LOCALE else "reviewed" if reviewed else "machine_draft"
    with use_locale(code):
        text = notice("machine_draft_text") if state == "machine_draft" else None
    return {"state": state, "last_reviewed": last_reviewed if state == "reviewed" else None, "notice": text}


def locale(row: dict, status: dict) -> dict:
    code = row["code"]
    return {
        "code": code, "name": row["name"], "english_name": row["english_name"], "dir": row["dir"],
        "fallback": json.loads(row["chain"])[1:],
        "review": review(code, bool(row["reviewed"]), row["last_reviewed"]),
        "translated_percent": {"content": _percent(status, "content"), "interface": _percent(status, "ui")},
        "url": url_for("pages.home", lang_code=code), "feed_url": url_for("feeds.news_feed_view", lang_code=code),
        "guides_url": url_for("api.guides", lang=code), "cards_url": url_for("api.cards", lang=code),
        "news_url": url_for("api.news", lang=code),
    }


def _percent(status: dict, scope: str) -> int:
    """How much is translated (English, the source, is whole)."""
    return int(status[scope]["percent"]) if scope in status else 100


def guide_item(code: str, row: dict) -> dict:
    return {"slug": row["slug"], "title": row["title"], "summary": row["summary"],
            "url": url_for("pages.guide", lang_code=code, slug=row["slug"]),
            "api_url": url_for("api.guide", lang=code, slug=row["slug"])}


def guide(code: str, row: dict) -> dict:
    """A whole guide: its text by section, the notices that go with it, its sources and PDFs."""
    slug = row["slug"]
    page = url_for("pages.guide", lang_code=code, slug=slug)
    sizes = db.pdf_sizes(code)
    return {
        "locale": code, **guide_item(code, row), "title_lang": row["title_lang"], "summary_lang": row["summary_lang"],
        "tags": row["tags"], "last_reviewed": row["last_reviewed"], "legal_review": row["legal_review"],
        "fallback_languages": _fallback(row),
        "notices": {"machine_draft": draft_notice(code),
                    "not_legal_advice": f"{notice('not_legal_advice_title')}. {notice('not_legal_advice_text')}",
                    "general_information": notice("general_information"),
                    "english_checked": notice("english_checked", row), "legal_review": notice("legal_review", row)},
        "sections": [{"anchor": s["anchor"], "heading": s["heading"], "heading_lang": s["heading_lang"],
                      "heading_html": s["heading_html"], "html": s["html"], "text": s["text"],
                      "url": f"{page}#{s['anchor']}", "review": SECTION_REVIEW[s["review"]],
                      "reviewers": s["reviewers"] if s["review"] == "reviewed" else []}
                     for s in db.guide_sections(code, slug)],
        "sources": row["sources"],
        "documents": [document(code, slug, kind, paper, sizes) for kind, paper in DOCUMENTS],
        "card_url": url_for("api.cards", lang=code),
        "related_news": [news_item(code, post) for post in db.news_for_guide(code, slug)],
    }


# a section's review state as the build wrote it (fallback.review_state) -> as the API says it
SECTION_REVIEW = {None: "source", "reviewed": "reviewed", "draft": "machine_draft"}


def draft_notice(code: str) -> str | None:
    """The machine-draft notice every page of an unchecked translation shows, else None."""
    return notice("machine_draft_text") if registry()[code].machine_draft else None


def _fallback(row: dict) -> list[str]:
    """The languages shown where this text is not translated yet, in fallback order."""
    return row["fallback_from"].split(",") if row.get("fallback_from") else []


def document_name(kind: str, paper: str | None) -> str:
    """A PDF's name as the guide page lists it."""
    return {
        ("card", None): _("Wallet card (PDF)"),
        ("sheet", "letter"): _("10 cards per page (PDF, Letter)"), ("sheet", "a4"): _("10 cards per page (PDF, A4)"),
        ("handout", "letter"): _("Handout (PDF, Letter)"), ("handout", "a4"): _("Handout (PDF, A4)"),
        ("poster", "letter"): _("Door poster (PDF, Letter)"), ("poster", "a4"): _("Door poster (PDF, A4)"),
    }[(kind, paper)]


def document_url(code: str, slug: str, kind: str, paper: str | None) -> str:
    query = {"paper": paper} if paper and paper != DEFAULT_PAPER else {}
    if kind in ("card", "sheet"):
        return url_for("pdfs.card", lang_code=code, name=slug if kind == "card" else f"{slug}-sheet", **query)
    return url_for(f"pdfs.{kind}", lang_code=code, slug=slug, **query)


def document(code: str, slug: str, kind: str, paper: str | None, sizes: dict) -> dict:
    """One PDF: where it is, its page size, and its size in bytes when the build pre-rendered it."""
    spec = DocSpec(kind, slug, code, paper or DEFAULT_PAPER)
    sheet = PAPERS[spec.paper]
    width, height = (sheet.card_width, sheet.card_height) if kind == "card" else (sheet.width, sheet.height)
    return {"kind": kind, "paper": paper, "name": document_name(kind, paper),
            "url": document_url(code, slug, kind, paper), "filename": spec.filename, "media_type": "application/pdf",
            "width_mm": round(width / PT_PER_MM, 1), "height_mm": round(height / PT_PER_MM, 1),
            "bytes": sizes.get((slug, kind, spec.paper))}


def card(code: str, row: dict, sizes: dict) -> dict:
    """A wallet card: its front lines in the language, its back in English for the officer, its PDFs."""
    slug = row["slug"]
    return {"slug": slug, "title": row["title"],
            "front": [{"text": line["text"], "english": line["english"], "card_only": line["card_only"]}
                      for line in row["lines"]],
            "back_title": row["back_title"], "back": row["back"], "back_lang": SOURCE_LOCALE,
            "guide_url": url_for("pages.guide", lang_code=code, slug=slug),
            "guide_api_url": url_for("api.guide", lang=code, slug=slug),
            "documents": [document(code, slug, kind, paper, sizes) for kind, paper in CARD_DOCUMENTS]}


def news_item(code: str, row: dict) -> dict:
    return {"slug": row["slug"], "title": row["title"], "summary": row["summary"], "year": row["year"],
            "date": row["date"], "label": notice("news_label", row), "source": row["source"],
            "source_name": row["source_name"], "author": row["author"],
            "url": url_for("pages.news_post", lang_code=code, slug=row["slug"]),
            "api_url": url_for("api.news_post", lang=code, slug=row["slug"])}


def news_post(code: str, row: dict) -> dict:
    """A whole post, with the guides it relates to."""
    return {"locale": code, **news_item(code, row), "title_lang": row["title_lang"],
            "summary_lang": row["summary_lang"], "tags": row["tags"], "html": row["html"], "text": row["text"],
            "fallback_languages": _fallback(row),
            "notices": {"machine_draft": draft_notice(code)},
            "related_guides": [guide_item(code, item) for item in db.guides_for_news(code, row["slug"])]}
