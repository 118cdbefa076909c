"""The database a build writes: every table the web app reads, in one transaction."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import sqlite_utils

from ..registry import SOURCE_LOCALE
from ..wordforms import stemmed_text
from .content import Content
from .fallback import Localizer, sections
from .inputs import Inputs
from .legal_reviews import LegalReview, guide_source
from .markup import english_in
from .translation_counts import status_records


def fill_database(path: Path, inputs: Inputs, progress, speech: list[dict] = ()) -> None:
    """Write every table in one transaction: sqlite-utils alone commits (and syncs to disk)
    after every row, which was most of a PDF-less build. See bench/build_db.py."""
    db = sqlite_utils.Database(path)
    try:
        with db.atomic():
            write_tables(db, inputs, progress)
            write_speech(db, speech)
        db.vacuum()
    finally:
        db.close()


def write_database(db: sqlite_utils.Database, inputs: Inputs, progress) -> None:
    """Every table the web app reads, committed row by row (the bench's baseline)."""
    write_tables(db, inputs, progress)
    db.vacuum()


def write_tables(db: sqlite_utils.Database, inputs: Inputs, progress) -> None:
    """Every table the web app reads."""
    db["meta"].insert_all([
        {"key": "content_version", "value": inputs.version},
        {"key": "built_at", "value": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")},
        {"key": "translating_doc", "value": inputs.translating_doc},  # /translate/ links it
    ], pk="key")
    db["guide_news"].insert_all(
        ({"guide": g, "news": post.slug} for post in inputs.content.news for g in post.guides),
        pk=("guide", "news"))
    for info in progress(list(inputs.registry), "Building locales"):
        localizer = Localizer(info, inputs.registry, inputs.translations, inputs.reviews)
        _write_guides(db, inputs.content, localizer, inputs.legal_reviews)
        _write_cards(db, inputs.content, localizer)
        _write_news(db, inputs.content, localizer)
        db["locales"].insert(_locale_row(info, localizer), pk="code")
    db["pdf_files"].create(PDF_FILE_COLUMNS, pk=("locale", "slug", "kind", "paper"))
    db["translation_status"].insert_all(status_records(inputs.status), pk=("locale", "scope"),
                                        columns={"last_change": str})
    # each catalog as it was built, byte for byte: /translate/ offers it for download
    db["catalog_files"].insert_all(({"locale": code, "domain": domain, "data": data, "bytes": len(data)}
                                    for (code, domain), data in sorted(inputs.catalog_bytes.items())),
                                   pk=("locale", "domain"), columns={"data": bytes})
    db["glossary"].create({"locale": str, "term": str, "english": str, "approved": str}, pk=("locale", "term"))
    db["glossary"].insert_all(glossary_records(inputs))
    db["legal_help"].insert_all((d.as_row(i) for i, d in enumerate(inputs.legal_help)), pk="position")
    # `stems`: the same words cut to their Snowball stems (wordforms.py), so "abogada" finds "abogado"
    db["documents"].enable_fts(["title", "body", "stems"], fts_version="FTS5",
                               tokenize="unicode61 remove_diacritics 2")


def glossary_records(inputs: Inputs):
    """One row per locale and legal term: the English forms and the approved renderings (empty
    while a new locale's glossary is not filled in), for /translate/<locale>."""
    for info in inputs.registry:
        if info.code == SOURCE_LOCALE:
            continue
        for term in inputs.glossary:
            yield {"locale": info.code, "term": term.key, "english": " / ".join(term.words),
                   "approved": " / ".join(term.shown.get(info.code, ()))}


PDF_FILE_COLUMNS = {"locale": str, "slug": str, "kind": str, "paper": str, "bytes": int}


def record_pdf_files(path: Path, prerendered) -> None:
    """The size of each pre-rendered PDF, written into a release's database before it goes live."""
    db = sqlite_utils.Database(path)
    try:
        with db.atomic():
            db["pdf_files"].insert_all(({"locale": item.spec.locale, "slug": item.spec.slug, "kind": item.spec.kind,
                                         "paper": item.spec.paper, "bytes": item.size} for item in prerendered),
                                       pk=("locale", "slug", "kind", "paper"))
    finally:
        db.close()
def write_speech(db: sqlite_utils.Database, rows: list[dict]) -> None:
    """What each guide page can play aloud, per locale (builder/speech.py): always created, so a
    build without a phrase still answers the web side's query."""
    db["speech"].create({"guide": str, "locale": str, "kind": str, "position": int, "text": str, "lang": str,
                         "context": str, "context_lang": str, "audio": str, "credit": str, "seconds": float,
                         "opus_bytes": int, "mp3_bytes": int}, pk=("guide", "locale", "kind", "position"))
    db["speech"].insert_all(rows)


def _locale_row(info, localizer: Localizer) -> dict:
    return {
        "code": info.code, "name": info.name, "english_name": info.english_name, "dir": info.dir,
        "chain": json.dumps(info.chain), "reviewed": info.reviewed, "last_reviewed": info.last_reviewed,
        "segments": localizer.total, "fallbacks": localizer.fallbacks,
    }


def _write_guides(db, content: Content, loc: Localizer, reviews: dict[str, LegalReview]) -> None:
    for guide in content.guides:
        review = reviews.get(guide_source(guide.slug))
        (title, title_from), (summary, summary_from) = loc.text(guide.title), loc.text(guide.summary)
        parts = sections(loc, guide.blocks)
        db["sections"].insert_all(({
            "guide": guide.slug, "locale": loc.info.code, "position": i, "anchor": s.anchor,
            "heading": s.heading, "heading_lang": s.heading_lang, "heading_html": s.heading_html, "html": s.html,
            "text": s.plain, "review": s.review, "reviewers": json.dumps(s.reviewers, ensure_ascii=False),
        } for i, s in enumerate(parts)), pk=("guide", "locale", "position"), columns={"heading_lang": str, "review": str})
        db["guides"].insert({
            "slug": guide.slug, "locale": loc.info.code, "title": title, "summary": summary,
            # the language a fallen-back title or summary is in, marked on the page like paragraphs
            "title_lang": loc.shown_in(title_from), "summary_lang": loc.shown_in(summary_from),
            "tags": json.dumps(guide.tags), "last_reviewed": guide.last_reviewed.isoformat(),
            "sources": json.dumps([{"title": s.title, "url": s.url} for s in guide.sources]),
            # a lawyer's review of the English, only while the text is what they read
            "legal_review": json.dumps(review.as_row()) if review else None,
            **loc.take_counts(),
        }, pk=("slug", "locale"), columns={"title_lang": str, "summary_lang": str, "legal_review": str})
        _index(db, loc.info.code, "guide", guide.slug, title, summary + " " + " ".join(
            f"{s.heading} {s.text}" for s in parts))


def _card_line(loc: Localizer, card, line: str) -> dict:
    """One front line for the PDFs: its text, the English phrases a translation quotes (marked
    lang="en"), and whether it speaks of the card itself (the door poster leaves it out)."""
    text, source = loc.text(line)
    english = english_in(text, line) if source.code != SOURCE_LOCALE else []
    return {"text": text, "english": english, "card_only": line in card.card_only}


def _write_cards(db, content: Content, loc: Localizer) -> None:
    for card in content.cards:
        lines = [_card_line(loc, card, line) for line in card.front]
        review, reviewers = loc.review_state([card.title, *card.front])
        db["cards"].insert({
            "slug": card.slug, "locale": loc.info.code, "title": loc.text(card.title)[0],
            "front": json.dumps([line["text"] for line in lines], ensure_ascii=False),
            "lines": json.dumps(lines, ensure_ascii=False),
            "back_title": card.back_title, "back": json.dumps(card.back),
            "review": review, "reviewers": json.dumps(reviewers, ensure_ascii=False),
            **loc.take_counts(),
        }, pk=("slug", "locale"), columns={"review": str})


def _write_news(db, content: Content, loc: Localizer) -> None:
    for position, post in enumerate(content.news):  # newest first (content.newest_first)
        (title, title_from), (summary, summary_from) = loc.text(post.title), loc.text(post.summary)
        html = "".join(loc.block_html(block) for block in post.blocks)
        db["news"].insert({
            "slug": post.slug, "locale": loc.info.code, "title": title, "summary": summary,
            "title_lang": loc.shown_in(title_from), "summary_lang": loc.shown_in(summary_from),
            "html": html, "text": loc.blocks_text(post.blocks), "tags": json.dumps(post.tags),
            "position": position, "year": post.year, "date": post.date, "source": post.source,
            "source_name": post.source_name, "author": post.author,
            **loc.take_counts(),
        }, pk=("slug", "locale"), columns={"title_lang": str, "summary_lang": str, "date": str, "source": str,
                                           "source_name": str, "author": str})
        body = " ".join(loc.plain(s) for b in post.blocks for s in b.segments)
        _index(db, loc.info.code, "news", post.slug, title, f"{summary} {body}")


def _index(db, locale: str, kind: str, slug: str, title: str, body: str) -> None:
    db["documents"].insert({"locale": locale, "kind": kind, "slug": slug, "title": title, "body": body,
                            "stems": stemmed_text(f"{title} {body}", locale)})
