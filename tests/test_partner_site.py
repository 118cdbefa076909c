"""What docs/partners.md promises a partner's web page, in Chromium: a page on another origin reads the
API with fetch() (CORS), revalidates with the ETag it can read, and frames a card's PDF, while our
pages refuse to be framed."""
from __future__ import annotations

import http.server
import threading

import pytest

PAGE = """<!doctype html><meta charset="utf-8"><title>Partner</title>
<ul id="guides"></ul><p id="revalidated"></p>
<iframe id="card" src="{api}/es/cards/ice-encounters.pdf"></iframe>
<iframe id="page" src="{api}/es/"></iframe>
<script src="partner.js"></script>"""
SCRIPT = """
const api = "{api}";
async function show() {{
  const first = await fetch(api + "/api/v1/es/guides.json");
  const data = await first.json();
  for (const guide of data.guides) {{
    const item = document.createElement("li");
    item.textContent = guide.title;
    document.getElementById("guides").append(item);
  }}
  const again = await fetch(api + "/api/v1/es/guides.json",
                            {{headers: {{"If-None-Match": first.headers.get("ETag")}}, cache: "no-store"}});
  document.getElementById("revalidated").textContent = String(again.status);
}}
show().catch(error => {{ document.getElementById("revalidated").textContent = "error " + error; }});
"""


@pytest.fixture()
def partner(server):
    """A partner's site on another origin (another port), with a page and its script."""
    api = server[0]
    files = {"/index.html": PAGE.format(api=api), "/partner.js": SCRIPT.format(api=api)}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = files.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/javascript" if self.path.endswith(".js") else "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):
            pass
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{site.server_address[1]}"
    site.shutdown()


def test_a_partners_page_reads_the_api_and_frames_a_card(browser, partner):
    context = browser.new_context()
    try:
        page = context.new_page()
        refused = []
        page.on("console", lambda message: refused.append(message.text) if "frame-ancestors" in message.text else None)
        with page.expect_response(lambda response: response.url.endswith(".pdf"), timeout=60_000) as pdf:
            page.goto(partner + "/index.html")
        assert pdf.value.status == 200
        page.wait_for_function("document.getElementById('revalidated').textContent !== ''", timeout=60_000)
        assert page.inner_text("#revalidated") == "304"  # the ETag was readable, the preflight answered
        titles = page.locator("#guides li").all_inner_texts()
        assert len(titles) == 2 and all(titles)
        page.wait_for_timeout(2000)
        # two frames, one refusal: the page (/es/, frame-ancestors 'none'); the card's PDF is shown
        assert len(refused) == 1 and "frame-ancestors 'none'" in refused[0], refused
    finally:
        context.close()
