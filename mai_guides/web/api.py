"""/api/v1/: the read-only JSON API for partner organisations (schemas: api_schemas.py).

Every address ends in `.json`, so the static export (`flask mai freeze`) holds the same API as
files under the same names. Answers are pages like any other: a pure function of the build and
the URL, kept as bytes by page_cache.py, with an ETag; each carries
`Access-Control-Allow-Origin: *` so a partner's web page can read it, and never a cookie. URLs in
answers are relative to the site (resolve them against the address the JSON came from).
Each view is declared with `operation`, which the OpenAPI document (openapi.py) is written from.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, g, request

from .. import db
from ..i18n import registry, use_locale
from . import api_records as records

PREFIX = "/api/v1"
bp = Blueprint("api", __name__, url_prefix=PREFIX)
PROBLEM_TYPE = "application/problem+json"


@dataclass(frozen=True)
class Operation:
    """One GET of the API: its Flask rule (under PREFIX), the schema of its 200 answer, its words."""

    rule: str
    endpoint: str
    schema: str
    summary: str
    description: str


OPERATIONS: list[Operation] = []


def operation(rule: str, schema: str, summary: str, description: str = ""):
    """Route a view and describe it for the OpenAPI document, in one place."""
    def register(view):
        OPERATIONS.append(Operation(rule, f"{bp.name}.{view.__name__}", schema, summary, description))
        return bp.get(rule)(view)
    return register


def init_app(app) -> None:
    app.register_blueprint(bp)


def answer(data: dict, mimetype: str = "application/json"):
    """UTF-8 JSON, compact (compression.py packs it further)."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return current_app.response_class(body, mimetype=mimetype)


def problem(status: int, title: str):
    """An error as RFC 9457 problem details; it never repeats the address or anything the client sent."""
    return answer({"type": "about:blank", "title": title, "status": status}, PROBLEM_TYPE), status


def is_api() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def cors(response):
    """Any site may read the API from its pages' scripts (GET and HEAD; no credentials: there are
    none to send). A preflight, which a script that revalidates with If-None-Match causes, is answered."""
    if is_api() and request.method in ("GET", "HEAD", "OPTIONS"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "ETag"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD"
            response.headers["Access-Control-Allow-Headers"] = "If-None-Match"
            response.headers["Access-Control-Max-Age"] = "86400"
    return response


def shipped(lang: str) -> str:
    """A language the site ships, or a 404."""
    if lang not in registry():
        abort(404)
    g.lang_code = lang
    return lang


@operation("/locales.json", "LocaleList", "Every language of the site",
           "Each language with its name, text direction, fallback languages, review state (a machine draft "
           "that no person has checked yet, reviewed, or the English source) and translation coverage.")
def locales():
    status = db.translation_status()
    return answer({"locales": [records.locale(row, status.get(row["code"], {})) for row in db.locale_rows()]})


@operation("/<lang>/guides.json", "GuideList", "The guides in one language")
def guides(lang: str):
    with use_locale(shipped(lang)):
        return answer({"locale": lang, "guides": [records.guide_item(lang, row) for row in db.guides(lang)]})


@operation("/<lang>/guides/<slug>.json", "Guide", "One guide, section by section",
           "Each section as sanitized HTML and as plain text, with the notices a page of the guide shows "
           "(machine draft, not legal advice, when the English was checked), its sources and its PDFs.")
def guide(lang: str, slug: str):
    with use_locale(shipped(lang)):
        row = db.guide(lang, slug) or abort(404)
        return answer(records.guide(lang, row))


@operation("/<lang>/cards.json", "CardList", "The wallet cards in one language",
           "Each card's lines (front in the language, back in English for the officer) and its PDFs.")
def cards(lang: str):
    with use_locale(shipped(lang)):
        sizes = db.pdf_sizes(lang)
        return answer({"locale": lang, "cards": [records.card(lang, row, sizes) for row in db.cards(lang)]})


@operation("/<lang>/news.json", "NewsList", "The news posts in one language, newest first")
def news(lang: str):
    with use_locale(shipped(lang)):
        return answer({"locale": lang, "news": [records.news_item(lang, row) for row in db.news_list(lang)]})


@operation("/<lang>/news/<slug>.json", "NewsPost", "One news post")
def news_post(lang: str, slug: str):
    with use_locale(shipped(lang)):
        row = db.news_post(lang, slug) or abort(404)
        return answer(records.news_post(lang, row))
