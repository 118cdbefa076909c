"""Fallbacks are honest: the notice names the language actually shown, and titles, summaries and
contents entries that fall back are marked (lang, dir, class) like paragraphs are."""
from __future__ import annotations

import re
import subprocess

from babel.dates import format_date
from support import copy_app, html, keep_only_locales, po_file

from mai_guides.registry import load_registry, registry_file


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["mai", *args])
    assert result.exit_code == 0, result.output
    return result


def untranslate(path, msgid: str) -> None:
    text = path.read_text()
    pattern = re.compile(rf'^(msgid "{re.escape(msgid)}"\n)msgstr ".*"$', re.M)
    assert pattern.search(text), msgid
    path.write_text(pattern.sub(lambda m: m[1] + 'msgstr ""', text, count=1))


def test_mam_falls_back_to_spanish_and_says_so(project_copy):
    app = copy_app(project_copy)
    run(app, "locale", "add", "mam", "--name", "Qyol Mam", "--english-name", "Mam", "--fallback", "es",
        "--plural", "nplurals=1; plural=0;", "--date-locale", "es")
    info = load_registry(registry_file(project_copy / "translations"))["mam"]
    assert info.babel == "es"
    for domain in ("messages", "content"):  # the new catalogs are valid for GNU gettext
        checked = subprocess.run(["msgfmt", "--check", "--check-format", "-o", "/dev/null",
                                  str(po_file(project_copy, "mam", domain))], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
    run(app, "build", "--no-pdfs")
    client = copy_app(project_copy).test_client()
    doc = html(client.get("/mam/guides/ice-encounters"))
    note = doc.select_one(".fallback-note").get_text(" ", strip=True)
    assert "English" not in note and "español" in note, note
    assert doc.h1.get("lang") == "es" and "fallback" in doc.h1["class"]
    assert doc.select_one("p.lead [lang='es'].fallback")
    toc = doc.select("nav.toc li")
    assert toc and all(li.select_one("[lang='es'].fallback") for li in toc)
    # the date in the language readers read dates in
    from mai_guides import db
    with client.application.test_request_context("/mam/"):
        reviewed = db.guide("en", "ice-encounters")["last_reviewed"]
    import datetime as dt
    spanish_date = format_date(dt.date.fromisoformat(reviewed), "long", locale="es")
    assert spanish_date in doc.select_one(".meta").get_text(" ", strip=True)


def test_locale_add_refuses_an_unknown_date_locale(project_copy):
    result = copy_app(project_copy).test_cli_runner().invoke(args=[
        "mai", "locale", "add", "mam", "--name", "Qyol Mam", "--english-name", "Mam", "--date-locale", "xx-nope"])
    assert result.exit_code != 0 and "--date-locale" in result.output


def test_a_fallen_back_title_summary_and_heading_are_marked(project_copy):
    app = copy_app(project_copy)
    content = po_file(project_copy, "es", "content")
    untranslate(content, "Know your rights if ICE comes")
    heading = re.search(r'#: content/guides/ice-encounters.md:\d+\nmsgid "(At home)"', content.read_text())
    assert heading, "the 'At home' heading entry"
    untranslate(content, heading[1])
    run(app, "build", "--no-pdfs")
    doc = html(copy_app(project_copy).test_client().get("/es/guides/ice-encounters"))
    assert doc.h1.get("lang") == "en" and doc.h1.get("dir") == "ltr" and "fallback" in doc.h1["class"]
    marked = [li.get_text(strip=True) for li in doc.select("nav.toc li") if li.select_one("[lang='en'].fallback")]
    assert marked == ["At home"]
    assert not doc.select_one("p.lead .fallback")  # the summary is translated: not marked
    note = doc.select_one(".fallback-note").get_text(" ", strip=True)
    assert note  # in Spanish, naming English


def test_fallen_back_titles_on_home_and_news_list_are_marked_like_paragraphs(project_copy):
    """Issue 23 item 5: a guide or news title shown in English on the home page and the news
    list carries lang="en" and the fallback class, and the page says so once, in Spanish."""
    keep_only_locales(project_copy, ["en", "es"])
    app = copy_app(project_copy)
    content = po_file(project_copy, "es", "content")
    untranslate(content, "Know your rights if ICE comes")
    news_title = "Advocates Resist: The Work of United We Dream and Freedom University"
    untranslate(content, news_title)
    assert run(app, "build", "--no-pdfs").exit_code == 0
    client = copy_app(project_copy).test_client()
    for url, title in (("/es/", "Know your rights if ICE comes"), ("/es/", news_title), ("/es/news/", news_title)):
        doc = html(client.get(url))
        marked = [a for a in doc.select("a.fallback") if a.get_text(strip=True) == title]
        assert len(marked) == 1, (url, title)
        assert marked[0]["lang"] == "en" and marked[0]["dir"] == "ltr"
        notes = doc.select(".fallback-note")
        assert len(notes) == 1 and "English" not in notes[0].get_text() and notes[0].get_text(strip=True), url
        assert len(doc.select(".fallback")) == 2 if url == "/es/" else 1
    english = html(client.get("/en/"))
    assert not english.select(".fallback") and not english.select(".fallback-note")
