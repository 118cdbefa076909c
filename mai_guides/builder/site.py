"""The build keeps the site as files in the new release (site_files.py names them): every page a
reader can reach from a language's home page by following links, each language's offline list
and pages the offline worker and the nginx front need, with `.br` and `.gz` beside each, and the
standard PDFs the build rendered. Made with the build's own app, before the release goes live.
"""
from __future__ import annotations

import gzip
import os
import shutil
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import brotli
from flask import Flask

from ..i18n import registry
from ..pdf.cache import PdfCache
from ..pdf.documents import DocSpec, document_key, output_settings
from ..site_files import COMPRESSED, SETTINGS, SITE, file_name
from .freeze import LINK

# Addresses no page links to, that the offline worker, the nginx front and partners ask for by name;
# the API's answers link the rest of the API.
PER_LOCALE = ("/", "/offline", "/offline.json", "/unavailable", "/feed.atom")
OUTSIDE_LOCALES = ("/translate/", "/api/v1/locales.json", "/api/v1/openapi.json")
KEPT_TYPES = ("text/html", "application/json", "application/atom+xml")


def write_site(staging: Flask, release: Path, pdfs: list[DocSpec], progress) -> int:
    """Write the site into the release; returns how many files (each encoding counted once)."""
    site = release / SITE
    with staging.app_context():
        codes = registry().codes
    queue = deque([f"/{code}{path}" for code in codes for path in PER_LOCALE] + list(OUTSIDE_LOCALES))
    seen: set[str] = set()
    client = staging.test_client()
    written = 0
    for url in progress(_crawl(queue, seen), "Keeping pages"):
        response = client.get(url)
        if not _keepable(response):
            continue
        body = response.get_data()
        name = file_name(url)
        write_encoded(site / name, body)
        written += 1
        if response.mimetype == "text/html":
            queue.extend(_links(body.decode("utf-8")))
        elif url.startswith("/api/"):
            queue.extend(_api_links(response.get_json()))
    written += keep_pdfs(staging, site, pdfs)
    # last: an app serves these files only when its own settings match (site_files.site_dir)
    site.mkdir(parents=True, exist_ok=True)
    (site / SETTINGS).write_text(output_settings(staging), encoding="utf-8")
    return written


def _crawl(queue: deque, seen: set[str]):
    """Each address once, as the queue grows with the links of the pages kept."""
    while queue:
        url = queue.popleft()
        if url not in seen and file_name(url) is not None and not url.endswith(".pdf"):
            seen.add(url)
            yield url


def _keepable(response) -> bool:
    """A page or list the same for everyone until the next build (search is no-store)."""
    return (response.status_code == 200 and response.mimetype in KEPT_TYPES
            and "no-store" not in response.headers.get("Cache-Control", ""))


def _links(html: str) -> list[str]:
    """The site's own addresses a page links to, without query or fragment."""
    found = []
    for match in LINK.finditer(html):
        parts = urlsplit(match["url"].replace("&amp;", "&"))
        if not parts.query and not parts.path.startswith(("/static/", "/qr.svg", "/audio/")):
            found.append(parts.path)
    return found


def _api_links(data) -> list[str]:
    """The API answers an API answer links (its `api_url` values, and the like)."""
    if isinstance(data, dict):
        return [link for key, value in data.items() for link in
                ([value] if isinstance(value, str) and key.endswith("url") and value.startswith("/api/")
                 else _api_links(value))]
    if isinstance(data, list):
        return [link for item in data for link in _api_links(item)]
    return []


def write_encoded(target: Path, body: bytes) -> None:
    """The body, and for text its brotli and gzip forms beside it, all with one modification time
    (the fronts' ETags come from size and time)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    versions = [target]
    if target.suffix in COMPRESSED:
        for suffix, packed in ((".br", brotli.compress(body, quality=11)), (".gz", gzip.compress(body, 9, mtime=0))):
            path = Path(f"{target}{suffix}")
            path.write_bytes(packed)
            versions.append(path)
    stamp = target.stat().st_mtime
    for path in versions:
        os.chmod(path, 0o644)
        os.utime(path, (stamp, stamp))


def keep_pdfs(staging: Flask, site: Path, specs: list[DocSpec]) -> int:
    """The standard PDFs the build rendered, linked into the site (copied across file systems)."""
    cache = PdfCache.from_config(staging.config)
    kept = 0
    with staging.app_context():
        for spec in specs:
            cached = cache.get(document_key(spec), spec)
            name = file_name(spec.url_path, "paper=a4" if spec.paper == "a4" else "")
            if cached is None or name is None:
                continue
            target = site / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(cached, target)
            except OSError:
                shutil.copy2(cached, target)
            kept += 1
    return kept
