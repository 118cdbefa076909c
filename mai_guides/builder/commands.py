"""The `flask mai` commands: build, locale and catalog work (the build side of the wall).

Loaded only when a command runs (see cli.py), so web workers never import the build side.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..db import connect_readonly, read_content_version
from ..local_help import deployment_help
from ..pdf.cache import PdfCache
from ..pdf.documents import printed_address
from ..registry import RegistryError, load_registry, registry_file
from . import catalogs
from .content import ContentError, load_content
from .freeze import FreezeError, freeze
from .glossary import GLOSSARY, GlossaryError, glossary_notes, load_glossary
from .inputs import read_all_catalogs
from .paths import Paths
from .pipeline import BuildInProgress, build_site, check_site
from .po_check import ToolMissing

mai = AppGroup("mai", help="Build the site and manage its translations.")
i18n = AppGroup("i18n", help="Extract, update, compile and measure the gettext catalogs.")
locale = AppGroup("locale", help="Add a locale.")
news = AppGroup("news", help="Bring news posts in from other sites' feeds.")
mai.add_command(i18n)
mai.add_command(locale)
mai.add_command(news)

USER_ERRORS = (ContentError, catalogs.CatalogError, RegistryError, GlossaryError, ToolMissing)
BCP47 = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|\d{3}))?$")


def _paths() -> Paths:
    return Paths.from_config(current_app.config)


def reports_user_errors(*extra: type[Exception]):
    """Turn the errors a person can fix (a bad file, a busy lock) into a clear CLI error naming
    the file and line, instead of a traceback; `extra` adds exception types for one command."""
    caught = (*USER_ERRORS, *extra)

    def decorate(command):
        @functools.wraps(command)
        def wrapper(*args, **kwargs):
            try:
                return command(*args, **kwargs)
            except OverflowError as exc:
                raise click.ClickException(f"a PDF could not be laid out: {exc}") from exc
            except caught as exc:
                raise click.ClickException(str(exc)) from exc
        return wrapper
    return decorate


def _progress(items, label, length=None):
    with click.progressbar(items, length=length, label=label, show_pos=True, file=sys.stderr) as bar:
        yield from bar


@mai.command("build")
@click.option("--no-pdfs", is_flag=True, help="Skip pre-rendering the standard PDFs.")
@reports_user_errors(BuildInProgress)
def build_command(no_pdfs):
    """Build instance/mai.db and pre-render the standard PDFs, from content/ and translations/."""
    app = current_app._get_current_object()
    announce_printed_address(app.config["MAI_BASE_URL"])
    announce_help_line(deployment_help(app))
    built = build_site(app, _progress, pdfs=not no_pdfs)
    remove_stale_temp_files(PdfCache.from_config(app.config).root)
    for warning in built.warnings:
        click.secho(str(warning), fg="yellow", err=True)
    inputs = built.inputs
    for warning in inputs.help_warnings:
        click.secho(f"Warning: {warning}", fg="yellow", err=True)
    click.echo(f"Built {_paths().database}: content version {inputs.version}, "
               f"{len(inputs.content.guides)} guides, {len(inputs.content.news)} news posts, "
               f"{len(inputs.registry.codes)} locales, {built.rendered} PDFs rendered.")


@mai.command("freeze")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--no-pdfs", is_flag=True, help="Link the PDFs to MAI_BASE_URL instead of copying them.")
@reports_user_errors(FreezeError)
def freeze_command(directory, no_pdfs):
    """Write the whole built site into DIRECTORY as static files with relative links (any static
    host, a CDN, or a USB stick). DIRECTORY must be new, empty or an earlier export (which is emptied first)."""
    app = current_app._get_current_object()
    if no_pdfs and not printed_address(app.config["MAI_BASE_URL"]):
        raise click.ClickException("--no-pdfs links the PDFs to the public site: set MAI_BASE_URL=https://your.site")
    if live_version(_paths().database) is None:
        raise click.ClickException(f"{_paths().database} is not built yet: run 'flask mai build' first")
    export = freeze(app, directory, pdfs=not no_pdfs)
    pdf_count = sum(1 for path in export.files.values() if path.suffix == ".pdf")
    click.echo(f"Froze {len(export.files)} files into {directory} ({pdf_count} PDFs); open {directory / 'index.html'}.")


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


def announce_help_line(found) -> None:
    """Say which hotline every page, card, handout and poster will carry (MAI_HOTLINE and the rest)."""
    if found is None:
        click.echo("No MAI_HOTLINE: pages and PDFs tell readers how to find their local rapid-response "
                   "hotline instead of printing one.", err=True)
        return
    who = f" ({found.org_name})" if found.org_name else ""
    click.secho(f"Printing the hotline {found.hotline_shown}{who} on every guide page, card, handout and poster.",
                bold=True, err=True)


STALE_TEMP_SECONDS = 3600  # far longer than any render: a temp file this old belongs to a killed process


def remove_stale_temp_files(folder: Path) -> int:
    """Delete the half-written files (atomic_write's `.<name>.*.tmp`) that a worker or build killed
    mid-write left in the PDF cache; young ones may be a render in progress and stay."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    removed = 0
    for temp in folder.rglob(".*.tmp") if folder.is_dir() else ():
        try:
            if temp.stat().st_mtime < cutoff:
                temp.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def live_version(database: Path) -> str | None:
    """The content version being served now, if any (kept in the PDF cache for in-flight readers)."""
    try:
        with closing(connect_readonly(database)) as connection:
            return read_content_version(connection)
    except (sqlite3.Error, TypeError):
        return None


@mai.command("check")
@reports_user_errors(LookupError)
def check_fonts_command():
    """Fail if any character a locale prints has no glyph in that locale's PDF fonts."""
    from .glyphs import coverage_problems

    paths = _paths()
    problems = coverage_problems(paths.database, paths.translations, load_registry(registry_file(paths.translations)))
    for code, chars in problems.items():
        click.echo(f"{code}: no glyph for {' '.join(f'U+{ord(c):04X} {c!r}' for c in chars)}", err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} locale(s) would print missing glyphs (tofu)")
    click.echo("Every character of every locale's cards and handouts has a glyph.")


def _templates(paths: Paths):
    return catalogs.templates(paths.root, paths.content)


@i18n.command("extract")
@reports_user_errors()
def extract_command():
    """Write translations/messages.pot and content.pot from the code and the English content."""
    paths = _paths()
    for domain, template in _templates(paths).items():
        catalogs.write_catalog(catalogs.template_path(paths.translations, domain), template)
        click.echo(f"{catalogs.template_path(paths.translations, domain)}: {len(template)} entries")


@i18n.command("update")
@reports_user_errors()
def update_command():
    """Extract, then merge the templates into every locale (changed English turns fuzzy); each
    content entry that holds a legal term carries the locale's approved rendering as a comment."""
    paths = _paths()
    registry = load_registry(registry_file(paths.translations))
    terms = load_glossary(paths.translations / GLOSSARY)
    for domain, template in _templates(paths).items():
        catalogs.write_catalog(catalogs.template_path(paths.translations, domain), template)
        for info in catalogs.locales_needing_catalogs(registry):
            notes = functools.partial(glossary_notes, terms, info.code) if domain == "content" else None
            catalogs.update_catalog(catalogs.po_path(paths.translations, info, domain), template, info, notes)
    click.echo(f"Updated {len(catalogs.locales_needing_catalogs(registry))} locales.")


@i18n.command("compile")
@reports_user_errors()
def compile_command():
    """Check every catalog (gettext's own checks, headers, markup, placeholders, legal terms), all
    files in one run, and compile the UI catalogs to .mo only when all of them pass."""
    paths = _paths()
    registry = load_registry(registry_file(paths.translations))
    read = read_all_catalogs(paths, registry)
    for info in catalogs.locales_needing_catalogs(registry):
        catalogs.write_mo_file(catalogs.po_path(paths.translations, info, "messages"), read[(info.code, "messages")])
    click.echo(f"All {len(read)} catalogs pass gettext's checks and ours, and compile.")


@i18n.command("check")
@reports_user_errors()
def check_command():
    """Fail when a template is out of date with the code or content, a catalog is broken or a
    wallet card does not fit: every problem of every file in one run, as the build would say it."""
    paths = _paths()
    stale = []
    for domain, template in _templates(paths).items():
        path = catalogs.template_path(paths.translations, domain)
        on_disk = catalogs.read_catalog(path) if path.exists() else None
        if on_disk is None or _ids(on_disk) != _ids(template):
            stale.append(f"{path} is out of date with the English: run 'flask mai i18n update'")
    try:
        warnings = check_site(current_app._get_current_object())
    except USER_ERRORS as exc:
        raise click.ClickException("\n".join([*stale, str(exc)])) from exc
    if stale:
        raise click.ClickException("\n".join(stale))
    for warning in warnings:
        click.secho(str(warning), fg="yellow", err=True)
    click.echo("Every catalog passes gettext's checks and ours, and every wallet card fits.")


@i18n.command("glossary")
@click.option("--tbx", "tbx", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Write the glossary as TBX to this file (Weblate: Glossary > Upload; Poedit reads it too).")
@click.option("--locale", "codes", multiple=True, help="Only these locales (repeatable; default: every one).")
@reports_user_errors()
def glossary_command(tbx, codes):
    """Export the legal-terms glossary (translations/glossary.toml) as TBX for translation tools."""
    from ..glossary_tbx import glossary_tbx

    paths = _paths()
    registry = load_registry(registry_file(paths.translations))
    unknown = [code for code in codes if code not in registry]
    if unknown:
        raise click.BadParameter(f"no locale {', '.join(unknown)}", param_hint="--locale")
    wanted = list(codes) or [info.code for info in catalogs.locales_needing_catalogs(registry)]
    tbx.write_bytes(glossary_tbx(load_glossary(paths.translations / GLOSSARY), wanted))
    click.echo(f"Wrote {tbx}: the glossary in {len(wanted)} locale(s), as TBX.")


def _ids(catalog) -> set:
    return {(m.id if isinstance(m.id, str) else tuple(m.id), m.context) for m in catalog if m.id}


def _reviewed(row) -> str:
    """A translation is reviewed or not; English is the source (its legal review: legal-reviews.toml)."""
    return "source" if row.code == "en" else "yes" if row.reviewed else "no"


def _checked(row) -> str:
    """Percent of the English words whose translation a person marked reviewed (`i18n review`)."""
    if row.code == "en":
        return "-"
    words = row.ui.words + row.content.words
    return str(round(100 * (row.ui.reviewed_words + row.content.reviewed_words) / words) if words else 0)


@i18n.command("status")
@click.option("--files/--no-files", default=True, help="Also list each guide, card and news post.")
@reports_user_errors()
def status_command(files):
    """Print, per locale, coverage, the share of words a person checked and review status, then per file how many entries are
    translated, need an update (fuzzy), are not translated, or are obsolete."""
    from .translation_counts import status_from_disk

    paths = _paths()
    rows = status_from_disk(paths)
    header = f"{'locale':<9}{'UI %':>6}{'content %':>11}{'stale':>7}{'checked %':>11}  {'reviewed':<9}{'last reviewed'}"
    click.echo(header)
    for row in rows:
        click.echo(f"{row.code:<9}{row.ui.percent:>6}{row.content.percent:>11}{row.stale:>7}{_checked(row):>11}  "
                   f"{_reviewed(row):<9}{row.last_reviewed or '-'}")
    if files:
        click.echo(f"\n{'locale':<9}{'done %':>7}{'fuzzy':>7}{'untranslated':>14}{'obsolete':>10}  file")
        for row in rows[1:] if rows and rows[0].code == "en" else rows:  # English is the source
            scopes = {"messages.po": row.ui, "content.po": row.content, **row.documents}
            for scope, stats in scopes.items():
                obsolete = stats.obsolete if scope.endswith(".po") else "-"
                click.echo(f"{row.code:<9}{stats.percent:>7}{stats.stale:>7}{stats.untranslated:>14}"
                           f"{obsolete:>10}  {scope}")


@i18n.command("review")
@click.argument("code")
@click.option("--by", "name", required=True, help="The reviewer's name, as it will be shown (no comma).")
@click.option("--role", required=True, help='Their role, e.g. "community translator", "immigration attorney".')
@click.option("--file", "files", multiple=True, help="Only entries from this source, e.g. content/guides/ice-encounters.md.")
@click.option("--section", "sections", multiple=True,
              help="Only entries of this guide section (its #anchor on the page, e.g. at-home; 'intro', 'title').")
@click.option("--msgid", "msgids", multiple=True, help="Only the entry with this English text.")
@click.option("--all", "everything", is_flag=True, help="Every translated entry of the catalog.")
@click.option("--domain", type=click.Choice(catalogs.DOMAINS), default="content", show_default=True,
              help="content.po (guides, cards, news) or messages.po (the interface).")
@click.option("--date", "on", default=None, help="The day of the review, YYYY-MM-DD (default: today).")
@reports_user_errors(ValueError)
def review_command(code, name, role, files, sections, msgids, everything, domain, on):
    """Mark entries of LOCALE's catalog reviewed by a named person (a `# reviewed:` comment that
    an edit of the English or the translation invalidates)."""
    from . import reviews

    if not (files or sections or msgids or everything):
        raise click.UsageError("say which entries: --file, --section, --msgid, or --all")
    reviews.check_reviewer(name, role)
    on = on or dt.date.today().isoformat()
    dt.date.fromisoformat(on)
    paths = _paths()
    registry = load_registry(registry_file(paths.translations))
    if code not in registry.codes or code == "en":
        raise click.ClickException(f"{code!r} is not a translated locale of translations/locales.toml")
    info, template = registry[code], _templates(paths)[domain]
    section_map = reviews.guide_sections(load_content(paths.content), paths.content.parent) if sections else None
    chosen = reviews.select(template, files, sections, msgids, section_map)
    path = catalogs.po_path(paths.translations, info, domain)
    catalog = catalogs.read_catalog(path, info)
    marked = skipped = 0
    for message in catalog:
        if (message.id, message.context) in chosen:
            if reviews.mark(message, name.strip(), role.strip(), on):
                marked += 1
            else:
                skipped += 1
    if not marked:
        raise click.ClickException(f"no translated entry of {path} matches; nothing was marked"
                                   + (f" ({skipped} matching entries are untranslated or fuzzy)" if skipped else ""))
    catalogs.write_catalog(path, catalog, info.plural)
    click.echo(f"{path}: {marked} entries marked reviewed by {name}, {role}, {on}"
               + (f"; {skipped} untranslated or fuzzy entries left as they are" if skipped else "") + ".")
    click.echo("Run 'flask mai build' to show it on the pages.")


@locale.command("add")
@click.argument("code")
@click.option("--name", help="The language's name in itself (required when CLDR does not know it).")
@click.option("--english-name", help="Its name in English (required when CLDR does not know it).")
@click.option("--dir", "direction", type=click.Choice(["ltr", "rtl"]), help="Text direction.")
@click.option("--fallback", multiple=True, help="A locale to fall back to before English (repeatable).")
@click.option("--plural", help="gettext Plural-Forms, when CLDR does not know the language.")
@click.option("--date-locale", help="When CLDR does not know the language: the CLDR language its readers "
              "read dates in (e.g. 'es' for Mam). Default: English.")
@reports_user_errors(ValueError)
def locale_add_command(code, name, english_name, direction, fallback, plural, date_locale):
    """Register CODE (BCP 47, e.g. 'ko', 'zh-Hant', 'mam') and create its catalogs."""
    from .locale_add import add_locale

    if not BCP47.match(code):
        raise click.BadParameter("use a BCP 47 code such as 'ko', 'zh-Hant' or 'pt-BR'", param_hint="CODE")
    info = add_locale(_paths(), code, name=name, english_name=english_name, direction=direction,
                      fallback=tuple(fallback), plural=plural, date_locale=date_locale)
    click.echo(f"Added {info.code} ({info.english_name}, {info.dir}); fallback chain {' -> '.join(info.chain)}.")
    click.echo(f"Translate {catalogs.po_path(_paths().translations, info, 'messages')} and content.po, "
               "then run 'flask mai build'.")


@news.command("import")
@click.argument("location", metavar="FILE_OR_URL")
@click.option("--guide", "guides", multiple=True, help="A guide the posts relate to (repeatable; default: every guide).")
@click.option("--replace", is_flag=True, help="Rewrite posts imported before from the same original address.")
@click.option("--dry-run", is_flag=True, help="Read and check everything, say what would be written, write nothing.")
@click.option("--timeout", type=click.FloatRange(0.1, 300), default=None,
              help="Seconds to read an address in all (default 20).")
@reports_user_errors()
def news_import_command(location, guides, replace, dry_run, timeout):
    """Import the posts of an RSS 2.0 or Atom feed (a file, or an http(s) address) into content/news/.

    Every post is checked before any is written; a feed that is cut short, unsafe or too large
    imports nothing. A post imported before is skipped unless --replace.
    """
    from .content import load_content
    from .feed_reading import FeedError
    from .news_import import import_news

    paths = _paths()
    known = tuple(guide.slug for guide in load_content(paths.content).guides)
    unknown = sorted(set(guides) - set(known))
    if unknown:
        raise click.BadParameter(f"no guide {', '.join(unknown)}; the guides are {', '.join(known)}",
                                 param_hint="--guide")
    try:
        plan = import_news(location, paths.content / "news", tuple(guides) or known, replace, dry_run, timeout)
    except FeedError as exc:
        raise click.ClickException(f"{exc}. Nothing was imported.") from exc
    except OSError as exc:
        raise click.ClickException(f"could not write into {paths.content / 'news'}: {exc}. Nothing was imported "
                                   "(what this import had written is removed).") from exc
    verb = "Would write" if dry_run else "Wrote"
    for path, post in plan.writes:
        state = "replaced" if path in plan.replaced else "new"
        click.echo(f"{verb} {path} ({state}): {post.title}")
    for wanted, path in plan.renamed:
        click.echo(f"  {wanted}.md is another post already: this one is {path.name}")
    for path in plan.skipped:
        click.echo(f"Skipped {path}: imported before (--replace rewrites it)")
    click.echo(f"{len(plan.writes)} post(s) from {plan.feed_title or location}, {len(plan.skipped)} skipped.")
    if plan.writes and not dry_run:
        click.echo("Then run 'flask mai i18n update' (the new text goes to the translators) and 'flask mai build'.")
