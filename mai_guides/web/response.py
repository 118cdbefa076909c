"""One place orders what happens to every answer after its view, top to bottom:

1. security headers, and no cookie (security.py): on everything, errors included;
   CORS on the API's answers (api.py), which any site may read;
2. a redirect's Location made relative (root.py): no host taken from the request;
3. pages (HTML, and the API's JSON and the news feeds) marked cacheable with an ETag, and answered
   304 when the reader has them (root.py);
4. static files with their fingerprint kept a year, others revalidated (static_assets.py);
5. compression, last, since it needs the final body and headers (compression.py).

Then, outside Flask, the page cache (page_cache.py) keeps each finished page and answers later
requests for it before any of this runs again.
"""
from __future__ import annotations

from flask import Flask

from .api import cors
from .compression import compress
from .root import cacheable_pages, relative_location
from .security import secure_headers
from .static_assets import immutable_when_fingerprinted

STEPS = (secure_headers, cors, relative_location, cacheable_pages, immutable_when_fingerprinted, compress)


def finish(response):
    """Every step, in order."""
    for step in STEPS:
        response = step(response)
    return response


def init_app(app: Flask) -> None:
    app.after_request(finish)
