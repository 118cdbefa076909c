"""Fixtures: an app over a database built by the real `flask mai build`, in a temp folder."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from mai_guides import ROOT, create_app
from mai_guides.i18n import load_registry

REGISTRY = load_registry(ROOT / "translations" / "locales.toml")
LOCALES = REGISTRY.codes
RTL = [info.code for info in REGISTRY if info.is_rtl]


PUBLIC_URL = "https://guides.example.org"  # a deployment's address, printed on every PDF


def make_app(tmp: Path, **config):
    return create_app({"TESTING": True, "MAI_DATABASE": str(tmp / "mai.db"), "MAI_BASE_URL": PUBLIC_URL,
                       "MAI_PDF_CACHE": str(tmp / "pdf"), **config})


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One real build shared by the read-only tests, without pre-rendered PDFs: page tests never
    read them, and a PDF test that asks for one gets it rendered on demand, as a reader would."""
    tmp = tmp_path_factory.mktemp("built")
    app = make_app(tmp)
    result = app.test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"])
    assert result.exit_code == 0, result.output
    return app


@pytest.fixture()
def runner(app):
    """flaskr's CLI fixture: `flask mai ...` against the test app."""
    return app.test_cli_runner()


@pytest.fixture()
def app(built):
    return built


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def project_copy(tmp_path):
    """A writable copy of content/ and translations/ for tests that break or change them."""
    for name in ("content", "translations"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
    return tmp_path


def copy_app(project: Path, **config):
    """An app whose content and catalogs are the copy's."""
    return make_app(project, MAI_CONTENT=str(project / "content"),
                    MAI_TRANSLATIONS=str(project / "translations"), **config)


def html(response) -> BeautifulSoup:
    assert response.mimetype == "text/html", response.mimetype
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")
