"""`flask mai news import FILE_OR_URL`: RSS 2.0 and Atom written by other software become posts;
hostile, cut-short or oversized feeds are refused whole, naming why, and nothing is written."""
from __future__ import annotations

import http.server
import threading
import time
from pathlib import Path

import feedparser
import pytest
import yaml
from support import copy_app, html, keep_only_locales

from mai_guides.builder.content import load_news
from mai_guides.builder.html_markdown import to_markdown
from mai_guides.builder.markup import parse_blocks, render_inline

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def run(app, *args):
    return app.test_cli_runner().invoke(args=["mai", "news", "import", *map(str, args)])


def news_files(project: Path) -> dict[str, bytes]:
    """Every file in content/news, hidden ones too (a temporary file left behind would show)."""
    return {path.name: path.read_bytes() for path in sorted((project / "content" / "news").iterdir())}


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text().split("---\n")[1])


@pytest.fixture()
def project(project_copy):
    keep_only_locales(project_copy, ["en", "es", "ar"])
    return project_copy


def test_feeds_written_by_wordpress_jekyll_and_mastodon_import_and_build(project):
    app = copy_app(project)
    for name in ("wordpress-rss2.xml", "jekyll-feed-atom.xml", "mastodon-rss.xml"):
        result = run(app, FEEDS / name)
        assert result.exit_code == 0, result.output
    news = project / "content" / "news"
    hotline = front(news / "hotline-volunteers-trained-in-3-counties-what-we-learned.md")
    assert hotline["title"] == "Hotline volunteers trained in 3 counties – what we learned"
    assert hotline["author"] == "Maria Lopez" and hotline["source_name"] == "Valley Rapid Response Network"
    assert hotline["source"] == "https://rrn.example.org/2025/03/hotline-volunteers-trained/"
    assert str(hotline["date"]) == "2025-03-04 17:30:00+00:00" and hotline["year"] == 2025
    assert hotline["tags"] == ["rapid-response", "training"]
    assert hotline["guides"] == ["ice-encounters", "reporting-ice-activity"]
    clinic = front(news / "free-legal-clinic-every-tuesday.md")
    assert str(clinic["date"]) == "2025-01-20 15:15:00+00:00"  # 10:15 at -05:00, kept in UTC
    body = (news / "free-legal-clinic-every-tuesday.md").read_text()
    assert "[the checklist](https://library.example.net/clinic/checklist.html)" in body  # made absolute
    toot = front(news / "reminder-schools-are-not-required-to-ask-about-immigration.md")
    assert toot["title"] == "Reminder: schools are not required to ask about immigration status."  # no <title>

    assert app.test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"]).exit_code == 0
    client = app.test_client()
    page = html(client.get("/en/news/hotline-volunteers-trained-in-3-counties-what-we-learned"))
    assert "From Valley Rapid Response Network, March 4, 2025" in page.select_one(".meta").get_text()
    assert "By Maria Lopez" in page.select_one(".meta").get_text()
    assert page.select_one(".original a")["href"] == hotline["source"]
    assert page.select_one(".prose h3").get_text() == "Verify before you share"
    assert not page.select(".prose img")  # images are never fetched from other sites
    listed = html(client.get("/en/news/")).select("main h2 a")
    assert listed[0].get_text() == "Reminder: schools are not required to ask about immigration status."  # newest
    entries = feedparser.parse(client.get("/en/feed.atom").data).entries
    hotline_entry = next(e for e in entries if e.title.startswith("Hotline"))
    assert hotline_entry.published.startswith("2025-03-04T17:30:00")
    assert hotline_entry.author == "Maria Lopez"
    assert [link.href for link in hotline_entry.links if link.rel == "via"] == [hotline["source"]]
    spanish = client.get("/api/v1/es/news/hotline-volunteers-trained-in-3-counties-what-we-learned.json").get_json()
    assert spanish["title_lang"] == "en" and spanish["source"] == hotline["source"]  # not translated yet


def test_importing_again_skips_what_was_imported_and_replace_rewrites_it(project):
    app = copy_app(project)
    assert run(app, FEEDS / "wordpress-rss2.xml").exit_code == 0
    before = news_files(project)
    again = run(app, FEEDS / "wordpress-rss2.xml")
    assert again.exit_code == 0 and "2 skipped" in again.output and news_files(project) == before
    post = project / "content" / "news" / "know-your-rights-night-at-the-library.md"
    post.write_text(post.read_text().replace("Sixty people", "Edited by hand"))
    replaced = run(app, FEEDS / "wordpress-rss2.xml", "--replace")
    assert replaced.exit_code == 0 and "(replaced)" in replaced.output
    assert "Sixty people" in post.read_text()


