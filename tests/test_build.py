"""`flask mai build`: what lands in SQLite, and that a failed build changes nothing."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils
from support import LOCALES, copy_app, po_file

from mai_guides.db import connect_readonly

GUIDES = {"ice-encounters", "reporting-ice-activity"}


def _db(app) -> sqlite_utils.Database:
    return sqlite_utils.Database(connect_readonly(app.config["MAI_DATABASE"]))


def test_build_writes_every_table(app):
    db = _db(app)
    assert {"meta", "guides", "sections", "cards", "news", "guide_news", "locales", "documents",
            "documents_fts"} <= set(db.table_names())
    assert {r["code"] for r in db["locales"].rows} == set(LOCALES)
    for locale in LOCALES:
        assert {r["slug"] for r in db["guides"].rows_where("locale = ?", [locale])} == GUIDES
        assert {r["slug"] for r in db["cards"].rows_where("locale = ?", [locale])} == GUIDES
    anchors = [r["anchor"] for r in db["sections"].rows_where("guide = 'ice-encounters' and locale = 'en'",
                                                              order_by="position")]
    assert anchors == ["intro", "what-to-do-now", "basics", "at-home", "in-public", "in-a-car", "at-work",
                       "court-and-check-ins", "if-arrested", "prepare-your-family", "if-you-witness"]
    version = db["meta"].get("content_version")["value"]
    assert len(version) == 12


def test_every_guide_has_news_and_every_post_a_guide(app):
    db = _db(app)
    links = list(db["guide_news"].rows)
    assert {link["guide"] for link in links} == GUIDES
    posts = {r["slug"] for r in db["news"].rows_where("locale = 'en'")}
    assert {link["news"] for link in links} == posts


def test_fts_index_finds_words(app):
    db = _db(app)
    rows = db.execute("select d.slug from documents_fts join documents d on d.rowid = documents_fts.rowid "
                      "where documents_fts match 'warrant' and d.locale = 'en'").fetchall()
    assert ("ice-encounters",) in [tuple(row) for row in rows]


def test_build_is_idempotent(project_copy):
    app = copy_app(project_copy)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["mai", "build", "--no-pdfs"]).exit_code == 0
    first = _db(app)["meta"].get("content_version")["value"]
    assert runner.invoke(args=["mai", "build", "--no-pdfs"]).exit_code == 0
    assert _db(app)["meta"].get("content_version")["value"] == first


def _assert_failed_build_keeps_db(app, expected_in_message: str, *command: str):
    runner = app.test_cli_runner()
    database = app.config["MAI_DATABASE"]
    before = open(database, "rb").read()
    result = runner.invoke(args=["mai", *(command or ("build", "--no-pdfs"))])
    assert result.exit_code != 0
    assert expected_in_message in result.output, result.output
    assert open(database, "rb").read() == before
    assert not any(p.name.endswith(".building") for p in Path(database).parent.iterdir())


def test_bad_front_matter_fails_and_keeps_live_db(project_copy):
    app = copy_app(project_copy)
    assert app.test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"]).exit_code == 0
    guide = project_copy / "content" / "guides" / "ice-encounters.md"
    guide.write_text(guide.read_text().replace("title:", "title: [unclosed", 1))
    _assert_failed_build_keeps_db(app, "ice-encounters.md:3: invalid YAML")


def test_bad_markdown_block_names_the_line(project_copy):
    app = copy_app(project_copy)
    assert app.test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"]).exit_code == 0
    guide = project_copy / "content" / "guides" / "reporting-ice-activity.md"
    text = guide.read_text()
    guide.write_text(text + "\n## A heading without an anchor\n")
    line = len((text + "\n").splitlines()) + 1
    _assert_failed_build_keeps_db(app, f"reporting-ice-activity.md:{line}")


def test_broken_catalog_fails_and_keeps_live_db(project_copy):
    app = copy_app(project_copy)
    assert app.test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"]).exit_code == 0
    po = po_file(project_copy, "es", "content")
    po.write_text(po.read_text() + '\nmsgid "unterminated\n')
    _assert_failed_build_keeps_db(app, "content.po")


def test_translation_with_changed_link_is_refused(project_copy):
    app = copy_app(project_copy)
    assert app.test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"]).exit_code == 0
    po = po_file(project_copy, "fr", "content")
    po.write_text(po.read_text() + '\nmsgid "Only [here](https://example.org/a)."\n'
                  'msgstr "Seulement [ici](https://evil.example/b)."\n')
    _assert_failed_build_keeps_db(app, "links differ")


def test_web_connection_is_read_only(client, app):
    with app.test_request_context("/en/"):
        from mai_guides.db import get_db
        try:
            get_db().execute("create table x(y)")
        except sqlite3.OperationalError as exc:
            assert "readonly" in str(exc)
        else:
            raise AssertionError("the web connection could write")


def test_card_text_too_long_to_print_fails_the_build_and_keeps_live_db(project_copy):
    """Pre-rendering runs before the swap: a card that cannot fit leaves the old site serving."""
    app = copy_app(project_copy)
    assert app.test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"]).exit_code == 0
    card = project_copy / "content" / "cards" / "ice-encounters.yaml"
    card.write_text(card.read_text().replace("front:\n", "front:\n  - " + "Very long line. " * 120 + "\n", 1))
    # laid out at the smallest legible size before the swap, even without PDFs: named, not shrunk
    _assert_failed_build_keeps_db(app, "wallet card 'ice-encounters' does not fit", "build", "--no-pdfs")
    _assert_failed_build_keeps_db(app, f"{card}:", "build", "--no-pdfs")


def test_a_second_build_at_the_same_time_is_refused(project_copy):
    from mai_guides.builder.pipeline import exclusive_build
    app = copy_app(project_copy)
    assert app.test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"]).exit_code == 0
    with exclusive_build(Path(app.config["MAI_DATABASE"])):
        _assert_failed_build_keeps_db(app, "another build")
