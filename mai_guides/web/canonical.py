"""One address per page: a query string that no view reads is dropped with one redirect.

Pages are kept as finished bytes per address (page_cache.py), and an address with a query string is
rendered afresh: `/translate/?r=1`, `?r=2`, ... would each cost a full render (28 ms against 0.4 ms for
a kept page) and let one client keep the workers busy. So each page's view lists what it reads from
the query, and anything else sends the reader once to the address without it, which is kept.
Endpoints not listed here (print jobs, the manifest, QR codes, static files) read and check their own.
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, redirect, request

# endpoint -> the query parameters its view reads
QUERY_PARAMETERS: dict[str, tuple[str, ...]] = {
    "root.language_redirect": (), "root.healthz": (), "root.address_too_long": (),
    "pages.home": (), "pages.guide": (), "pages.news_index": (), "pages.news_post": (), "pages.about": (),
    "pages.search": ("q",), "pages.unavailable": (), "safety.staying_safe": (), "printing.form": (), "status.translate": ("sort",),
    "status.catalog": (), "status.translating_doc": (), "translate_glossary.locale_glossary": (),
    "offline_lists.offline_page": (), "offline_lists.offline_list": (), "speech.speak": (), "plan.page": (), "plan.printable": ("paper",), "feeds.news_feed_view": (),
    "pdfs.card": ("paper",), "pdfs.handout": ("paper",), "pdfs.poster": ("paper",),
}


def init_app(app: Flask) -> None:
    app.before_request(drop_unread_parameters)


def drop_unread_parameters():
    """Redirect to the same address without the parameters this page does not read."""
    known = QUERY_PARAMETERS.get(request.endpoint or "")
    if known is None or not request.query_string:
        return None
    kept = [(name, value) for name, value in request.args.items(multi=True) if name in known]
    if len(kept) == len(list(request.args.items(multi=True))):
        return None
    target = request.path + (f"?{urlencode(kept)}" if kept else "")
    response = redirect(target, code=301)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
