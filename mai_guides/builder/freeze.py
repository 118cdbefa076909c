"""`flask mai freeze DIR`: the whole site as static files with relative links.

Any static host or CDN can serve the result, and it opens straight from a USB stick (file://).
The export is made by crawling the app itself (its test client, no server, no network) from
every language's home page, so it holds exactly what a reader can reach by following links.

- Every root-relative link (href, src, action; url() in CSS) is rewritten to a relative path to
  the file it was saved as: `/es/guides/x` -> `es/guides/x.html`, `/es/news/` ->
  `es/news/index.html`, and a query string becomes part of the name (`x.pdf?paper=a4` ->
  `x.paper-a4.pdf`), because file:// has no query strings and no index files.
- Search cannot run without the server: each language's search page says so, in that language,
  and points to the guides (the form's action is that page, so a search from disk lands there).
- `--no-pdfs` links the PDFs to the public site (MAI_BASE_URL) instead of copying them.
- The JSON API (`/api/v1/...`, every address of which ends in `.json`) is crawled from its list of
  languages, and the links in its answers (`url`, `*_url`) made relative like a page's: a partner
  can mirror it from any static host. The news feeds (`<lang>/feed.atom`) are copied as they are.
- A link that answers anything but 200 stops the export, naming the page it was on.
- Offline, the export behaves as the live site: each language's offline list names the export's
  own files (`/es/guides/x.html`), every one of them exported (what only the list names, such as the
  offline page and the A4 documents, is crawled too), so the service worker keeps and finds them.
- `nginx-languages.map` lists the languages for deploy/nginx-static.conf.template, which sends `/`
  to the reader's language as the app does.
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qsl, urlsplit

from flask import Flask, g, render_template

from ..i18n import registry

LINK = re.compile(r'(?P<lead>\b(?:href|src|action)=")(?P<url>/(?!/)[^"]*)"')
CSS_URL = re.compile(r"(?P<lead>url\(\s*['\"]?)(?P<url>/(?!/)[^'\")]*)")
SEARCH = re.compile(r"^/[^/]+/search$")
TEXT_TYPES = ("text/html", "text/css")
OPTIONAL = ("/sw.js", "/favicon.ico", "/manifest.webmanifest")
OPTIONAL_PER_LOCALE = ("/offline.json",)
API_ROOTS = ("/api/v1/openapi.json", "/api/v1/locales.json")  # what a partner starts from: no page links them
API = re.compile(r"^/api/v1/.+\.json$")


class FreezeError(RuntimeError):
    """A page of the site links to something that does not answer 200."""


@dataclass
class Export:
    out: Path
    base_url: str | None  # where PDFs are linked when they are not copied
    pdfs: bool = True
    files: dict[str, Path] = field(default_factory=dict)  # URL -> file written


def local_name(url: str) -> PurePosixPath:
    """The file (relative to the export) that stands for a site URL."""
    parts = urlsplit(url)
    path = parts.path
    if path.endswith("/"):
        path += "index.html"
    name = PurePosixPath(path.lstrip("/"))
    if parts.query:
        tag = "-".join(re.sub(r"[^A-Za-z0-9_-]+", "_", f"{k}-{v}") for k, v in parse_qsl(parts.query))
        name = name.with_name(f"{name.stem}.{tag}{name.suffix}")
    if not name.suffix:
        name = name.with_name(name.name + ".html")
    return name


def relative(from_file: PurePosixPath, url: str) -> str:
    """The link from one exported file to the file of url (its #fragment kept)."""
    target, _, fragment = url.partition("#")
    link = os.path.relpath(local_name(target), from_file.parent)
    return link + (f"#{fragment}" if fragment else "")


# Regions whose readers read a script subtag the export has (zh-TW reads zh-Hant)
REGIONS = {"zh-Hans": ("CN", "SG"), "zh-Hant": ("TW", "HK", "MO")}
MARK = ".mai-export"  # left in every export: a folder without it is someone's else's, never emptied


def freeze(app: Flask, out: Path, pdfs: bool = True, progress=None) -> Export:
    """Write the site under out (a new or empty folder, or an earlier export, which is emptied
    first); returns what was written."""
    if out.exists() and not out.is_dir():
        raise FreezeError(f"{out} is a file; choose a folder")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARK).is_file():
            raise FreezeError(f"{out} is not empty and is not an earlier export (it has no {MARK}); "
                              "choose a new or empty folder: nothing in it was changed")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARK).write_text("Written by `flask mai freeze`; the next export into this folder empties it.\n")
    export = Export(out, app.config.get("MAI_BASE_URL") or None, pdfs)
    # `flask mai freeze` runs inside an app context, and a request made in an active app context
    # shares its `g` (Flask reuses it): the first page's date locale and cached state would leak
    # into every other page. A thread of its own starts with no context, so each page is rendered
    # exactly as for a reader.
    with ThreadPoolExecutor(1) as crawler:
        return crawler.submit(_crawl, app, export, progress).result()


def _crawl(app: Flask, export: Export, progress) -> Export:
    """Fetch every page reachable from each language's home, write it with relative links."""
    client = app.test_client()
    with app.app_context():
        languages = [(info.code, info.name, info.dir) for info in registry()]
    codes = [code for code, _name, _dir in languages]
    queue = deque((f"/{code}/", "/") for code in codes)
    queue.append(("/translate/", "/"))
    queue.extend((url, "/") for url in API_ROOTS)
    # files no page links to (the service worker registers itself from JavaScript): copied when they exist
    optional = {url: "/" for url in OPTIONAL} | {f"/{code}{url}": "/" for code in codes for url in OPTIONAL_PER_LOCALE}
    queue.extend(optional.items())
    seen: set[str] = set()
    while queue:
        url, linked_from = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        if SEARCH.match(urlsplit(url).path):
            _write(export, url, offline_search(app, url.split("/")[1]).encode(), queue, "text/html")
            continue
        response = client.get(url)
        if response.status_code != 200 and url in optional:
            continue
        if response.status_code != 200:
            raise FreezeError(f"{linked_from} links to {url}, which answers {response.status_code}")
        _write(export, url, response.get_data(), queue, response.mimetype)
        if progress:
            progress(url)
    _write_root(export, languages)
    for code in codes:
        _rewrite_offline_list(export, f"/{code}/offline.json")
    _write_language_map(export, codes)
    return export


