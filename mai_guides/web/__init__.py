"""The web side: read-only views over the built database. Each module registers itself with
`init_app(app)`; none imports the build side (mai_guides.builder)."""
from __future__ import annotations

from flask import Flask

from . import (
    api,
    canonical,
    errors,
    feeds,
    offline,
    openapi,
    pages,
    pdfs,
    plan,
    printing,
    reader_safety,
    response,
    root,
    share,
    speech,
    static_assets,
    translate_glossary,
    translation_status,
)

# response.py orders every answer's last steps (headers, caching, compression) in one place.
MODULES = (response, canonical, static_assets, root, pages, pdfs, plan, printing, reader_safety, offline, share, speech,
           translation_status, translate_glossary, feeds, api, openapi, errors)


def init_app(app: Flask) -> None:
    for module in MODULES:
        module.init_app(app)
    app.jinja_env.globals["share_qr_available"] = share.share_qr_available