def test_a_different_post_with_the_same_name_is_never_overwritten(project):
    app = copy_app(project)
    taken = project / "content" / "news" / "know-your-rights-night-at-the-library.md"
    taken.write_text("---\ntitle: Ours\nsummary: Ours.\nyear: 2024\ntags: [x]\nguides: [ice-encounters]\n---\n\nOurs.\n")
    result = run(app, FEEDS / "wordpress-rss2.xml")
    assert result.exit_code == 0 and "know-your-rights-night-at-the-library-2.md" in result.output
    assert "Ours." in taken.read_text()
    assert front(taken.with_name("know-your-rights-night-at-the-library-2.md"))["title"] == \
        "Know-your-rights night at the library"


def test_dry_run_and_guide_choice(project):
    app = copy_app(project)
    before = news_files(project)
    result = run(app, FEEDS / "jekyll-feed-atom.xml", "--dry-run", "--guide", "ice-encounters")
    assert result.exit_code == 0 and "Would write" in result.output and news_files(project) == before
    assert run(app, FEEDS / "jekyll-feed-atom.xml", "--guide", "no-such-guide").exit_code != 0
    assert run(app, FEEDS / "jekyll-feed-atom.xml", "--guide", "ice-encounters").exit_code == 0
    assert front(project / "content" / "news" / "family-preparedness-workshop.md")["guides"] == ["ice-encounters"]


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Partner</title><link>https://partner.example/</link>{items}</channel></rss>"""
ITEM = ("<item><title>{title}</title><link>https://partner.example/{n}</link>"
        "<pubDate>Tue, 04 Mar 2025 17:30:00 +0000</pubDate><description>{body}</description></item>")


