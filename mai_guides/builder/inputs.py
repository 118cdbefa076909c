"""What a build reads: every source loaded and checked once, before anything is written."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from ..fingerprints import Project
from ..registry import Registry, load_registry, registry_file
from . import catalogs
from .content import Content, load_content
from .glossary import GLOSSARY, glossary_problems, load_glossary
from .legal_help import Directory, load_legal_help
from .legal_help import warnings as legal_help_warnings
from .legal_reviews import LegalReview, load_reviews, valid_reviews
from .paths import Paths
from .translation_counts import StatusRow, status_rows


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads, loaded and checked before anything is written."""

    registry: Registry
    content: Content
    translations: dict[str, dict[str, str]]
    ui_catalogs: dict[Path, Catalog]  # messages.po -> its checked catalog, compiled after the write
    version: str
    status: list[StatusRow]
    legal_reviews: dict[str, LegalReview]  # source under content/ -> the review that still matches it
    legal_help: list[Directory]  # national directories of free legal help (content/legal-help.toml)
    warnings: list[str]  # what the build prints but does not stop for (a link due for a check)


def load_inputs(paths: Paths, printed_address: str | None = None, help_line: str = "") -> Inputs:
    """Read and validate every source once; raises ContentError/CatalogError/RegistryError.

    Every catalog is checked before any error is raised, so one run lists every problem in
    every file (a volunteer fixes them all, not one per build)."""
    registry = load_registry(registry_file(paths.translations))
    content = load_content(paths.content)
    reviews = valid_reviews(paths.content, load_reviews(paths.content))
    legal_help = load_legal_help(paths.content)
    read = read_all_catalogs(paths, registry)
    translations = {code: catalogs.published(catalog) for (code, domain), catalog in read.items()
                    if domain == "content"}
    ui_catalogs = {catalogs.po_path(paths.translations, registry[code], domain): catalog
                   for (code, domain), catalog in read.items() if domain == "messages" and len(catalog)}
    status = status_rows(registry, catalogs.templates(paths.root, paths.content, content),
                         lambda info, domain: read.get((info.code, domain), Catalog()))
    return Inputs(registry, content, translations, ui_catalogs,
                  content_version(paths, printed_address, help_line), status, reviews,
                  legal_help, legal_help_warnings(paths.content, legal_help))


def read_all_catalogs(paths: Paths, registry: Registry) -> dict[tuple[str, str], Catalog]:
    """(locale, domain) -> checked catalog; one CatalogError listing every problem of every file
    (strict gettext checks, headers, markup, legal terms)."""
    read, problems = {}, []
    for info in catalogs.locales_needing_catalogs(registry):
        for domain in catalogs.DOMAINS:
            read[(info.code, domain)], found = catalogs.checked_catalog(
                catalogs.po_path(paths.translations, info, domain), info)
            problems += found
    broken = {p.path for p in problems}
    content = {code: catalog for (code, domain), catalog in read.items() if domain == "content"
               and catalogs.po_path(paths.translations, registry[code], domain) not in broken}
    problems += legal_term_problems(paths, content, registry)
    if problems:
        raise catalogs.CatalogError(catalogs.report(problems))
    return read

def legal_term_problems(paths: Paths, content_catalogs: dict[str, Catalog], registry: Registry) -> list:
    terms = load_glossary(paths.translations / GLOSSARY)
    return [problem for code, catalog in content_catalogs.items()
            for problem in glossary_problems(terms, code, catalogs.po_path(paths.translations, registry[code],
                                                                           "content"), catalog)]


def content_version(paths: Paths, printed_address: str | None = None, help_line: str = "") -> str:
    """The version of everything a reader sees and saves (fingerprints.Project.offline): it names
    the offline copy and every page's ETag."""
    return Project(paths.root, paths.content, paths.translations).offline(printed_address, help_line)
