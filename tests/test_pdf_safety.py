"""WeasyPrint fetches nothing but our static files: no network, no other files, no redirects."""
from __future__ import annotations

import http.server
import threading

import pytest
from pdfs import embedded_files, text

from mai_guides import ROOT
from mai_guides.builder.markup import render_inline
from mai_guides.pdf.render import StaticOnlyFetcher, render_pdf

pytestmark = pytest.mark.pdf  # renders PDFs and reads them back

STATIC = ROOT / "static"


@pytest.fixture()
def spy_server():
    """A local HTTP server that counts every request it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(302 if self.path == "/redirect" else 200)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def test_hostile_html_makes_no_request_and_embeds_no_file(spy_server):
    base, hits = spy_server
    hostile = f"""<html><head>
      <link rel="stylesheet" href="{base}/style.css">
      <link rel="attachment" href="file:///etc/passwd">
      <style>@import url("{base}/import.css"); body {{ background: url("{base}/bg.png"); }}
             @font-face {{ font-family: x; src: url("{base}/font.woff"); }}</style>
    </head><body>
      <p>Visible text</p>
      <img src="{base}/pixel.png"><img src="file:///etc/passwd"><img src="../../../../etc/passwd">
      <img src="{base}/redirect">
      <a rel="attachment" href="file:///etc/passwd">passwd</a>
      <object data="{base}/object"></object><iframe src="{base}/frame"></iframe>
      <svg><image href="{base}/svg.png"/></svg>
    </body></html>"""
    data = render_pdf(hostile, STATIC)
    assert hits == []
    assert embedded_files(data) == []
    assert b"root:" not in data and "root:" not in text(data)
    assert "Visible text" in text(data)


def test_fetcher_serves_static_files_only():
    fetcher = StaticOnlyFetcher(STATIC)
    assert fetcher.fetch((STATIC / "pdf.css").as_uri()).read().startswith(b"/*")
    for url in ["file:///etc/passwd", (STATIC / ".." / "pyproject.toml").resolve().as_uri(),
                STATIC.as_uri() + "/../pyproject.toml", "http://127.0.0.1/", "https://example.org/x.css",
                "data:text/css,body{}", "ftp://example.org/x", "file://evil.example/etc/passwd"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_our_stylesheet_still_loads():
    data = render_pdf('<html><head><link rel="stylesheet" href="pdf.css"></head>'
                      '<body><div class="face"><h1>Styled</h1></div></body></html>', STATIC)
    assert "Styled" in text(data)


@pytest.mark.parametrize("segment", [
    "<img src=http://127.0.0.1:9/x>", "![x](http://127.0.0.1:9/x.png)", "<script>alert(1)</script>",
    "[click](javascript:alert(1))", '<a rel="attachment" href="file:///etc/passwd">x</a>',
])
def test_translator_markup_cannot_reach_a_page_or_pdf(segment):
    from bs4 import BeautifulSoup
    doc = BeautifulSoup(render_inline(segment), "html.parser")
    assert {tag.name for tag in doc.find_all(True)} <= {"a", "strong", "em", "code", "br"}
    for link in doc.find_all("a"):
        assert link["href"].startswith(("https:", "http:", "mailto:", "tel:"))
        assert set(link.attrs) <= {"href", "rel"}


def test_without_weasyprints_private_tagging_hook_pages_serve_and_pdfs_render(tmp_path):
    """pdf/render.py wraps WeasyPrint's private tags._build_box_tree. A WeasyPrint without it must cost
    per-element languages only: the app starts, pages serve, PDFs render, and one line says why."""
    import subprocess
    import sys

    from mai_guides import ROOT
    script = """
import weasyprint.pdf.tags as tags
renamed = tags._build_box_tree  # as if upstream renamed it: its own code still finds it, ours does not
del tags._build_box_tree
from mai_guides.pdf import render as pdf
tags._build_box_tree = renamed
assert pdf.ELEMENT_LANGS is False
data = pdf.render_pdf('<html lang="ur"><title>t</title><p>سلام <span lang="en">Hello</span></p>', pdf.Path('static'))
import io, pikepdf
document = pikepdf.open(io.BytesIO(data))
assert "/StructTreeRoot" in document.Root  # tagged by WeasyPrint, in one language
from mai_guides import create_app
app = create_app({"TESTING": True})
print("page", app.test_client().get("/healthz").status_code)
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "page" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if "tagged in one language only" in line]
    assert len(warnings) == 1, result.stderr