def feed_file(tmp_path: Path, text: str | bytes, name: str = "feed.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def item(n: int = 1, title: str = "A post", body: str = "Some &lt;b&gt;text&lt;/b&gt;.") -> str:
    return ITEM.format(n=n, title=title, body=body)


BOMB = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>
<rss version="2.0"><channel><title>&f;</title><item><title>&f;</title><link>https://x.example/</link></item></channel></rss>"""
XXE = """<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t</title><item><title>&secret;</title><link>https://x.example/</link>
<pubDate>Tue, 04 Mar 2025 17:30:00 +0000</pubDate></item></channel></rss>"""


@pytest.mark.parametrize("text, says", [
    (RSS.format(items=item(1) + item(2))[:-60], "not well-formed XML (unclosed token): the feed is cut short"),
    (BOMB, "declares XML entities"),
    (XXE, "declares XML entities"),
    (RSS.format(items=item(1, "Caf&eacute; &nbsp;")), "not well-formed XML (undefined entity)"),
    ("<!doctype html><html><body><p>Not a feed</p></body></html>", "not well-formed XML"),
    ("<?xml version='1.0'?><html><body/></html>", "not an RSS or Atom feed"),
    (RSS.format(items=item(1, "x" * 301)), "a title is at most 300"),
    (RSS.format(items=item(1, "x" * 5000)), "refused"),
    (RSS.format(items=item(1, body="&lt;p&gt;" + "word " * 60_000 + "&lt;/p&gt;")), "posts are limited to 262,144"),
    (RSS.format(items="".join(item(n) for n in range(501))), "at most 500"),
    (RSS.format(items=item(1).replace("<pubDate>Tue, 04 Mar 2025 17:30:00 +0000</pubDate>", "")), "has no date"),
    (RSS.format(items=item(1).replace("https://partner.example/1", "javascript:alert(1)")), "no http(s) link"),
])
def test_hostile_or_broken_feeds_are_refused_whole_and_write_nothing(project, tmp_path, text, says):
    app = copy_app(project)
    before = news_files(project)
    started = time.monotonic()
    result = run(app, feed_file(tmp_path, text))
    assert result.exit_code != 0 and says in result.output and "Nothing was imported" in result.output, result.output
    assert "Traceback" not in result.output
    assert news_files(project) == before
    assert time.monotonic() - started < 30  # an XML bomb does not expand


def test_a_feed_larger_than_the_limit_is_refused_before_it_is_read(project, tmp_path):
    path = feed_file(tmp_path, RSS.format(items=item(1)).replace("<channel>", "<channel>" + " " * 6_000_000))
    result = run(copy_app(project), path)
    assert result.exit_code != 0 and "a feed is limited to 5,242,880" in result.output


def test_one_bad_entry_imports_nothing(project, tmp_path):
    text = RSS.format(items=item(1, "Good") + item(2, "y" * 400))
    before = news_files(project)
    result = run(copy_app(project), feed_file(tmp_path, text))
    assert result.exit_code != 0 and "entry 2" in result.output and news_files(project) == before


def test_script_in_titles_entities_and_tricks_are_made_harmless(project, tmp_path):
    body = ("&lt;p onclick=&quot;steal()&quot;&gt;Hi &lt;script&gt;steal()&lt;/script&gt;"
            "&lt;img src=&quot;https://tracker.example/p.gif&quot;&gt;&lt;a href=&quot;javascript:steal()&quot;&gt;"
            "click&lt;/a&gt; &lt;a href=&quot;https://ok.example/&quot;&gt;ok&lt;/a&gt; **not bold** [x](y)&lt;/p&gt;"
            "&lt;iframe src=&quot;https://evil.example/&quot;&gt;frame&lt;/iframe&gt;&lt;style&gt;p{}&lt;/style&gt;")
    title = "&lt;script&gt;alert(1)&lt;/script&gt;Tom &amp;amp; Jerry \u202egnp.exe\u202c &lt;b&gt;bold&lt;/b&gt;"
    app = copy_app(project)
    result = run(app, feed_file(tmp_path, RSS.format(items=item(1, title, body))))
    assert result.exit_code == 0, result.output
    path = next((project / "content" / "news").glob("tom-jerry*.md"))
    meta = front(path)
    assert meta["title"] == "Tom & Jerry gnp.exe bold"
    post = load_news(path)
    html_out = "".join(render_inline(s) for b in post.blocks for s in b.segments)
    for gone in ("steal", "script", "tracker.example", "iframe", "evil.example", "frame", "<img", "onclick", "p{}"):
        assert gone not in html_out, gone
    assert '<a href="https://ok.example/"' in html_out and "<strong>" not in html_out
    assert "**not bold** [x](y)" in html_out  # Markdown in the text stays text


def test_what_survives_the_conversion():
    markdown = to_markdown(
        "<h1>Title</h1><p>A <strong>bold</strong> and <em>it</em> <code>x</code> <a href='mailto:a@b.example'>m</a>"
        "</p><ol><li>one</li><li>two <ul><li>nested</li></ul></li></ol><blockquote>quoted</blockquote>"
        "<table><tr><th>a</th><td>b</td></tr></table><p>1. not a list</p><p># not a heading</p><pre>code\nblock</pre>")
    assert markdown == ("## Title {#title}\n\nA **bold** and *it* x [m](mailto:a@b.example)\n\n"
                        "1. one\n2. two\n3. nested\n\nquoted\n\na – b\n\n1\\. not a list\n\n\\# not a heading\n\n"
                        "code block")
    assert [block.kind for block in parse_blocks(markdown)] == ["heading", "paragraph", "ol", "paragraph",
                                                               "paragraph", "paragraph", "paragraph", "paragraph"]


def test_a_failure_while_writing_leaves_no_post_behind(project, monkeypatch):
    from mai_guides.builder import news_import

    app = copy_app(project)
    assert run(app, FEEDS / "jekyll-feed-atom.xml").exit_code == 0
    before = news_files(project)
    real, calls = news_import.atomic_write, []

    def failing(path, data):
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        return real(path, data)
    monkeypatch.setattr(news_import, "atomic_write", failing)
    result = run(app, FEEDS / "wordpress-rss2.xml")  # two new posts: the second write fails
    assert result.exit_code != 0 and "disk full" in result.output and "Nothing was imported" in result.output
    assert news_files(project) == before
    calls.clear()
    (project / "content" / "news" / "family-preparedness-workshop.md").write_text(
        (project / "content" / "news" / "family-preparedness-workshop.md").read_text().replace("five", "5"))
    before = news_files(project)
    result = run(app, FEEDS / "jekyll-feed-atom.xml", "--replace")  # replacing two: the second fails
    assert result.exit_code != 0 and len(calls) == 3  # the first is put back as it was
    assert news_files(project) == before


class FeedServer(http.server.ThreadingHTTPServer):
    """A loopback server for the URL path: what it answers is set per test."""

    daemon_threads = True


def serve(handler_body):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            handler_body(self)

        def log_message(self, *_args):
            pass
    server = FeedServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def test_a_feed_is_read_from_an_address_with_limits(project):
    app = copy_app(project)
    data = (FEEDS / "jekyll-feed-atom.xml").read_bytes()

    def answer(request):
        if request.path == "/feed.xml":
            request.send_response(200)
            request.send_header("Content-Type", "application/atom+xml")
            request.end_headers()
            request.wfile.write(data)
        elif request.path == "/huge":
            request.send_response(200)
            request.end_headers()
            for _ in range(100):
                request.wfile.write(b" " * 65536)  # past 5 MB
        elif request.path == "/slow":
            request.send_response(200)
            request.end_headers()
            for _ in range(40):
                request.wfile.write(b" ")
                request.wfile.flush()
                time.sleep(0.1)
        elif request.path == "/to-file":
            request.send_response(302)
            request.send_header("Location", "ftp://files.example/feed.xml")  # urllib itself refuses file:
            request.end_headers()
        else:
            request.send_error(404)
    server, base = serve(answer)
    try:
        assert run(app, f"{base}/feed.xml").exit_code == 0
        assert (project / "content" / "news" / "free-legal-clinic-every-tuesday.md").is_file()
        before = news_files(project)
        for path, says in (("/huge", "a feed is limited to"), ("/slow", "did not finish within 1 seconds"),
                           ("/to-file", "not an http(s) address"), ("/missing", "answered 404")):
            result = run(app, f"{base}{path}", "--timeout", "1")
            assert result.exit_code != 0 and says in result.output, (path, result.output)
        assert news_files(project) == before
    finally:
        server.shutdown()
