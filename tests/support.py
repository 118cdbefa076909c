"""Shared test helpers: the shipped locales, apps over temporary databases, HTML parsing."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bs4 import BeautifulSoup

from mai_guides import ROOT, create_app
from mai_guides.registry import LocaleInfo, catalog_file, load_registry, registry_file

REGISTRY = load_registry(registry_file(ROOT / "translations"))
LOCALES = REGISTRY.codes
RTL = [info.code for info in REGISTRY if info.is_rtl]
PUBLIC_URL = "https://guides.example.org"  # a deployment's address, printed on every PDF


# The spoken phrases are named by what they say, so every build of a test run can share one folder
# (a file is written whole, by rename, and none made today is pruned): each phrase is spoken once
# per run, not once per build. A test that counts the files it makes passes a folder of its own.
SHARED_AUDIO = Path(tempfile.gettempdir()) / f"mai-test-audio-{os.getuid()}"


def make_app(tmp: Path, **config):
    """An app over a database in tmp. Its builds keep no site files (20 s a build; the tests that
    need them build with MAI_KEEP_SITE="1")."""
    return create_app({"TESTING": True, "MAI_DATABASE": str(tmp / "mai.db"), "MAI_BASE_URL": PUBLIC_URL,
                       "MAI_PDF_CACHE": str(tmp / "pdf"), "MAI_KEEP_SITE": "0",
                       "MAI_AUDIO_CACHE": str(SHARED_AUDIO), **config})


def copy_app(project: Path, **config):
    """An app whose content and catalogs are the copy's."""
    return make_app(project, MAI_CONTENT=str(project / "content"),
                    MAI_TRANSLATIONS=str(project / "translations"), **config)


def html(response) -> BeautifulSoup:
    assert response.mimetype == "text/html", response.mimetype
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def po_file(root: Path, code: str, domain: str) -> Path:
    """A locale's catalog under root/translations (the layout is registry.catalog_file's)."""
    return catalog_file(root / "translations", LocaleInfo(code, code, code), domain)


def keep_only_locales(project: Path, codes: list[str]) -> None:
    """Cut a project copy's registry down to these locales: a build of a few is quick."""
    registry = registry_file(project / "translations")
    tables = registry.read_text().split("\n[")
    registry.write_text("\n[".join(t for t in tables if t.split("]")[0] in codes or "#" in t[:1]))


def kept(app, path: str) -> bool:
    """Whether the app answers `path` from kept bytes: a file of the release's kept site
    (site_files.py), or a page its page cache holds in memory (a build without the kept site)."""
    from mai_guides.pdf.documents import output_settings
    from mai_guides.site_files import file_name, site_dir
    site = site_dir(Path(app.config["MAI_DATABASE"]), output_settings(app))
    name = file_name(path)
    if site is not None and name is not None and (site / name).is_file():
        return True
    return any(kept_path == path for _coding, kept_path in app.wsgi_app.pages)
