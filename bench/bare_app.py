"""The baseline for bench/throughput.py: a bare Flask route that returns fixed bytes.

Served by the same gunicorn command and gunicorn.conf.py as the real app, so the only difference
measured is our own code. The bytes (a guide page fetched from the real app) come from the file
named by BARE_BODY.
"""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

BODY = Path(os.environ["BARE_BODY"]).read_bytes()
app = Flask(__name__)


@app.get("/page")
def page():
    return app.response_class(BODY, mimetype="text/html")


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
