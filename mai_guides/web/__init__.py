"""The web side: read-only views over the built database. Each module registers itself with
`init_app(app)`; none imports the build side (mai_guides.build)."""
from __future__ import annotations

from flask import Flask

from . import errors, offline, pages, pdfs, printing, reader_safety, root, translation_status

MODULES = (root, pages, pdfs, printing, reader_safety, offline, translation_status, errors)


def init_app(app: Flask) -> None:
    for module in MODULES:
        module.init_app(app)
