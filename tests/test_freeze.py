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
