"""MAI Guides: multilingual know-your-rights guides, served read-only from SQLite."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def default_config(instance_path: str) -> dict:
    """Working defaults; every key can be set by an environment variable of the same name."""
    return {
        "MAI_ROOT": str(ROOT),
        "MAI_CONTENT": str(ROOT / "content"),
        "MAI_TRANSLATIONS": str(ROOT / "translations"),
        "MAI_DATABASE": os.path.join(instance_path, "mai.db"),
        "MAI_PDF_CACHE": os.path.join(instance_path, "pdf"),
        "MAI_BASE_URL": "",  # the public address printed on PDFs; none until a deployment sets it
        "MAI_UI_CATALOGS": "",  # compiled UI catalogs; empty: the live release's (mai_guides/releases.py)
        # the build keeps every page as files for the nginx front (builder/site.py); "0" leaves it out
        # (a quicker build: the app then renders each page on its first request)
        "MAI_KEEP_SITE": "1",
        "MAI_PDF_RENDER_SLOTS": 2,
    }


def create_app(test_config: dict | None = None) -> Flask:
    """Build the Flask app: config, locales, database, views, headers, CLI."""
    app = Flask(__name__, instance_path=str(ROOT / "instance"),
                template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    app.config.update(default_config(app.instance_path))
    app.config.update({k: v for k, v in os.environ.items() if k.startswith("MAI_")})
    if test_config:
        app.config.update(test_config)
    # spoken phrases live beside the PDF cache unless told otherwise (a test's folder keeps both)
    app.config.setdefault("MAI_AUDIO_CACHE", str(Path(app.config["MAI_PDF_CACHE"]).with_name("audio")))

    from . import cli, db, i18n, local_help, web
    from .registry import load_registry, registry_file
    from .web import page_cache

    local_help.init_app(app)  # first: a bad hotline setting stops the start, naming the setting
    i18n.init_app(app, load_registry(registry_file(Path(app.config["MAI_TRANSLATIONS"]))))
    db.init_app(app)
    web.init_app(app)
    cli.init_app(app)
    # last: the page cache wraps the finished app, so kept pages carry every header added above
    page_cache.init_app(app)
    return app

