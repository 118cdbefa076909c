"""Review per paragraph, on record (issue 23 item 1): `flask mai i18n review` marks entries reviewed
by a named person in a translator comment that GNU gettext keeps; pages, handouts and cards label
each section reviewed or machine draft; /translate/ counts the words; an edit clears the mark.
And the coordinator's page (item 4): sortable by what needs work, each catalog for download."""
from __future__ import annotations

import re
import subprocess

import pytest
from babel.messages.pofile import read_po
from pdfs import text as pdf_text
from support import copy_app, html, keep_only_locales, po_file

from mai_guides import ROOT
from mai_guides.builder import reviews
from mai_guides.builder.catalogs import read_catalog, word_count

GUIDE = "content/guides/ice-encounters.md"
REVIEWER = ("Ana Lopez", "community translator")


def run(app, *args, ok=True):
    result = app.test_cli_runner().invoke(args=["mai", *args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


def review_at_home(project):
    """Spanish only (a quick build); the 'At home' section of the ICE guide marked reviewed."""
    keep_only_locales(project, ["en", "es"])
    app = copy_app(project)
    result = run(app, "i18n", "review", "es", "--by", REVIEWER[0], "--role", REVIEWER[1], "--file", GUIDE,
                 "--section", "at-home", "--date", "2026-12-08")
    assert "entries marked reviewed by Ana Lopez" in result.output
    return app


def section_entries(project):
    """The Spanish entries of the 'At home' section, as the catalog holds them."""
    catalog = read_catalog(po_file(project, "es", "content"))
    from mai_guides.builder.content import load_content
    where = reviews.guide_sections(load_content(project / "content"), project)
    return [m for m in catalog if m.id and (GUIDE, "at-home") in where.get(m.id, set())]


def labels(doc):
    """section anchor -> its review label's class ("reviewed"/"draft") and text."""
    found = {}
    for section in doc.select("section[id]"):
        label = section.select_one(":scope > .review-label")
        if label:
            kind = "reviewed" if "reviewed" in label["class"] else "draft"
            found[section["id"]] = (kind, label.get_text(" ", strip=True))
    return found


def test_a_reviewed_section_is_labelled_on_the_page_and_counted(project_copy):
    app = review_at_home(project_copy)
    entries = section_entries(project_copy)
    assert entries and all(reviews.review_of(m) for m in entries)
    # the mark is an ordinary translator comment: GNU gettext accepts the file
    path = po_file(project_copy, "es", "content")
    assert "# reviewed: Ana Lopez, community translator, 2026-12-08, " in path.read_text()
    subprocess.run(["msgfmt", "--check", "--check-format", "-o", "/dev/null", str(path)], check=True)
    run(app, "build", "--no-pdfs")
    client = copy_app(project_copy).test_client()
    doc = html(client.get("/es/guides/ice-encounters"))
    found = labels(doc)
    assert found["at-home"][0] == "reviewed" and "Ana Lopez" in found["at-home"][1]
    assert "community translator" in found["at-home"][1] and "2026" in found["at-home"][1]
    others = {anchor: kind for anchor, (kind, _text) in found.items() if anchor != "at-home"}
    assert others and set(others.values()) == {"draft"}, others
    # the page still says it is (in parts) a machine draft
    notice = doc.select_one(".notice.unreviewed").get_text(" ", strip=True)
    assert notice and "Ana Lopez" not in notice
    # English has no labels: it is the original
    assert not labels(html(client.get("/en/guides/ice-encounters")))
    # the API says the same, section by section
    sections = {s["anchor"]: s for s in client.get("/api/v1/es/guides/ice-encounters.json").get_json()["sections"]}
    assert sections["at-home"]["review"] == "reviewed"
    assert sections["at-home"]["reviewers"][0] == {"name": "Ana Lopez", "role": "community translator", "date": "2026-12-08"}
    assert {s["review"] for anchor, s in sections.items() if anchor != "at-home"} == {"machine_draft"}
    # /translate/: the reviewed words of that guide, and of the file
    words = sum(word_count(m.id) for m in entries)
    status = html(client.get("/translate/"))
    row = status.select_one("#status-es tr[data-scope='guide:ice-encounters']")
    assert int(row.select_one(".reviewed-words").get_text()) == words
    assert int(row.select_one(".draft-words").get_text()) > 0
    content_row = status.select_one("#status-es tr[data-scope='content']")
    assert int(content_row.select_one(".reviewed-words").get_text()) == words
    share = status.select_one("#status-es .reviewed-share").get_text(" ", strip=True)
    assert re.search(r"\b[1-9]\d?\s*%", share), share


def test_an_edit_clears_the_mark_and_update_drops_it(project_copy):
    app = review_at_home(project_copy)
    path = po_file(project_copy, "es", "content")
    entry = section_entries(project_copy)[1]
    text = path.read_text()
    old = f'msgstr "{entry.string}"'
    assert text.count(old) == 1
    path.write_text(text.replace(old, f'msgstr "{entry.string} (editado)"'))  # a translator edits it in Poedit
    # i18n check says so, at the entry, before anything is built
    checked = app.test_cli_runner().invoke(args=["mai", "i18n", "check"])
    found = re.findall(r"content\.po:(\d+): warning: this entry changed since a person marked it", checked.output)
    assert checked.exit_code == 0 and len(found) == 1, checked.output
    edited_lines = path.read_text().splitlines()[int(found[0]) - 1:]
    assert edited_lines[0].startswith("msgid") and "(editado)" in "".join(edited_lines[:12])
    run(app, "build", "--no-pdfs")
    doc = html(copy_app(project_copy).test_client().get("/es/guides/ice-encounters"))
    # no section is wholly checked now: no "checked" label, and the notice calls the page a machine draft
    assert "reviewed" not in {kind for kind, _text in labels(doc).values()}
    from translated import translated
    whole = translated("es", "messages", "This translation is a machine draft. A person has not checked it yet.")
    assert whole in doc.select_one(".notice.unreviewed").get_text(" ", strip=True)
    run(app, "i18n", "update")
    edited = [m for m in read_catalog(path) if m.id == entry.id][0]
    assert not [c for c in edited.user_comments if c.startswith("reviewed:")]
    assert len([m for m in section_entries(project_copy) if reviews.review_of(m)]) == len(section_entries(project_copy)) - 1
    # an edit of the English turns the entry fuzzy and drops its mark too
    other = section_entries(project_copy)[2]
    source = project_copy / GUIDE
    assert source.read_text().count(other.id) == 1
    source.write_text(source.read_text().replace(other.id, other.id.rstrip(".") + " today."))
    run(app, "i18n", "update")
    changed = [m for m in read_catalog(path) if m.previous_id == [other.id]][0]
    assert changed.fuzzy and not [c for c in changed.user_comments if c.startswith("reviewed:")]


def test_marks_survive_gnu_msgmerge_and_msgcat(tmp_path):
    """What Weblate's and Poedit's update (GNU msgmerge) and a plain rewrite (msgcat) do to the file."""
    po = tmp_path / "es.po"
    po.write_bytes(po_file(ROOT, "es", "content").read_bytes())
    from mai_guides.builder.catalogs import write_catalog
    catalog = read_catalog(po)
    first = next(m for m in catalog if m.id and m.string)
    assert reviews.mark(first, "Ana Lopez", "community translator", "2026-12-08")
    write_catalog(po, catalog)
    for command in (["msgmerge", "--quiet", "--no-wrap", "-o", str(po), str(po), str(ROOT / "translations/content.pot")],
                    ["msgcat", "--no-wrap", "-o", str(po), str(po)]):
        subprocess.run(command, check=True)
        with po.open("rb") as handle:
            again = {m.id: m for m in read_po(handle)}
        assert reviews.review_of(again[first.id]) == reviews.Review("Ana Lopez", "community translator", "2026-12-08")


def test_the_command_needs_a_selector_and_a_plain_name(project_copy):
    keep_only_locales(project_copy, ["en", "es"])
    app = copy_app(project_copy)
    before = po_file(project_copy, "es", "content").read_bytes()
    assert "--all" in run(app, "i18n", "review", "es", "--by", "Ana", "--role", "x", ok=False).output
    result = run(app, "i18n", "review", "es", "--by", "Lopez, Ana", "--role", "x", "--all", ok=False)
    assert result.exit_code != 0 and "comma" in result.output
    assert run(app, "i18n", "review", "xx", "--by", "Ana", "--role", "x", "--all", ok=False).exit_code != 0
    assert po_file(project_copy, "es", "content").read_bytes() == before
    # one entry by its English
    msgid = "Know your rights if ICE comes"
    result = run(app, "i18n", "review", "es", "--by", "Ana", "--role", "translator", "--msgid", msgid)
    assert ": 1 entries marked" in result.output


def test_catalogs_download_byte_for_byte(client):
    for code, domain in (("es", "content"), ("ar", "messages"), ("zh-Hans", "content")):
        response = client.get(f"/translate/{code}/{domain}.po")
        assert response.status_code == 200
        assert response.get_data() == po_file(ROOT, code, domain).read_bytes()
        assert response.headers["Content-Type"] == "text/x-gettext-translation; charset=utf-8"
        assert response.headers["Content-Disposition"] == f'attachment; filename="mai-guides-{code}-{domain}.po"'
    assert client.get("/translate/en/content.po").status_code == 404  # English is the source
    assert client.get("/translate/xx/content.po").status_code == 404
    assert client.get("/translate/es/other.po").status_code == 404
    page = html(client.get("/translate/"))
    links = {a["href"] for a in page.select("#status-es .downloads a")}
    assert links == {"/translate/es/messages.po", "/translate/es/content.po"}


def test_the_translating_guide_is_linked(client):
    page = html(client.get("/translate/"))
    link = page.select_one("a[href='/translate/docs/translating.md']")
    assert link is not None
    response = client.get(link["href"])
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == (ROOT / "docs/translating.md").read_text()


def _order(client, sort):
    page = html(client.get(f"/translate/?sort={sort}" if sort else "/translate/"))
    return [li["id"].removeprefix("status-") for li in page.select("li.locale-status")], page


@pytest.mark.parametrize("sort", ["work", "reviewed", "changed", "language"])
def test_the_languages_sort_on_the_server(client, sort):
    from mai_guides import db
    from mai_guides.web.translation_status import summary
    with client.application.test_request_context("/translate/"):
        summaries = {code: summary(scopes) for code, scopes in db.translation_status().items()}
        names = {row["code"]: row["english_name"] for row in db.locale_rows()}
    codes, page = _order(client, sort)
    assert codes[-1] == "en" and sorted(codes) == sorted(summaries)
    if sort == "work":
        values = [summaries[c]["needs_work"] for c in codes[:-1]]
        assert values == sorted(values, reverse=True) and values[0] > 0
    elif sort == "reviewed":
        values = [summaries[c]["reviewed_share"] for c in codes[:-1]]
        assert values == sorted(values, reverse=True)
    elif sort == "changed":
        values = [summaries[c]["last_change"] or "" for c in codes[:-1]]
        assert values == sorted(values, reverse=True)
    else:
        assert [names[c] for c in codes[:-1]] == sorted((names[c] for c in codes[:-1]), key=str.casefold)
    assert page.select_one(f"nav.sort a[aria-current='page'][href='/translate/?sort={sort}']")
    # every figure is on the page itself, without JavaScript
    assert page.select_one("#status-es .needs-work")


def test_an_unknown_sort_is_a_clear_400(client):
    assert client.get("/translate/?sort=bogus").status_code == 400
    assert _order(client, None)[0][0] == "en"  # the default keeps the registry's order


@pytest.mark.pdf
def test_the_handout_and_the_card_label_what_a_person_checked(project_copy):
    from translated import translated
    app = review_at_home(project_copy)
    run(app, "i18n", "review", "es", "--by", "Ana Lopez", "--role", "community translator",
        "--file", "content/cards/ice-encounters.yaml")
    run(app, "build", "--no-pdfs")
    client = copy_app(project_copy).test_client()
    handout = " ".join(pdf_text(client.get("/es/guides/ice-encounters.pdf").get_data()).split())
    assert "Ana Lopez (community translator" in handout
    draft_label = translated("es", "messages", "Machine draft: a person has not checked this section yet.")
    assert handout.count(draft_label) >= 5  # every other section
    partly = translated("es", "messages", "Parts of this translation are machine drafts that a person has not "
                                          "checked yet. Each section says whether a person checked it.")
    assert partly in handout
    checked = translated("es", "messages", "Checked by a person")
    draft_mark = translated("es", "messages", "Machine draft, not yet checked")
    card = " ".join(pdf_text(client.get("/es/cards/ice-encounters.pdf").get_data()).split())
    assert checked in card and draft_mark not in card
    other = " ".join(pdf_text(client.get("/es/cards/reporting-ice-activity.pdf").get_data()).split())
    assert draft_mark in other and checked not in other


def test_a_locale_is_called_reviewed_only_when_a_person_marked_all_of_it(project_copy):
    keep_only_locales(project_copy, ["en", "es"])
    registry = project_copy / "translations/locales.toml"
    text = registry.read_text()
    assert '[es]\nname = "Español"\nenglish_name = "Spanish"\ndir = "ltr"\nreviewed = false' in text
    registry.write_text(text.replace('dir = "ltr"\nreviewed = false', 'dir = "ltr"\nreviewed = true\nlast_reviewed = "2026-12-08"', 1))
    app = copy_app(project_copy)
    refused = run(app, "build", "--no-pdfs", ok=False)
    assert refused.exit_code != 0 and "[es] says reviewed = true" in refused.output
    assert "i18n review es" in refused.output
    for domain in ("content", "messages"):
        run(app, "i18n", "review", "es", "--by", "Ana Lopez", "--role", "translator", "--all", "--domain", domain)
    run(app, "build", "--no-pdfs")
    doc = html(copy_app(project_copy).test_client().get("/es/guides/ice-encounters"))
    assert not doc.select(".notice.unreviewed")
    assert {kind for kind, _text in labels(doc).values()} == {"reviewed"}


def test_with_nothing_checked_the_page_notice_speaks_for_every_section(client):
    """No marks in the shipped catalogs: the machine-draft notice, and no ten labels repeating it."""
    doc = html(client.get("/es/guides/ice-encounters"))
    assert doc.select_one(".notice.unreviewed") and not doc.select(".review-label")
