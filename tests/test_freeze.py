"""`flask mai freeze DIR`: a static copy of the site that works from any static host and from disk."""
from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from support import LOCALES, PUBLIC_URL, copy_app, keep_only_locales
from translated import translated

from mai_guides.builder.freeze import local_name, relative

pytestmark = pytest.mark.slow  # starts gunicorn or nginx, or builds in a subprocess

LOOPBACK = re.compile(r"https?://(?:127\.\d+\.\d+\.\d+|localhost|\[::1\])", re.I)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


@pytest.fixture(scope="module")
def export(built, tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "site"
    result = built.test_cli_runner().invoke(args=["mai", "freeze", "--no-pdfs", str(out)])
    assert result.exit_code == 0, result.output
    return out


def links(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".css":
        return CSS_URL.findall(text)
    soup = BeautifulSoup(text, "html.parser")
    return [tag.get(attr) for attr in ("href", "src", "action") for tag in soup.find_all(attrs={attr: True})]


def broken_links(out: Path) -> list[str]:
    """Every link of every page and stylesheet that does not lead to a file of the export."""
    broken = []
    for path in [*out.rglob("*.html"), *out.rglob("*.css")]:
        for link in links(path):
            parts = urlsplit(link)
            if parts.scheme in ("https", "mailto", "tel") or link.startswith("#"):
                continue
            if parts.scheme or link.startswith("/"):  # root-relative or http: breaks on file://
                broken.append(f"{path.relative_to(out)}: {link}")
            elif not (path.parent / unquote(parts.path)).resolve().is_file():
                broken.append(f"{path.relative_to(out)}: {link}")
    return broken


def test_the_export_has_every_locale_and_no_broken_link(export):
    for code in LOCALES:
        for page in ("index.html", "guides/ice-encounters.html", "news/index.html", "about.html", "search.html"):
            assert (export / code / page).is_file(), f"{code}/{page}"
    assert (export / "index.html").is_file()
    assert broken_links(export) == []


def test_the_export_has_no_loopback_address(export):
    for path in export.rglob("*"):
        if path.is_file():
            assert not LOOPBACK.search(path.read_bytes().decode("utf-8", "replace")), path


def test_pdfs_link_to_the_public_site_with_no_pdfs(export):
    soup = BeautifulSoup((export / "es" / "guides" / "ice-encounters.html").read_text(), "html.parser")
    pdfs = [a["href"] for a in soup.find_all("a", href=True) if ".pdf" in a["href"]]
    assert pdfs and all(href.startswith(PUBLIC_URL + "/es/") for href in pdfs)


def test_search_says_clearly_that_it_needs_the_online_site(export):
    page = BeautifulSoup((export / "en" / "search.html").read_text(), "html.parser")
    assert "Search does not work in this copy of the site" in page.find(class_="notice").get_text()
    form = BeautifulSoup((export / "es" / "index.html").read_text(), "html.parser").find("form", class_="search")
    assert form["action"] == "search.html"  # a search typed on disk lands on the page that explains
    assert BeautifulSoup((export / "ar" / "search.html").read_text(), "html.parser").html["dir"] == "rtl"


def test_the_export_opens_from_disk_in_a_browser(export, phone):
    phone.goto((export / "es" / "guides" / "ice-encounters.html").as_uri())
    # style.css, loaded from disk through its relative link, makes the quick exit a sticky header's button
    assert phone.evaluate("getComputedStyle(document.querySelector('header.site')).position") == "sticky"
    phone.click("nav a[href$='search.html']")
    notice = translated("es", "messages", "Search does not work in this copy of the site, because it has no server. "
                                          "Every guide is listed on the home page.")
    assert notice in phone.inner_text("main")
    assert phone.url.startswith("file://")


def test_pdfs_are_copied_with_file_names_that_work_on_disk(project_copy, monkeypatch, tmp_path):
    """With PDFs: each is saved under a name without a query string, and every link leads to it."""
    keep_only_locales(project_copy, ["en", "es", "ar"])  # names and links are made alike in every locale
    app = copy_app(project_copy, MAI_BASE_URL="")
    assert app.test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"]).exit_code == 0
    # a stand-in PDF per document: this test is about names and links, test_pdfs.py about PDFs
    monkeypatch.setattr("mai_guides.web.pdfs.render_spec",
                        lambda spec: f"%PDF-1.7 {spec.kind} {spec.locale} {spec.paper}".encode())
    out = tmp_path / "site"
    result = app.test_cli_runner().invoke(args=["mai", "freeze", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "es" / "guides" / "ice-encounters.pdf").read_bytes().startswith(b"%PDF-1.7 handout es letter")
    assert (out / "es" / "guides" / "ice-encounters.paper-a4.pdf").read_bytes().endswith(b"handout es a4")
    assert broken_links(out) == []


def test_local_names_and_relative_links():
    assert str(local_name("/es/")) == "es/index.html"
    assert str(local_name("/es/guides/x")) == "es/guides/x.html"
    assert str(local_name("/es/guides/x.pdf?paper=a4")) == "es/guides/x.paper-a4.pdf"
    assert relative(local_name("/es/guides/x"), "/es/news/#top") == "../news/index.html#top"
    assert relative(local_name("/es/"), "/static/style.css?v=1") == "../static/style.v-1.css"


def test_nginx_serves_the_export_with_every_link_working(export, tmp_path):
    """Crawl the export over HTTP from nginx (deploy/nginx-static.conf.template): every link answers."""
    import static_nginx

    from mai_guides.web.security import HEADERS

    process, base = static_nginx.start(export, tmp_path / "nginx")
    try:
        seen, queue, failures = set(), ["/", "/es/guides/ice-encounters", "/es/search?q=lawyer"], []
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            try:
                with urllib.request.urlopen(base + url, timeout=10) as response:
                    body, headers = response.read(), response.headers
                    url = urlsplit(response.geturl()).path  # after a redirect, links are relative to it
            except urllib.error.HTTPError as error:
                failures.append(f"{url}: {error.code}")
                continue
            for name, value in HEADERS.items():
                assert headers[name] == value, (url, name)
            if headers.get_content_type() == "text/html":
                for link in _html_links(body.decode()):
                    target = urljoin(url, link)
                    if not urlsplit(target).scheme:
                        queue.append(urlsplit(target).path)
        assert failures == [] and len(seen) > 300
        # the API and the feeds, each with its type; the API readable by any site, as from the app
        for url, kind in (("/api/v1/locales.json", "application/json"), ("/api/v1/es/guides/ice-encounters.json",
                                                                          "application/json"),
                          ("/es/feed.atom", "application/atom+xml")):
            with urllib.request.urlopen(base + url, timeout=10) as response:
                assert response.headers.get_content_type() == kind, url
                assert (response.headers["Access-Control-Allow-Origin"] == "*") == url.startswith("/api/"), url
                for name, value in HEADERS.items():
                    assert response.headers[name] == value, (url, name)
        with urllib.request.urlopen(base + "/es/search?q=lawyer", timeout=10) as response:
            notice = BeautifulSoup(response.read().decode(), "html.parser").select_one("main .notice")
            assert notice is not None and notice["role"] == "status"  # the Spanish "search needs the site"
    finally:
        static_nginx.stop(process)


def _html_links(text: str) -> list[str]:
    soup = BeautifulSoup(text, "html.parser")
    return [tag.get(attr).split("#")[0] for attr in ("href", "src") for tag in soup.find_all(attrs={attr: True})
            if tag.get(attr).split("#")[0] and not urlsplit(tag.get(attr)).scheme]


def test_every_exported_page_is_rendered_in_its_own_language(export):
    """The crawl must not share one request's state (its date locale) with the next page."""
    spanish = BeautifulSoup((export / "es" / "guides" / "ice-encounters.html").read_text(), "html.parser")
    assert "7 de diciembre de 2026" in spanish.select_one("main .meta").get_text()
    english = BeautifulSoup((export / "en" / "guides" / "ice-encounters.html").read_text(), "html.parser")
    assert "December 7, 2026" in english.select_one("main .meta").get_text()


def test_every_address_in_the_offline_lists_is_a_file_of_the_export(export):
    import json
    for code in LOCALES:
        lists = json.loads((export / code / "offline.json").read_text())
        missing = [url for url in lists["all"] if not (export / local_name(url).as_posix().lstrip("/")).is_file()]
        assert missing == [] and lists["core"] and lists["offline_page"] == f"/{code}/offline.html", code


def test_nginx_for_the_export_sends_readers_to_their_language_and_keeps_search_private(export, tmp_path):
    import static_nginx
    process, base = static_nginx.start(export, tmp_path / "nginx")
    try:
        opener = urllib.request.build_opener(NoRedirect)
        for accept, expected in [("ar,en;q=0.5", "/ar/"), ("zh-Hant-TW", "/zh-Hant/"), ("zh-CN,zh", "/zh-Hans/"),
                                 ("pt-BR", "/pt/"), ("xx", "/en/"), ("", "/en/")]:
            try:
                opener.open(urllib.request.Request(base + "/", headers={"Accept-Language": accept}), timeout=10)
                raise AssertionError("no redirect")
            except urllib.error.HTTPError as answer:
                assert answer.code == 302 and answer.headers["Location"].endswith(expected), (accept, answer.headers)
        with urllib.request.urlopen(base + "/es/search?q=abogado", timeout=10) as response:
            assert response.headers["Cache-Control"] == "no-store"
    finally:
        static_nginx.stop(process)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_a4_documents_are_files_of_their_own(project_copy, tmp_path):
    """With PDFs: ?paper=a4 through the export's nginx is the A4 file, not the Letter one."""
    import static_nginx
    keep_only_locales(project_copy, ["en"])
    app = copy_app(project_copy, MAI_BASE_URL=PUBLIC_URL)
    assert app.test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"]).exit_code == 0
    out = tmp_path / "site"
    assert app.test_cli_runner().invoke(args=["mai", "freeze", str(out)]).exit_code == 0
    assert (out / "en" / "guides" / "ice-encounters.paper-a4.pdf").is_file()
    process, base = static_nginx.start(out, tmp_path / "nginx")
    try:
        with urllib.request.urlopen(base + "/en/guides/ice-encounters.pdf?paper=a4", timeout=10) as a4:
            assert a4.read() == (out / "en" / "guides" / "ice-encounters.paper-a4.pdf").read_bytes()
        with urllib.request.urlopen(base + "/en/guides/ice-encounters.pdf", timeout=10) as letter:
            assert letter.read() == (out / "en" / "guides" / "ice-encounters.pdf").read_bytes()
    finally:
        static_nginx.stop(process)


def test_the_export_served_by_nginx_works_offline_after_one_visit(export, tmp_path, browser):
    """As the live site: after one visit every link on the saved pages opens with no connection,
    and what is not saved shows the export's own offline page, never the browser's error."""
    import static_nginx
    from browser import new_phone_page
    process, base = static_nginx.start(export, tmp_path / "nginx")
    try:
        with new_phone_page(browser) as page:
            page.goto(base + "/es/guides/ice-encounters")
            for _ in range(300):
                if page.evaluate("""() => caches.keys().then(async names => { for (const n of names)
                        if (await (await caches.open(n)).match('/__mai/saved/es/core')) return true; return false; })"""):
                    break
                page.wait_for_timeout(100)
            else:
                raise AssertionError("the Spanish pages were not saved")
            links = set()
            for path in ("/es/index.html", "/es/guides/ice-encounters.html", "/es/news/index.html"):
                page.goto(base + path)
                links |= set(page.evaluate("""base => [...document.querySelectorAll('a[href]')].map(a => a.href)
                    .filter(h => h.startsWith(base + '/es/') && !h.includes('.pdf')).map(h => h.split('#')[0])""", base))
            page.context.set_offline(True)
            errors = []
            try:
                for url in sorted(links | {base + "/es/print.html", base + "/fr/index.html"}):
                    try:
                        page.goto(url)
                    except Exception as exc:  # the browser's own error page
                        errors.append(f"{url}: {exc.__class__.__name__}")
                        continue
                    if not page.locator("header.site .quick-exit").count():
                        errors.append(url)
            finally:
                page.context.set_offline(False)
            assert errors == [] and len(links) > 10
    finally:
        static_nginx.stop(process)


def _urls(value, key=""):
    """Every (key, value) of an API answer whose key names a link."""
    if isinstance(value, dict):
        return [pair for k, item in value.items() for pair in _urls(item, k)]
    if isinstance(value, list):
        return [pair for item in value for pair in _urls(item, key)]
    return [(key, value)] if (key == "url" or key.endswith("_url")) and isinstance(value, str) else []


def test_the_export_holds_the_api_with_links_that_lead_to_its_files(export):
    """A partner can mirror the API: every answer is a file, and its links lead to files of the copy
    (PDFs, not copied with --no-pdfs, to the public site; sources to their own sites)."""
    import json

    files = sorted((export / "api" / "v1").rglob("*.json"))
    assert len(files) == 2 + len(LOCALES) * (3 + 2 + 7)  # openapi, locales; per language 3 lists, 2 guides, 7 posts
    assert json.loads((export / "api" / "v1" / "openapi.json").read_text())["openapi"].startswith("3.1")
    broken = []
    for path in files:
        if path.name == "openapi.json":
            continue
        for key, link in _urls(json.loads(path.read_text(encoding="utf-8"))):
            if link.startswith(PUBLIC_URL + "/") and ".pdf" in link or key == "url" and link.startswith("https://"):
                continue
            target = (path.parent / unquote(urlsplit(link).path)).resolve()
            if link.startswith(("/", "http")) or not target.is_file():
                broken.append(f"{path.relative_to(export)}: {key} {link}")
    assert broken == []


def test_the_export_holds_each_languages_feed(export):
    import feedparser

    for code in LOCALES:
        parsed = feedparser.parse((export / code / "feed.atom").read_bytes())
        assert parsed.bozo == 0 and len(parsed.entries) == 7, code


def test_the_export_speaks_and_nginx_serves_its_audio_as_audio(export, tmp_path):
    """Speak for me works from a static copy: each language's speak pages and every phrase they
    play are exported, and nginx sends the phrases with types a browser will play."""
    import static_nginx

    for code in LOCALES:
        page = export / code / "speak" / "ice-encounters.html"
        assert page.is_file(), code
    doc = BeautifulSoup((export / "en" / "speak" / "ice-encounters.html").read_text(), "html.parser")
    sources = [source["src"] for source in doc.select("audio source")]
    assert len(sources) >= 30 and all((export / "en" / "speak" / src).resolve().is_file() for src in sources)
    process, base = static_nginx.start(export, tmp_path / "nginx")
    try:
        for src, kind in zip(sources[:2], ("audio/ogg", "audio/mpeg"), strict=True):
            url = urljoin(base + "/en/speak/ice-encounters", src)
            with urllib.request.urlopen(url, timeout=10) as response:
                assert response.headers.get_content_type() == kind, (url, response.headers.get_content_type())
                head = response.read(3)
            assert head == b"Ogg" if kind == "audio/ogg" else head == b"ID3" or head[0] == 0xFF, (url, head)
    finally:
        static_nginx.stop(process)
