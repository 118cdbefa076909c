"""The app as deployed: gunicorn started with the Procfile's own command, over real HTTP."""
from __future__ import annotations

import subprocess
import sys
import urllib.request

import pytest
from procfile_server import wait_until

from mai_guides import ROOT

pytestmark = pytest.mark.slow  # starts gunicorn or nginx, or builds in a subprocess


def test_procfile_gunicorn_serves_pages(server):
    base, log = server
    request = urllib.request.Request(base + "/es/guides/ice-encounters?q=secret-search",
                                     headers={"User-Agent": "UniqueAgent/1.0", "Referer": "https://ref.example/"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read().decode()
        assert response.status == 200
        assert '<html lang="es" dir="ltr" data-version="' in body
        assert response.headers.get("Set-Cookie") is None
    wait_until(lambda: "/es/guides/ice-encounters" in log.read_text(), 10, "the request was not logged")
    logged = log.read_text()
    for secret in ("127.0.0.1", "UniqueAgent", "ref.example", "secret-search"):
        assert secret not in logged.replace("Listening at: http://127.0.0.1", ""), secret


def test_the_web_side_does_not_load_the_build_side():
    """create_app (what gunicorn imports) leaves content loading, catalogs and pre-rendering out."""
    build_side = {"mai_guides.builder", *(f"mai_guides.builder.{p.stem}"
                                          for p in (ROOT / "mai_guides" / "builder").glob("*.py") if p.stem != "__init__")}
    assert len(build_side) >= 12, build_side
    code = (f"import sys, app; app.app.test_client().get('/en/'); build = {sorted(build_side)!r}; "
            "print(sorted(set(build) & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_web_module_imports_the_build_side():
    """The wall, read from the source: only the lazy CLI group may reach into mai_guides.builder."""
    import ast
    offenders = []
    for path in (ROOT / "mai_guides").rglob("*.py"):
        if "builder" in path.relative_to(ROOT / "mai_guides").parts[:1]:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and "builder" in node.module.split("."):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == ["cli.py:18"], offenders
