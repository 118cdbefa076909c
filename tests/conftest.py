"""Fixtures: an app over a database built by the real `flask mai build`, in a temp folder."""
from __future__ import annotations

import fcntl
import shutil

import procfile_server
import pytest
from browser import chromium, new_phone_page
from support import make_app

from mai_guides import ROOT

# nginx + gunicorn as scripts/serve-nginx.sh starts them (fixtures `site`, `own_site`, `start_site`)
pytest_plugins = ["nginx_front"]

BROWSER_FIXTURES = {"browser", "phone", "js_phone", "axe_page", "measured"}
SERVER_FIXTURES = {"server", "site", "own_site", "start_site", "small_workers", "front", "front_without_app"}


def pytest_collection_modifyitems(items):
    """Mark what a test needs by the fixtures it asks for: `browser` (Debian's Chromium) and
    `slow` (a gunicorn server), beside the files that mark themselves `pdf` or `slow`; so
    `pytest -m "not browser and not pdf and not slow"` is the quick part (`make test-fast`)."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if fixtures & SERVER_FIXTURES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def run_folder(tmp_path_factory, worker_id):
    """A folder shared by every xdist worker of this run (each worker's own temp folder is below it)."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if worker_id != "master" else root


@pytest.fixture(scope="session")
def built(run_folder):
    """One real build shared by the read-only tests, without pre-rendered PDFs: page tests never
    read them, and a PDF test that asks for one gets it rendered on demand, as a reader would.

    Shared by every xdist worker of the run (the first to arrive builds, under a lock), PDF cache
    included: a document one worker rendered is read, not rendered again, by the other (the cache
    writes each file whole, by rename)."""
    folder = run_folder / "built"
    with open(run_folder / "built.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        app = make_app(folder, MAI_KEEP_SITE="1")
        if not (folder / "mai.db").exists():
            folder.mkdir(exist_ok=True)
            result = app.test_cli_runner().invoke(args=["mai", "build", "--no-pdfs"])
            assert result.exit_code == 0, result.output
    return app


@pytest.fixture()
def app(built):
    return built


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner(app):
    """flaskr's CLI fixture: `flask mai ...` against the test app."""
    return app.test_cli_runner()


@pytest.fixture()
def project_copy(tmp_path):
    """A writable copy of content/ and translations/ for tests that break or change them."""
    for name in ("content", "translations"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
    return tmp_path


@pytest.fixture(scope="session")
def server(built, tmp_path_factory):
    """gunicorn serving the test database as the Procfile says, shared by the read-only HTTP and
    browser tests; its log file is returned too."""
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    process, base = procfile_server.start({"WEB_CONCURRENCY": "1", "MAI_DATABASE": built.config["MAI_DATABASE"],
                                           "MAI_PDF_CACHE": built.config["MAI_PDF_CACHE"],
                                           "MAI_AUDIO_CACHE": built.config["MAI_AUDIO_CACHE"],
                                           "MAI_BASE_URL": built.config["MAI_BASE_URL"]}, log)
    yield base, log
    procfile_server.stop(process)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run; each test gets its own context."""
    with chromium() as shared:
        yield shared


@pytest.fixture()
def phone(browser):
    """A 360x740 page without JavaScript: what every reader gets, whatever their phone runs."""
    with new_phone_page(browser, javascript=False) as page:
        yield page