def _write(export: Export, url: str, body: bytes, queue: deque, mimetype: str) -> None:
    name = local_name(url)
    if mimetype == "application/json" and url.endswith("/offline.json"):
        lists = json.loads(body)
        # written once the crawl has them all (PDFs only when the export holds them)
        queue.extend((listed, url) for listed in lists["all"] if export.pdfs or ".pdf" not in listed)
    if mimetype in TEXT_TYPES:
        body = _rewrite(export, name, body.decode("utf-8"), queue, CSS_URL if mimetype == "text/css" else LINK)
    elif API.match(url) and url not in API_ROOTS[:1]:  # the OpenAPI document's "url"s are not the site's
        body = _rewrite_json(export, name, json.loads(body), queue)
    target = export.out / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    export.files[url] = target


def _link(export: Export, name: PurePosixPath, url: str, queue: deque, is_form: bool = False) -> str:
    """Where a site URL in the file `name` leads in the export; the URL is queued when it is copied."""
    target = url.split("#", 1)[0]
    if is_form and not SEARCH.match(target):
        # a form other than search (the print builder) needs the server: the public one, or home
        return export.base_url.rstrip("/") + url if export.base_url else relative(name, "/" + name.parts[0] + "/")
    if target.split("?", 1)[0].endswith(".pdf") and not export.pdfs:
        return export.base_url.rstrip("/") + url
    queue.append((target, "/" + str(name)))
    return relative(name, url)


def _rewrite(export: Export, name: PurePosixPath, text: str, queue: deque, pattern: re.Pattern) -> bytes:
    """Relative links in one page or stylesheet; queue every URL it links to."""
    def replace(match: re.Match) -> str:
        url = html.unescape(match["url"])
        if not url.split("#", 1)[0]:
            return match.group(0)
        link = _link(export, name, url, queue, is_form=match["lead"].startswith("action"))
        closing = '"' if pattern is LINK else ""
        return match["lead"] + html.escape(link) + closing
    return pattern.sub(replace, text).encode("utf-8")


def _rewrite_offline_list(export: Export, url: str) -> None:
    """A language's offline list, naming the export's files (only those it has)."""
    target = export.files.get(url)
    if target is None:
        return
    lists = json.loads(target.read_bytes())
    exported = {listed: "/" + str(local_name(listed)) for listed in lists["all"] if listed in export.files}
    for key in ("core", "all"):
        lists[key] = [exported[listed] for listed in lists[key] if listed in exported]
    lists["names"] = {exported[listed]: name for listed, name in lists.get("names", {}).items() if listed in exported}
    if lists.get("offline_page") in exported:
        lists["offline_page"] = exported[lists["offline_page"]]
    target.write_text(json.dumps(lists, ensure_ascii=False), encoding="utf-8")


def _write_language_map(export: Export, codes: list[str]) -> None:
    """`/` -> the reader's language, for nginx (deploy/nginx-static.conf.template includes it): the
    first language of Accept-Language that the export has, script subtags first (zh-Hant)."""
    lines = []
    for code in sorted(codes, key=lambda c: -len(c)):
        language, _, rest = code.partition("-")
        tags = [rest, *REGIONS.get(code, ())] if rest else [""]
        for tag in tags:
            subtag = r"[-_]" + re.escape(tag) if tag else ""
            lines.append(f'    "~*^\\s*{re.escape(language)}{subtag}(?![a-z])" "{code}";')
    # a bare language with several scripts (zh) goes to the first shipped one
    for code in codes:
        language = code.split("-")[0]
        if "-" in code and language not in codes and not any(f'{language}(?!' in line for line in lines):
            lines.append(f'    "~*^\\s*{re.escape(language)}(?![a-z])" "{code}";')
    (export.out / "nginx-languages.map").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _rewrite_json(export: Export, name: PurePosixPath, data, queue: deque) -> bytes:
    """Relative links in one API answer (its `url` and `*_url` values); queue each."""
    def walk(value):
        if isinstance(value, dict):
            return {key: _link(export, name, item, queue)
                    if (key == "url" or key.endswith("_url")) and isinstance(item, str) and item.startswith("/")
                    and not item.startswith("//") else walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value
    return json.dumps(walk(data), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def offline_search(app: Flask, code: str) -> str:
    """The search page of a copy without a server: a clear message, in the reader's language."""
    with app.test_request_context(f"/{code}/search"):
        g.lang_code = code
        return render_template("search_offline.html")


def _write_root(export: Export, languages: list[tuple[str, str, str]]) -> None:
    """index.html at the top: the language list (there is no Accept-Language on a USB stick)."""
    links = "\n".join(f'<li><a href="{code}/index.html" hreflang="{code}" lang="{code}" dir="{direction}">'
                      f"{html.escape(name)}</a></li>" for code, name, direction in languages)
    (export.out / "index.html").write_text(
        '<!doctype html>\n<html lang="en">\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>MAI Guides</title>\n<h1>MAI Guides</h1>\n<ul>\n" + links + "\n</ul>\n</html>\n", encoding="utf-8")
