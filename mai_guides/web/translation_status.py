"""/translate/: coverage, stale entries and review status per locale, per catalog file and per
guide, card and news post; sortable by what needs work; each catalog for download."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, g, render_template, request

from .. import db
from ..i18n import negotiated_locale, registry

bp = Blueprint("status", __name__)

DOMAINS = ("messages", "content")


def init_app(app) -> None:
    app.register_blueprint(bp)


def documents(scopes, lang: str) -> list[dict]:
    """Every guide, card and news post the status counts ("guide:<slug>", ...), titled in the
    reader's language, in the order the build wrote them."""
    titles = {**{f"guide:{row['slug']}": row["title"] for row in db.guides(lang)},
              **{f"news:{row['slug']}": row["title"] for row in db.news_list(lang)}}
    result = []
    for scope in scopes:
        kind, _, slug = scope.partition(":")
        if kind not in ("guide", "card", "news"):
            continue
        title = titles.get(scope)
        if kind == "card":
            card = db.card(lang, slug)
            title = card["title"] if card else None
        result.append({"scope": scope, "kind": kind, "title": title or slug})
    return result


def summary(status: dict) -> dict:
    """One locale's figures for the coordinator: English words still to touch (untranslated or
    stale, estimated from each file's average entry, plus machine drafts), the share of words a
    person checked, and the newest change to its catalogs."""
    files = [status[scope] for scope in ("ui", "content")]
    words = sum(row["words"] for row in files)
    reviewed = sum(row["reviewed_words"] for row in files)
    todo = sum(row["draft_words"] + round((row["stale"] + row["untranslated"]) * row["words"] / row["total"])
               for row in files if row["total"])
    return {"needs_work": todo, "reviewed_words": reviewed, "draft_words": sum(r["draft_words"] for r in files),
            "words": words, "reviewed_share": round(100 * reviewed / words) if words else 0,
            "last_change": max(filter(None, (row["last_change"] for row in files)), default=None)}


# ?sort= -> (key, highest first); English, the original, stays last
SORT_KEYS = {"work": (lambda row, s: s["needs_work"], True),
             "language": (lambda row, s: row["english_name"].casefold(), False),
             "reviewed": (lambda row, s: s["reviewed_share"], True),
             "changed": (lambda row, s: s["last_change"] or "", True)}


def sorted_locales(rows: list[dict], summaries: dict, sort: str | None) -> list[dict]:
    """The languages in the order asked for (none: the registry's, English first)."""
    if not sort:
        return rows
    key, reverse = SORT_KEYS[sort]
    translated = [row for row in rows if row["code"] != "en"]
    ordered = sorted(translated, key=lambda row: key(row, summaries[row["code"]]), reverse=reverse)
    return ordered + [row for row in rows if row["code"] == "en"]


@bp.get("/translate/")
def translate():
    """In the reader's language (from Accept-Language), like the root redirect; `?sort=` orders the
    languages by what needs work (work, language, reviewed, changed); an unknown order is a 400."""
    g.lang_code = negotiated_locale()
    sort = request.args.get("sort") or None
    if sort is not None and sort not in SORT_KEYS:
        abort(400)
    status = db.translation_status()
    summaries = {code: summary(scopes) for code, scopes in status.items()}
    scopes = next(iter(status.values()), {})
    response = current_app.make_response(render_template(
        "translate.html", locales=sorted_locales(db.locale_rows(), summaries, sort), status=status,
        summaries=summaries, sort=sort, sorts=SORT_KEYS, documents=documents(scopes, g.lang_code)))
    response.vary.add("Accept-Language")
    return response


@bp.get("/translate/<code>/<domain>.po")
def catalog(code: str, domain: str):
    """A locale's catalog, byte for byte as the live build read it, to open in Poedit."""
    if domain not in DOMAINS or code not in registry().codes:
        abort(404)
    data = db.catalog_file(code, domain)
    if data is None:
        abort(404)
    response = current_app.make_response(data)
    response.headers["Content-Type"] = "text/x-gettext-translation; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="mai-guides-{code}-{domain}.po"'
    return response


@bp.get("/translate/docs/translating.md")
def translating_doc():
    """The translators' guide (docs/translating.md) as the live build read it, as plain text."""
    text = db.meta("translating_doc") or abort(404)
    response = current_app.make_response(text)
    response.headers["Content-Type"] = "text/plain; charset=utf-8"
    return response
