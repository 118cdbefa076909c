"""One module says what changes each output (mai_guides/fingerprints.py): every file is placed, and
an edit moves its own fingerprints and no other."""
from __future__ import annotations

import shutil

import pytest

from mai_guides import ROOT
from mai_guides.fingerprints import (
    CARD_TEMPLATES,
    CONTENT_CODE,
    CONTENT_SOURCES,
    DOCUMENT_TEMPLATES,
    JOB_CODE,
    NO_OUTPUT,
    PAGE_FILES,
    RENDERER_CODE,
    Project,
)

PLACED = CONTENT_SOURCES + CONTENT_CODE + PAGE_FILES + RENDERER_CODE + CARD_TEMPLATES + DOCUMENT_TEMPLATES \
    + JOB_CODE + NO_OUTPUT


def fingerprints(project: Project) -> dict[str, str]:
    return {"content": project.content(), "pages": project.pages(), "renderer": project.renderer("ur"),
            "card fit": project.card_fit(["en", "ur"], None), "print job": project.print_job(),
            "offline": project.offline(None)}


def test_every_module_template_and_static_file_is_placed():
    """A new module, template or static file must be put under the output it changes (or none)."""
    project = Project(ROOT)
    placed = {name for name, _path in project.files(PLACED)}
    everything = {name for name, _path in project.files(("mai_guides/", "templates/", "static/"))}
    assert everything - placed == set()


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    """The project's files in a folder of the test's own, to edit."""
    root = tmp_path_factory.mktemp("project")
    for folder in ("mai_guides", "templates", "static", "content", "translations"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    return Project(root)


@pytest.mark.parametrize("edited, moved", [
    ("content/guides/ice-encounters.md", {"content", "offline"}),
    ("translations/es/LC_MESSAGES/content.po", {"content", "offline"}),
    ("translations/ar/LC_MESSAGES/messages.po", {"content", "offline"}),
    ("translations/glossary.toml", {"content", "offline"}),
    ("mai_guides/builder/markup.py", {"content", "offline"}),
    ("templates/guide.html", {"pages", "offline"}),
    ("static/style.css", {"pages", "offline"}),
    ("static/sw.js", {"pages", "offline"}),
    ("mai_guides/web/pages.py", {"pages", "offline"}),
    ("static/pdf.css", {"renderer", "card fit", "offline"}),
    ("mai_guides/pdf/render.py", {"renderer", "card fit", "offline"}),
    ("mai_guides/fonts.py", {"pages", "renderer", "card fit", "offline"}),
    ("templates/pdf/_card.html", {"card fit", "offline"}),
    ("templates/pdf/handout.html", {"offline"}),
    ("mai_guides/pdf/jobs.py", {"print job"}),
    ("mai_guides/builder/commands.py", set()),
    ("mai_guides/pdf/cache.py", set()),
])
def test_an_edit_moves_its_own_fingerprints_and_no_other(copy, edited, moved):
    before = fingerprints(copy)
    path = copy.root / edited
    original = path.read_bytes()
    try:
        path.write_bytes(original + b"\n")
        after = fingerprints(copy)
    finally:
        path.write_bytes(original)
    assert {name for name in before if before[name] != after[name]} == moved
    assert fingerprints(copy) == before, "the same bytes give the same fingerprints"


def test_content_and_translations_may_live_elsewhere(copy, tmp_path):
    """Builds of a copy of content/ and translations/ (MAI_CONTENT, MAI_TRANSLATIONS) read those."""
    for folder in ("content", "translations"):
        shutil.copytree(copy.root / folder, tmp_path / folder)
    elsewhere = Project(copy.root, tmp_path / "content", tmp_path / "translations")
    assert elsewhere.content() == copy.content()
    (tmp_path / "content" / "guides" / "ice-encounters.md").write_text("changed")
    assert elsewhere.content() != copy.content() and elsewhere.pages() == copy.pages()
