"""The docs stay true to the code: the module map names every module, links lead somewhere, the
README stays short, and the structure's walls (import-linter's contracts) hold."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

from mai_guides import ROOT

PACKAGE = ROOT / "mai_guides"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
README_MAX_LINES = 160
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
# A row of the module map: | `builder/pipeline.py` | what it holds |
MODULE_ROW = re.compile(r"^\| `([A-Za-z_][\w/]*\.py)` \|", re.M)


def linked_docs() -> list[Path]:
    """The Markdown a reader walks: the README, the top-level guides and everything in docs/."""
    return sorted([*ROOT.glob("*.md"), *(ROOT / "docs").glob("*.md")])


def section(text: str, heading: str) -> str:
    """The text under a `## heading`, up to the next heading of that level."""
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def modules_named_in_map() -> set[str]:
    return set(MODULE_ROW.findall(section(ARCHITECTURE.read_text(), "Module map")))


def package_modules() -> set[str]:
    return {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}


def test_the_module_map_names_every_module():
    missing = package_modules() - modules_named_in_map()
    assert not missing, f"add these to the module map in docs/architecture.md: {sorted(missing)}"


def test_the_module_map_names_no_module_that_is_gone():
    gone = modules_named_in_map() - package_modules()
    assert not gone, f"docs/architecture.md's module map names modules that do not exist: {sorted(gone)}"


def test_the_module_map_reads_the_real_tree():
    """The parse finds the map's lines: every side is there, and the count is the package's."""
    named = modules_named_in_map()
    assert {"builder/pipeline.py", "web/response.py", "pdf/render.py", "fingerprints.py"} <= named
    assert len(named) == len(package_modules()) >= 50


def anchors(path: Path) -> set[str]:
    """GitHub's anchors for a Markdown file's headings: lower case, punctuation dropped, spaces to '-'."""
    found = set()
    in_code = False
    for line in path.read_text().splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and (match := re.match(r"#{1,6} (.+)", line)):
            title = match.group(1).strip().lower()
            slug = "".join(c for c in title if c in " -_" or unicodedata.category(c)[0] in "LN")
            found.add(slug.replace(" ", "-"))
    return found


def relative_links(path: Path) -> list[str]:
    """Every link target in a Markdown file that is not a web address, outside code blocks."""
    text = re.sub(r"```.*?```", "", path.read_text(), flags=re.S)
    return [target for target in LINK.findall(text) if not re.match(r"[a-z][a-z0-9+.-]*:", target)]


def test_every_relative_link_points_at_a_file_and_heading_that_exist():
    broken = []
    for doc in linked_docs():
        for target in relative_links(doc):
            file_part, _, anchor = target.partition("#")
            destination = (doc.parent / file_part).resolve() if file_part else doc
            if not destination.exists():
                broken.append(f"{doc.relative_to(ROOT)}: {target} (no such file)")
            elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
                broken.append(f"{doc.relative_to(ROOT)}: {target} (no such heading)")
    assert not broken, broken


def test_the_link_check_sees_the_docs():
    """The README links into every file of docs/ (the check above would pass on no links at all)."""
    targets = {target.partition("#")[0] for target in relative_links(ROOT / "README.md")}
    docs = {f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md") if p.name != "README.md"}
    assert docs <= targets, sorted(docs - targets)
    assert {"LICENSE", "LICENSE-content.md", "CONTRIBUTING.md", "CHANGELOG.md"} <= targets


def test_the_readme_is_short():
    lines = len((ROOT / "README.md").read_text().splitlines())
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines; move detail into docs/"


def test_the_licences_are_stated():
    agpl = (ROOT / "LICENSE").read_text()
    assert agpl.lstrip().startswith("GNU AFFERO GENERAL PUBLIC LICENSE") and "END OF TERMS AND CONDITIONS" in agpl
    assert len(agpl.splitlines()) == 661, "the full AGPL-3.0 text, not an excerpt"
    content = (ROOT / "LICENSE-content.md").read_text()
    assert "https://creativecommons.org/licenses/by-sa/4.0/" in content
    assert "MAI Guides, Mobilizing Against Inequality" in content


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    """import-linter's command on the project in `cwd` (its pyproject.toml and its mai_guides)."""
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert command, "lint-imports is missing: run `make install`"
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([command, "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True)


def lint_imports_with(tmp_path: Path, module: str, line: str):
    """lint-imports over a copy of the package in which `module` (under mai_guides/) gains `line`."""
    shutil.copytree(PACKAGE, tmp_path / "mai_guides", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    path = tmp_path / "mai_guides" / module
    path.write_text(path.read_text().replace("from __future__ import annotations\n",
                                             f"from __future__ import annotations\n\n{line}  # noqa\n", 1))
    return lint_imports(tmp_path)


def test_the_walls_hold():
    """pyproject.toml's contracts: the web side and the shared modules never import the build side,
    the PDF package never imports the web side, no import cycles."""
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout, result.stdout


def test_a_web_module_that_imports_the_build_side_breaks_the_wall(tmp_path):
    """The contract catches a real breach, in a copy of the package: a web module importing a builder one."""
    result = lint_imports_with(tmp_path, "web/share.py", "from ..builder import markup")
    assert result.returncode != 0
    assert "mai_guides.web.share -> mai_guides.builder.markup" in result.stdout, result.stdout


def test_the_pdf_package_importing_the_web_side_breaks_the_wall(tmp_path):
    result = lint_imports_with(tmp_path, "pdf/cache.py", "from ..web import security")
    assert result.returncode != 0
    assert "mai_guides.pdf.cache -> mai_guides.web.security" in result.stdout, result.stdout
