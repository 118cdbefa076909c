"""What changes each output, in one place, from explicit lists.

Every cache in the project is keyed by one of these fingerprints, so a file that changes an output
must be listed under it, and a new module must be put somewhere (tests/test_fingerprints.py fails on
a module nobody placed, and proves an edit moves its own fingerprints and no other):

- content: the built database's records (guides, cards, news, catalogs, search index): the sources
  and the build code that turns them into records;
- pages: what the web app draws around the records: page templates, styles, scripts, web code;
- renderer (per locale): what turns a document's HTML into PDF bytes: the rendering code, the PDF
  stylesheet, the libraries that write the file and the font files that draw the locale (a
  document's cache key adds its own HTML, which carries its text and its template);
- card fit: what decides whether a wallet card fits, besides its text: every locale's renderer, the
  card templates, the printed address and the deployment's help line (local_help.py);
- print job: the code and library that join cached PDFs into one job;
- offline: the reader's saved copy (the service worker's cache name, `content_version` in the
  database): anything a reader sees, so content, pages, documents (renderer code and PDF templates),
  the printed address and the help line.

Paths are relative to the project root; a pattern ending in `/` means every file below it.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
from dataclasses import dataclass
from pathlib import Path

from . import fonts

CONTENT_SOURCES = ("content/", "translations/locales.toml", "translations/glossary.toml", "translations/*/LC_MESSAGES/*.po",
                   "docs/translating.md")  # served beside /translate/
CONTENT_CODE = ("mai_guides/builder/inputs.py", "mai_guides/builder/content.py", "mai_guides/builder/markup.py", "mai_guides/builder/fallback.py",
                "mai_guides/builder/database.py", "mai_guides/builder/catalogs.py", "mai_guides/builder/glossary.py",
                "mai_guides/builder/legal_reviews.py", "mai_guides/builder/translation_counts.py", "mai_guides/builder/reviews.py",
                "mai_guides/builder/po_check.py", "mai_guides/builder/po_encoding.py", "mai_guides/builder/legal_help.py", "mai_guides/builder/speech.py", "mai_guides/builder/voices.py",
                "mai_guides/wordforms.py", "mai_guides/registry.py")
PAGE_FILES = ("templates/*.html", "static/style.css", "static/tools.css", "static/plan.css", "static/*.js", "static/*.svg",
              "mai_guides/web/", "mai_guides/i18n.py", "mai_guides/db.py", "mai_guides/fonts.py",
              "mai_guides/site_files.py", "mai_guides/glossary_tbx.py",
              "mai_guides/local_help.py", "mai_guides/plan.py")
RENDERER_CODE = ("mai_guides/pdf/render.py", "mai_guides/pdf/cidfonts.py", "mai_guides/pdf/documents.py",
                 "mai_guides/fonts.py", "static/pdf.css")
RENDERER_PACKAGES = ("weasyprint", "pydyf", "fonttools", "pikepdf")
CARD_TEMPLATES = ("templates/pdf/base.html", "templates/pdf/_card.html", "templates/pdf/card.html",
                  "templates/pdf/sheet.html", "templates/_notices.html")
DOCUMENT_TEMPLATES = ("templates/pdf/",)
JOB_CODE = ("mai_guides/pdf/jobs.py",)
JOB_PACKAGES = ("pikepdf",)
# Files that change no output: tools around the outputs (commands, checks, caches, servers).
NO_OUTPUT = ("mai_guides/__init__.py", "mai_guides/cli.py", "mai_guides/files.py", "mai_guides/fingerprints.py",
             "mai_guides/releases.py", "mai_guides/builder/site.py",
             "mai_guides/pdf/__init__.py", "mai_guides/pdf/cache.py", "mai_guides/builder/__init__.py",
             "mai_guides/builder/commands.py", "mai_guides/builder/pipeline.py", "mai_guides/builder/paths.py",
             "mai_guides/builder/prerender.py", "mai_guides/builder/card_fit.py", "mai_guides/builder/freeze.py",
             "mai_guides/builder/glyphs.py", "mai_guides/builder/locale_add.py",
             # `news import` writes content sources (which the content fingerprint then covers)
             "mai_guides/builder/news_import.py", "mai_guides/builder/feed_reading.py",
             "mai_guides/builder/html_markdown.py")


def matching(base: Path, pattern: str) -> set[Path]:
    """The files one pattern names under base."""
    if pattern.endswith("/"):
        return {p for p in (base / pattern).rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    if any(c in pattern for c in "*?["):
        return {p for p in base.glob(pattern) if p.is_file()}
    return {base / pattern} if (base / pattern).is_file() else set()


def package_versions(packages: tuple[str, ...]) -> str:
    return " ".join(f"{name} {importlib.metadata.version(name)}" for name in packages)


def font_files(locale: str) -> str:
    """The font files that draw a locale (path, face index, size, time): a new font package moves it."""
    parts = []
    for family in dict.fromkeys([*fonts.families(locale), fonts.BASE_FAMILY]):
        font, index = fonts.font_file(family)
        stat = Path(font).stat()
        parts.append(f"{family}|{font}|{index}|{stat.st_size}|{stat.st_mtime_ns}")
    return "\n".join(parts)


@dataclass(frozen=True)
class Project:
    """Where a project's files are: the code, templates and static files under `root`; the content
    and translations there too, or in folders of their own (MAI_CONTENT, MAI_TRANSLATIONS)."""

    root: Path
    content_dir: Path | None = None
    translations_dir: Path | None = None

    @classmethod
    def from_config(cls, config) -> "Project":
        return cls(Path(config["MAI_ROOT"]), Path(config["MAI_CONTENT"]), Path(config["MAI_TRANSLATIONS"]))

    def base(self, pattern: str) -> tuple[Path, str, str]:
        """The folder a pattern is read from, the pattern inside it, and the name of that folder
        in the project ("content/" for MAI_CONTENT wherever it is)."""
        for folder, own in (("content/", self.content_dir), ("translations/", self.translations_dir)):
            if pattern.startswith(folder) and own is not None:
                return own, pattern.removeprefix(folder) or "./", folder
        return self.root, pattern, ""

    def files(self, patterns: tuple[str, ...]) -> list[tuple[str, Path]]:
        """(name as the project calls it, path) of every file the patterns name, sorted by name;
        missing ones are skipped (an optional stylesheet)."""
        found = {}
        for pattern in patterns:
            base, inside, prefix = self.base(pattern)
            for path in matching(base, inside):
                found[prefix + path.relative_to(base).as_posix()] = path
        return sorted(found.items())

    def digest(self, patterns: tuple[str, ...], *extra: str) -> str:
        """A hash of the named files (their names and bytes) and of any extra text."""
        digest = hashlib.sha256()
        for name, path in self.files(patterns):
            digest.update(f"{name}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        for text in extra:
            digest.update(f"\n{text}".encode())
        return digest.hexdigest()[:16]

    def content(self) -> str:
        return self.digest(CONTENT_SOURCES + CONTENT_CODE)

    def pages(self) -> str:
        return self.digest(PAGE_FILES)

    def renderer_code(self) -> str:
        return self.digest(RENDERER_CODE, package_versions(RENDERER_PACKAGES))

    def renderer(self, locale: str) -> str:
        return hashlib.sha256(f"{self.renderer_code()}\n{font_files(locale)}".encode()).hexdigest()[:16]

    def card_fit(self, locales, printed_address: str | None, help_line: str = "") -> str:
        renderers = "\n".join(self.renderer(code) for code in sorted(locales))
        return self.digest(CARD_TEMPLATES, renderers, repr(printed_address), f"help line: {help_line}")

    def print_job(self) -> str:
        return self.digest(JOB_CODE, package_versions(JOB_PACKAGES))

    def offline(self, printed_address: str | None, help_line: str = "") -> str:
        """The content version: what readers see and save (12 characters, in every URL it names)."""
        parts = [self.content(), self.pages(), self.renderer_code(), self.digest(DOCUMENT_TEMPLATES),
                 f"printed address: {printed_address}"] + ([f"help line: {help_line}"] if help_line else [])
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]
