"""Robust builds: sources that leave content/, oversized or non-UTF-8 files, staged UI catalogs,
leftovers of a killed build, and one render per uncached PDF however many readers ask."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from support import copy_app, po_file

from mai_guides.builder.content import MAX_SOURCE_BYTES
from mai_guides.builder.paths import Paths
from mai_guides.releases import catalogs_dir, releases_dir

pytestmark = pytest.mark.slow  # starts gunicorn or nginx, or builds in a subprocess

STAGED_TEXT = "Staged wording, not live yet"


def _cli_build(app):
    return app.test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"])


def _refused(app, *expected: str) -> None:
    before = _db_bytes(app)
    result = _cli_build(app)
    assert result.exit_code != 0
    for text in expected:
        assert text in result.output, result.output
    assert "Traceback" not in result.output
    assert _db_bytes(app) == before  # the live database is untouched


def _db_bytes(app) -> bytes | None:
    path = Paths.from_config(app.config).database
    return path.read_bytes() if path.exists() else None


def test_a_source_symlinked_from_outside_content_is_refused(project_copy, tmp_path_factory):
    app = copy_app(project_copy)
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.md"
    secret.write_text((project_copy / "content" / "guides" / "ice-encounters.md").read_text())
    (project_copy / "content" / "guides" / "leak.md").symlink_to(secret)
    _refused(app, "leak.md", "links outside")


def test_a_symlink_inside_content_is_allowed(project_copy):
    app = copy_app(project_copy)
    news = project_copy / "content" / "news"
    first = sorted(news.glob("*.md"))[0]
    moved = project_copy / "content" / "spare.md"
    first.rename(moved)
    first.symlink_to(moved)
    assert _cli_build(app).exit_code == 0


def test_an_oversized_source_is_refused_by_name(project_copy):
    app = copy_app(project_copy)
    guide = project_copy / "content" / "guides" / "reporting-ice-activity.md"
    guide.write_text(guide.read_text() + "\n" + "padding " * (MAX_SOURCE_BYTES // 8 + 1) + "\n")
    _refused(app, "reporting-ice-activity.md", "limited to")


@pytest.mark.parametrize("folder, name", [("guides", "ice-encounters.md"), ("cards", "ice-encounters.yaml")])
def test_bad_utf8_names_the_file_and_line(project_copy, folder, name):
    app = copy_app(project_copy)
    source = project_copy / "content" / folder / name
    lines = source.read_bytes().split(b"\n")
    lines[3] = lines[3] + b" \xff\xfe caf\xe9"  # Latin-1 bytes pasted into a UTF-8 file, on line 4
    source.write_bytes(b"\n".join(lines))
    _refused(app, f"{name}:4:", "not valid UTF-8")


def _stage_new_wording(project) -> str:
    """Change one Spanish UI string; return its msgid."""
    po = po_file(project, "es", "messages")
    with po.open("rb") as handle:
        catalog = read_po(handle)
    message = next(m for m in catalog if m.id == "Temporarily unavailable")
    message.string = STAGED_TEXT
    with po.open("wb") as handle:
        write_po(handle, catalog)
    return message.id


def _live_spanish_mo(app) -> bytes:
    return (catalogs_dir(Path(app.config["MAI_DATABASE"])) / "es" / "LC_MESSAGES" / "messages.mo").read_bytes()


def test_ui_catalogs_go_live_only_with_the_database_in_one_step(project_copy, monkeypatch):
    """The new UI text is compiled into the new release and used for its cards and PDFs; a build
    that fails after that leaves the live database and catalogs as they were, and leaves no
    release behind; the next good build switches both at once."""
    from mai_guides.builder import pipeline
    app = copy_app(project_copy)
    assert _cli_build(app).exit_code == 0
    live_mo, live_db = _live_spanish_mo(app), _db_bytes(app)
    _stage_new_wording(project_copy)
    seen = {}

    def failing_cards(staging, _paths, _inputs):
        staged = Path(staging.config["MAI_UI_CATALOGS"]) / "es" / "LC_MESSAGES" / "messages.mo"
        seen["staged"] = STAGED_TEXT.encode() in staged.read_bytes()
        seen["own database"] = Path(staging.config["MAI_DATABASE"]) != Path(app.config["MAI_DATABASE"])
        raise RuntimeError("killed while checking cards")

    monkeypatch.setattr(pipeline, "check_cards", failing_cards)
    with pytest.raises(RuntimeError):
        pipeline.build_site(app, pdfs=False)
    assert seen == {"staged": True, "own database": True}
    assert _live_spanish_mo(app) == live_mo and _db_bytes(app) == live_db
    assert len([p for p in releases_dir(Path(app.config["MAI_DATABASE"])).iterdir() if not p.is_symlink()]) == 1
    monkeypatch.undo()
    assert _cli_build(app).exit_code == 0
    assert STAGED_TEXT.encode() in _live_spanish_mo(app) and _db_bytes(app) != live_db


def test_the_database_and_the_catalogs_switch_by_one_pointer(project_copy):
    """MAI_DATABASE is a link through the release pointer: the only thing a build replaces to go
    live, so no moment shows new interface text over old content."""
    app = copy_app(project_copy)
    assert _cli_build(app).exit_code == 0
    database = Path(app.config["MAI_DATABASE"])
    pointer = releases_dir(database) / "current"
    assert database.is_symlink() and pointer.is_symlink()
    assert database.resolve().parent == pointer.resolve() == catalogs_dir(database).parent
    first = pointer.resolve()
    assert _cli_build(app).exit_code == 0 and _cli_build(app).exit_code == 0
    kept = sorted(p.name for p in releases_dir(database).iterdir() if not p.is_symlink())
    assert len(kept) == 2 and first.name not in kept, "the live release and the one before it"


def test_a_killed_build_leaves_nothing_behind_at_the_next_build(project_copy):
    app = copy_app(project_copy)
    assert _cli_build(app).exit_code == 0
    database = Path(app.config["MAI_DATABASE"])
    # what a build killed with SIGKILL midway leaves: a release without its completion mark
    half = releases_dir(database) / "20991231T000000000000-half"
    (half / "catalogs").mkdir(parents=True)
    (half / "mai.db").write_bytes(b"SQLite format 3\0 half written")
    assert _cli_build(app).exit_code == 0
    assert not half.exists()
    assert releases_dir(database).joinpath("current").resolve() != half


@pytest.mark.parametrize("waiters", [20, 1])
def test_twenty_readers_of_one_uncached_pdf_cause_one_render(project_copy, monkeypatch, waiters):
    """One render; readers past the worker's spare threads get 503 + Retry-After, never a 2nd render."""
    app = copy_app(project_copy, MAI_PDF_RENDER_SLOTS=2)
    assert _cli_build(app).exit_code == 0
    from mai_guides.web import pdfs, single_flight

    monkeypatch.setattr(single_flight, "_waiting", threading.BoundedSemaphore(waiters))
    renders, lock = [], threading.Lock()
    real_render = pdfs.render_spec

    def counting_render(spec):
        with lock:
            renders.append(spec)
        return real_render(spec)

    monkeypatch.setattr(pdfs, "render_spec", counting_render)
    start, statuses = threading.Barrier(20), []

    def reader():
        client = app.test_client()
        start.wait()
        response = client.get("/fr/posters/ice-encounters.pdf?paper=a4")
        statuses.append((response.status_code, response.data[:5], response.headers.get("Retry-After")))

    threads = [threading.Thread(target=reader) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    served = [s for s in statuses if s[0] == 200]
    assert all(data == b"%PDF-" for _, data, _ in served)
    assert len(renders) == 1
    if waiters == 20:
        assert len(served) == 20
    else:  # one renders, one waits, the others (all there before the render ends) are asked to come back
        assert 2 <= len(served) < 20
        assert all(status == 503 and retry for status, _, retry in statuses if status != 200)
        assert app.test_client().get("/fr/posters/ice-encounters.pdf?paper=a4").status_code == 200
        assert len(renders) == 1


def test_a_build_removes_half_written_files_that_killed_renders_left(project_copy):
    import os
    import time

    app = copy_app(project_copy)
    folder = Path(app.config["MAI_PDF_CACHE"]) / "docs" / "es"
    folder.mkdir(parents=True)
    old, young = folder / ".card.abc.pdf.x1.tmp", folder / ".card.abc.pdf.x2.tmp"
    old.write_bytes(b"%PDF-half")
    young.write_bytes(b"%PDF-being written")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert _cli_build(app).exit_code == 0
    assert not old.exists() and young.exists()  # a render in progress keeps its file
