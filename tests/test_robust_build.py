"""Robust builds: sources that leave content/, oversized or non-UTF-8 files, staged UI catalogs,
leftovers of a killed build, and one render per uncached PDF however many readers ask."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from support import copy_app, po_file

from mai_guides.builder.content import MAX_SOURCE_BYTES
from mai_guides.builder.database import build, staged_catalogs
from mai_guides.builder.paths import Paths

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


def _stage_new_wording(project) -> tuple[bytes, str]:
    """Change one Spanish UI string; return the live .mo bytes and the msgid."""
    po = po_file(project, "es", "messages")
    with po.open("rb") as handle:
        catalog = read_po(handle)
    message = next(m for m in catalog if m.id == "Temporarily unavailable")
    message.string = STAGED_TEXT
    with po.open("wb") as handle:
        write_po(handle, catalog)
    return po.with_suffix(".mo").read_bytes(), message.id


def test_ui_catalogs_go_live_only_when_the_whole_build_succeeded(project_copy):
    app = copy_app(project_copy)
    assert _cli_build(app).exit_code == 0
    live_mo, _ = _stage_new_wording(project_copy)
    paths = Paths.from_config(app.config)
    seen = {}

    def failing_prerender(database, _inputs):
        staged = staged_catalogs(paths.database)
        seen["staged"] = any(STAGED_TEXT.encode() in mo.read_bytes() for mo in staged.rglob("messages.mo"))
        seen["database"] = database.exists()
        raise RuntimeError("a PDF failed to render")

    with app.app_context(), pytest.raises(RuntimeError):
        build(paths, prerender=failing_prerender)
    assert seen == {"staged": True, "database": True}  # the PDFs would have printed the new wording
    assert po_file(project_copy, "es", "messages").with_suffix(".mo").read_bytes() == live_mo
    assert not staged_catalogs(paths.database).exists()
    assert not paths.database.with_name(paths.database.name + ".building").exists()
    assert _cli_build(app).exit_code == 0
    assert STAGED_TEXT.encode() in po_file(project_copy, "es", "messages").with_suffix(".mo").read_bytes()


def test_a_killed_build_leaves_nothing_behind_at_the_next_build(project_copy):
    app = copy_app(project_copy)
    paths = Paths.from_config(app.config)
    paths.database.parent.mkdir(parents=True, exist_ok=True)
    # what a build killed with SIGKILL midway leaves: half a database and half the staged catalogs
    building = paths.database.with_name(paths.database.name + ".building")
    building.write_bytes(b"SQLite format 3\0 half written")
    stray_mo = staged_catalogs(paths.database) / "es" / "LC_MESSAGES" / "messages.mo"
    stray_mo.parent.mkdir(parents=True)
    stray_mo.write_bytes(b"half")
    assert _cli_build(app).exit_code == 0
    assert not building.exists() and not staged_catalogs(paths.database).exists()
    assert sorted(p.name for p in paths.database.parent.iterdir() if "building" in p.name) == []


@pytest.mark.parametrize("waiters", [20, 1])
def test_twenty_readers_of_one_uncached_pdf_cause_one_render(project_copy, monkeypatch, waiters):
    """One render; readers past the worker's spare threads get 503 + Retry-After, never a 2nd render."""
    app = copy_app(project_copy, MAI_PDF_RENDER_SLOTS=2)
    assert _cli_build(app).exit_code == 0
    from mai_guides import single_flight
    from mai_guides.web import pdfs

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
