"""The web side: read-only views over the built database. Each module registers itself with
`init_app(app)`; none imports the build side (mai_guides.builder)."""
from __future__ import annotations

from flask import Flask

from . import (
    errors,
    offline,
    pages,
    pdfs,
    plan,
    printing,
    reader_safety,
    response,
    root,
    share,
    static_assets,
    translation_status,
)

# response.py orders every answer's last steps (headers, caching, compression) in one place.
MODULES = (response, static_assets, root, pages, pdfs, plan, printing, reader_safety, offline, share,
           translation_status, errors)


def init_app(app: Flask) -> None:
    for module in MODULES:
        module.init_app(app)
    app.jinja_env.globals["share_qr_available"] = share.share_qr_available
