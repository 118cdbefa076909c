"""What a build reads: every source loaded and checked once, before anything is written."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from ..fingerprints import Project
from ..registry import Registry, RegistryError, load_registry, registry_file
from . import catalogs
from .content import Content, load_content
from .glossary import GLOSSARY, Term, empty_glossary_warnings, glossary_problems, load_glossary
from .legal_help import Directory, load_legal_help
from .legal_help import warnings as legal_help_warnings
from .legal_reviews import LegalReview, load_reviews, valid_reviews
from .paths import Paths
from .reviews import Review, has_stale_mark
from .reviews import reviews as review_marks
from .speech import RECORDINGS, Recording, check_recordings, load_recordings

TRANSLATING_DOC = "docs/translating.md"
from .po_check import Problem
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
    recordings: dict[str, Recording] = field(default_factory=dict)  # phrase -> a person's recording of it
    reviews: dict[str, dict[str, Review]] = field(default_factory=dict)  # locale -> msgid -> a person's review
    catalog_bytes: dict[tuple[str, str], bytes] = field(default_factory=dict)  # (locale, domain) -> the .po
    translating_doc: str = ""  # docs/translating.md, served beside /translate/
    content_catalogs: dict[str, Catalog] = field(default_factory=dict)  # locale -> its content.po as read
    problems: list[Problem] = field(default_factory=list)  # catalog problems kept for the one report (defer)
    warnings: list[Problem] = field(default_factory=list)  # said, but they stop nothing (an empty glossary)
    glossary: list[Term] = field(default_factory=list)  # the legal terms, for /translate/<locale>
    legal_help: list[Directory] = field(default_factory=list)  # national directories of free legal help (content/legal-help.toml)
    help_warnings: list[str] = field(default_factory=list)  # legal-help links due for a check: said, stop nothing


def load_inputs(paths: Paths, printed_address: str | None = None, help_line: str = "",
                defer: bool = False) -> Inputs:
    """Read and validate every source once; raises ContentError/CatalogError/RegistryError.

    Every catalog is checked before any error is raised, so one run lists every problem in
    every file (a volunteer fixes them all, not one per build). With `defer`, catalog problems
    are kept in `problems` instead of raised, so that the wallet cards can be laid out too and
    their problems join the same report (the caller publishes nothing while there are any)."""
    registry = load_registry(registry_file(paths.translations))
    content = load_content(paths.content)
    reviews = valid_reviews(paths.content, load_reviews(paths.content))
    recordings = load_recordings(paths.content)
    check_recordings(recordings, content, paths.content / RECORDINGS)
    legal_help = load_legal_help(paths.content)
    problems: list[Problem] = []
    read = read_all_catalogs(paths, registry, problems if defer else None)
    content_catalogs = {code: catalog for (code, domain), catalog in read.items() if domain == "content"}
    translations = {code: catalogs.published(catalog) for code, catalog in content_catalogs.items()}
    ui_catalogs = {catalogs.po_path(paths.translations, registry[code], domain): catalog
                   for (code, domain), catalog in read.items() if domain == "messages" and len(catalog)}
    status = status_rows(registry, catalogs.templates(paths.root, paths.content, content),
                         lambda info, domain: read.get((info.code, domain), Catalog()))
    unchecked_claims(registry, status)
    marks = {code: review_marks(catalog) for code, catalog in content_catalogs.items()}
    files = {(code, domain): path.read_bytes() for (code, domain) in read
             if (path := catalogs.po_path(paths.translations, registry[code], domain)).is_file()}
    return Inputs(registry, content, translations, ui_catalogs,
                  content_version(paths, printed_address, help_line), status, reviews, recordings=recordings, reviews=marks,
                  catalog_bytes=files, translating_doc=translating_doc(paths),
                  content_catalogs=content_catalogs,
                  problems=problems, warnings=glossary_warnings(paths, registry) + stale_mark_warnings(paths, registry, read),
                  glossary=load_glossary(paths.translations / GLOSSARY),
                  legal_help=legal_help, help_warnings=legal_help_warnings(paths.content, legal_help))


def unchecked_claims(registry: Registry, status: list[StatusRow]) -> None:
    """A locale is called reviewed (`reviewed = true`: no machine-draft notice anywhere) only when a
    person marked every published entry of both its catalogs; else the build names what is left."""
    claims = [f"{registry_file(Path('translations'))}: [{row.code}] says reviewed = true, but "
              f"{drafts(row)} entries of its catalogs are machine drafts no person marked reviewed: run "
              f"'flask mai i18n review {row.code} --by NAME --role ROLE ...' on them, or remove the key"
              for row in status if row.reviewed and drafts(row)]
    if claims:
        raise RegistryError("\n".join(claims))


def drafts(row: StatusRow) -> int:
    """Published entries of a locale's two catalogs that no person marked reviewed."""
    return sum(stats.translated - stats.reviewed for stats in (row.ui, row.content))


def translating_doc(paths: Paths) -> str:
    """The translators' guide, for the status page to link (the site has no other copy of docs/)."""
    doc = paths.root / TRANSLATING_DOC
    return doc.read_text(encoding="utf-8") if doc.is_file() else ""


def read_all_catalogs(paths: Paths, registry: Registry, deferred: list | None = None) -> dict[tuple[str, str], Catalog]:
    """(locale, domain) -> checked catalog; one CatalogError listing every problem of every file
    (strict gettext checks, headers, markup, legal terms), or, given a `deferred` list, the
    problems added to it and the catalogs (broken ones read leniently) returned."""
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
    if deferred is not None:
        deferred += problems
    elif problems:
        raise catalogs.CatalogError(catalogs.report(problems))
    return read


def legal_term_problems(paths: Paths, content_catalogs: dict[str, Catalog], registry: Registry) -> list:
    terms = load_glossary(paths.translations / GLOSSARY)
    return [problem for code, catalog in content_catalogs.items()
            for problem in glossary_problems(terms, code, catalogs.po_path(paths.translations, registry[code],
                                                                           "content"), catalog)]


def glossary_warnings(paths: Paths, registry: Registry) -> list[Problem]:
    glossary = paths.translations / GLOSSARY
    return empty_glossary_warnings(glossary, load_glossary(glossary),
                                   [info.code for info in catalogs.locales_needing_catalogs(registry)])


def stale_mark_warnings(paths: Paths, registry: Registry, read: dict) -> list[Problem]:
    """A warning per entry whose review mark no longer matches it: the page already calls it a
    machine draft; `i18n update` drops the mark, and a person may review it again."""
    return [Problem(catalogs.po_path(paths.translations, registry[code], domain), message.lineno,
                    "warning: this entry changed since a person marked it reviewed, so it counts as a machine "
                    "draft again: 'flask mai i18n update' drops the old mark; 'flask mai i18n review' marks it anew")
            for (code, domain), catalog in read.items() for message in catalog
            if message.id and has_stale_mark(message)]


def content_version(paths: Paths, printed_address: str | None = None, help_line: str = "") -> str:
    """The version of everything a reader sees and saves (fingerprints.Project.offline): it names
    the offline copy and every page's ETag."""
    return Project(paths.root, paths.content, paths.translations).offline(printed_address, help_line)
