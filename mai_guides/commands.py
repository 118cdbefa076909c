"""The `flask mai` commands: build, locale and catalog work (the build side of the wall).

Loaded only when a command runs (see cli.py), so web workers never import the build side.
"""
from __future__ import annotations

import re
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from . import catalogs
from .build import BuildInProgress, build
from .content import ContentError
from .documents import printed_address, standard_specs
from .glossary import GlossaryError
from .i18n import RegistryError, load_registry
from .paths import Paths
from .pdfcache import PdfCache
from .prerender import prerender

mai = AppGroup("mai", help="Build the site and manage its translations.")
i18n = AppGroup("i18n", help="Extract, update, compile and measure the gettext catalogs.")
locale = AppGroup("locale", help="Add a locale.")
mai.add_command(i18n)
mai.add_command(locale)

USER_ERRORS = (ContentError, catalogs.CatalogError, RegistryError, GlossaryError)
BCP47 = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?$")


def _paths() -> Paths:
    return Paths.from_config(current_app.config)


def _fail(exc: Exception) -> None:
    raise click.ClickException(str(exc)) from exc


def _progress(items, label, length=None):
    with click.progressbar(items, length=length, label=label, show_pos=True, file=sys.stderr) as bar:
        yield from bar


@mai.command("build")
@click.option("--no-pdfs", is_flag=True, help="Skip pre-rendering the standard PDFs.")
def build_command(no_pdfs):
    """Build instance/mai.db and pre-render the standard PDFs, from content/ and translations/."""
    paths = _paths()
    app = current_app._get_current_object()
    cache = PdfCache(Path(app.config["MAI_PDF_CACHE"]))
    previous = live_version(paths.database)
    rendered = []

    def render_pdfs(database, inputs):
        specs = standard_specs(inputs.registry.codes, [g.slug for g in inputs.content.guides])
        rendered.append(prerender(app, database, inputs.version, specs, _progress))

    announce_printed_address(app.config["MAI_BASE_URL"])
    try:
        inputs = build(paths, _progress, None if no_pdfs else render_pdfs, printed_address(app.config["MAI_BASE_URL"]))
    except USER_ERRORS as exc:
        _fail(exc)
    except OverflowError as exc:
        _fail(RuntimeError(f"a PDF could not be laid out: {exc}"))
    except BuildInProgress as exc:
        _fail(exc)
    cache.prune({inputs.version, previous})
    click.echo(f"Built {paths.database}: content version {inputs.version}, "
               f"{len(inputs.content.guides)} guides, {len(inputs.content.news)} news posts, "
               f"{len(inputs.registry.codes)} locales, {sum(rendered)} PDFs rendered.")


def announce_printed_address(base_url: str) -> None:
    """Say loudly which address every card, handout and poster will carry: a print run with the
    wrong one is hundreds of useless cards."""
    address = printed_address(base_url)
    if address:
        click.secho(f"Printing the public address {address} on every card, handout, poster and QR code.",
                    bold=True, err=True)
    else:
        click.secho(f"MAI_BASE_URL is {'not set' if not base_url else repr(base_url) + ', a local address'}: "
                    "PDFs will carry no web address and no QR code. Set MAI_BASE_URL=https://your.site "
                    "before building for print.", fg="yellow", bold=True, err=True)


def live_version(database: Path) -> str | None:
    """The content version being served now, if any (kept in the PDF cache for in-flight readers)."""
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        with closing(connection):
            return connection.execute("select value from meta where key = 'content_version'").fetchone()[0]
    except (sqlite3.Error, TypeError):
        return None


@mai.command("check")
def check_fonts_command():
    """Fail if any character a locale prints has no glyph in that locale's PDF fonts."""
    from .checks import coverage_problems

    paths = _paths()
    try:
        problems = coverage_problems(paths.database, paths.translations,
                                     load_registry(paths.translations / "locales.toml"))
    except LookupError as exc:
        _fail(exc)
    for code, chars in problems.items():
        click.echo(f"{code}: no glyph for {' '.join(f'U+{ord(c):04X} {c!r}' for c in chars)}", err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} locale(s) would print missing glyphs (tofu)")
    click.echo("Every character of every locale's cards and handouts has a glyph.")


def _templates(paths: Paths):
    return catalogs.templates(paths.root, paths.content)


