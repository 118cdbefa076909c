"""A locale added and built while gunicorn serves is served at once, UI strings included, by
every worker, without a restart (gunicorn started as the Procfile says, on its own database)."""
from __future__ import annotations

import urllib.error
import urllib.request

import procfile_server
import pytest
from bs4 import BeautifulSoup
from support import copy_app, po_file

pytestmark = pytest.mark.slow  # starts gunicorn or nginx, or builds in a subprocess


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["mai", *args])
    assert result.exit_code == 0, result.output
    return result


def test_a_locale_added_and_built_is_served_without_a_restart(project_copy, tmp_path_factory):
    app = copy_app(project_copy)
    run(app, "build", "--no-pdfs")
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    env = {"WEB_CONCURRENCY": "2", "MAI_DATABASE": str(project_copy / "mai.db"),
           "MAI_PDF_CACHE": str(project_copy / "pdf"), "MAI_CONTENT": str(project_copy / "content"),
           "MAI_TRANSLATIONS": str(project_copy / "translations")}
    process, base = procfile_server.start(env, log)
    try:
        for _ in range(4):  # both workers have loaded the old registry
            assert get(f"{base}/de/")[0] == 404
        run(app, "locale", "add", "de")
        po = po_file(project_copy, "de", "messages")
        po.write_text(po.read_text().replace('msgid "Quick exit"\nmsgstr ""',
                                             'msgid "Quick exit"\nmsgstr "Schnell weg"'))
        run(app, "build", "--no-pdfs")
        for _ in range(6):  # whichever worker answers
            status, page = get(f"{base}/de/")
            assert status == 200, page[:300]
            doc = BeautifulSoup(page, "html.parser")
            assert doc.html["lang"] == "de"
            assert doc.select_one(".quick-exit").get_text(strip=True) == "Schnell weg"
        assert "Deutsch" in get(f"{base}/translate/")[1]
        assert get(f"{base}/es/")[0] == 200
    finally:
        procfile_server.stop(process)
