"""Sharing a page: a QR code of its public address, drawn here (segno), to show someone nearby."""
from __future__ import annotations

import io
import re

import segno
from flask import Blueprint, abort, current_app, request

from ..pdf.documents import printed_address

bp = Blueprint("share", __name__)
PAGE_PATH = re.compile(r"^/[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*/(?:[a-z0-9-]+(?:/[a-z0-9-]+)*)?$")


def init_app(app) -> None:
    app.register_blueprint(bp)


@bp.get("/qr.svg")
def qr_svg():
    """?path=/es/guides/ice-encounters -> the public address of that page as a QR code (SVG).
    Only site paths are drawn, and only under the configured public address: a QR code of
    whatever Host a request claims could send a reader somewhere else."""
    path = request.args.get("path", "")
    base = printed_address(current_app.config["MAI_BASE_URL"])
    if not base or not PAGE_PATH.match(path):
        abort(404)
    # a standalone file, not inline SVG: an <img> draws it only with its namespace (svg_inline has none)
    svg = io.BytesIO()
    segno.make(base + path, error="m").save(svg, kind="svg", xmldecl=False, scale=6, border=2, omitsize=False)
    response = current_app.response_class(svg.getvalue(), mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = 24 * 3600
    return response


def share_qr_available() -> bool:
    return printed_address(current_app.config["MAI_BASE_URL"]) is not None