@i18n.command("extract")
def extract_command():
    """Write translations/messages.pot and content.pot from the code and the English content."""
    paths = _paths()
    try:
        for domain, template in _templates(paths).items():
            catalogs.write_catalog(catalogs.template_path(paths.translations, domain), template)
            click.echo(f"{catalogs.template_path(paths.translations, domain)}: {len(template)} entries")
    except USER_ERRORS as exc:
        _fail(exc)


@i18n.command("update")
def update_command():
    """Extract, then merge the templates into every locale (changed English turns fuzzy)."""
    paths = _paths()
    try:
        registry = load_registry(paths.translations / "locales.toml")
        templates = _templates(paths)
        for domain, template in templates.items():
            catalogs.write_catalog(catalogs.template_path(paths.translations, domain), template)
            for info in catalogs.locales_needing_catalogs(registry):
                catalogs.update_catalog(catalogs.po_path(paths.translations, info, domain), template, info)
        click.echo(f"Updated {len(catalogs.locales_needing_catalogs(registry))} locales.")
    except USER_ERRORS as exc:
        _fail(exc)


@i18n.command("compile")
def compile_command():
    """Check every catalog and compile the UI catalogs to .mo."""
    paths = _paths()
    try:
        registry = load_registry(paths.translations / "locales.toml")
        for info in catalogs.locales_needing_catalogs(registry):
            catalogs.compile_catalog(catalogs.po_path(paths.translations, info, "messages"), info)
            catalogs.published_translations(catalogs.po_path(paths.translations, info, "content"), info)
        click.echo("All catalogs compile.")
    except USER_ERRORS as exc:
        _fail(exc)


@i18n.command("check")
def check_command():
    """Fail when a template is out of date with the code or content, or a catalog is broken."""
    paths = _paths()
    try:
        for domain, template in _templates(paths).items():
            path = catalogs.template_path(paths.translations, domain)
            on_disk = catalogs.read_catalog(path) if path.exists() else None
            if on_disk is None or _ids(on_disk) != _ids(template):
                raise click.ClickException(f"{path} is out of date: run 'flask mai i18n update'")
    except USER_ERRORS as exc:
        _fail(exc)
    compile_command.callback()


def _ids(catalog) -> set:
    return {(m.id if isinstance(m.id, str) else tuple(m.id), m.context) for m in catalog if m.id}


@i18n.command("status")
def status_command():
    """Print coverage, stale entries and review status per locale."""
    from .status import status_from_disk

    paths = _paths()
    try:
        rows = status_from_disk(paths)
    except USER_ERRORS as exc:
        _fail(exc)
    header = f"{'locale':<9}{'UI %':>6}{'content %':>11}{'stale':>7}  {'reviewed':<9}{'last reviewed'}"
    click.echo(header)
    for row in rows:
        click.echo(f"{row.code:<9}{row.ui.percent:>6}{row.content.percent:>11}{row.stale:>7}  "
                   f"{'yes' if row.reviewed else 'no':<9}{row.last_reviewed or '-'}")


@locale.command("add")
@click.argument("code")
@click.option("--name", help="The language's name in itself (required when CLDR does not know it).")
@click.option("--english-name", help="Its name in English (required when CLDR does not know it).")
@click.option("--dir", "direction", type=click.Choice(["ltr", "rtl"]), help="Text direction.")
@click.option("--fallback", multiple=True, help="A locale to fall back to before English (repeatable).")
@click.option("--plural", help="gettext Plural-Forms, when CLDR does not know the language.")
def locale_add_command(code, name, english_name, direction, fallback, plural):
    """Register CODE (BCP 47, e.g. 'ko', 'zh-Hant', 'mam') and create its catalogs."""
    from .locales import add_locale

    if not BCP47.match(code):
        raise click.BadParameter("use a BCP 47 code such as 'ko', 'zh-Hant' or 'pt-BR'", param_hint="CODE")
    try:
        info = add_locale(_paths(), code, name=name, english_name=english_name, direction=direction,
                          fallback=tuple(fallback), plural=plural)
    except (ValueError, *USER_ERRORS) as exc:
        _fail(exc)
    click.echo(f"Added {info.code} ({info.english_name}, {info.dir}); fallback chain {' -> '.join(info.chain)}.")
    click.echo(f"Translate {catalogs.po_path(_paths().translations, info, 'messages')} and content.po, "
               "then run 'flask mai build'.")
