"""`flask mai build`, top to bottom.

1. Read and check every source (inputs.py): a mistake anywhere stops here, naming file and line,
   before anything is written.
2. Take the build lock; clear what a killed build left.
3. Write a new release beside the live one (releases.py): the database (database.py) and the UI
   catalogs compiled from the same sources.
   The audio of every phrase it speaks is made first, into a folder named by content (speech.py).
4. Start an app of the build's own over that release (create_app with the release's paths): the
   live app and its settings are never touched.
5. With it, check that every wallet card fits (card_fit.py), pre-render the standard PDFs into
   the cache (prerender.py), keyed by what changes each one, write their sizes into the release's
   database (the API tells them), and keep the site as files in the release (site.py): every page,
   offline list, feed, API answer and standard PDF, which nginx serves itself.
6. Go live in one step: the release pointer is replaced, so the database and the catalogs switch
   together; a failure at any step before leaves the live site as it was.
7. Keep the live release and the one before it; drop older ones, the audio neither names and the
   PDF cache's leftovers.
"""
from __future__ import annotations

import fcntl
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from .. import releases
from ..local_help import help_fingerprint
from ..pdf.cache import PdfCache
from ..pdf.documents import printed_address, standard_specs
from . import catalogs
from .card_fit import check_cards
from .database import fill_database, record_pdf_files
from .inputs import Inputs, load_inputs
from .paths import Paths
from .po_check import Problem
from .prerender import prerender
from .site import write_site
from .speech import make_audio, plan
from .speech import prune as prune_audio


@dataclass(frozen=True)
class Built:
    """What a build did, for its summary line."""

    inputs: Inputs
    release: Path
    rendered: int
    warnings: list[Problem] = field(default_factory=list)  # printed, but nothing stops: a card printed small


def no_progress(items, _label, _length=None):
    return items


def build_site(app: Flask, progress=no_progress, pdfs: bool = True) -> Built:
    """The whole build, as the module docstring walks it; returns what it did."""
    paths = Paths.from_config(app.config)
    inputs = load_inputs(paths, printed_address(app.config["MAI_BASE_URL"]), help_fingerprint(app), defer=True)
    paths.database.parent.mkdir(parents=True, exist_ok=True)
    with exclusive_build(paths.database):
        releases.prune(paths.database)  # a killed build's half-written release, if any
        release = releases.new_release(paths.database, inputs.version)
        try:
            write_release(release, paths, inputs, progress)
            staging = staging_app(app, release)
            warnings = refuse_problems(inputs, *check_cards(staging, paths, inputs))
            specs = standard_specs(inputs.registry.codes, [g.slug for g in inputs.content.guides]) if pdfs else []
            done = prerender(staging, specs, progress)
            record_pdf_files(release / paths.database.name, done)
            if str(app.config["MAI_KEEP_SITE"]).lower() not in ("", "0", "false", "no"):
                write_site(staging, release, specs, progress)
            releases.go_live(paths.database, release)
        except BaseException:
            shutil.rmtree(release, ignore_errors=True)
            raise
        releases.prune(paths.database)
        prune_audio(paths.audio, releases.kept_databases(paths.database))
    if pdfs:
        PdfCache.from_config(app.config).prune()  # keeps the live and the previous rendering of each document
    return Built(inputs, release, sum(1 for item in done if item.rendered), warnings)


def refuse_problems(inputs: Inputs, card_errors: list[Problem], warnings: list[Problem]) -> list[Problem]:
    """Raise one CatalogError with every problem of the catalogs and the cards (and the warnings,
    so that one run says everything); else return the warnings."""
    problems = sorted([*inputs.problems, *card_errors], key=lambda p: (str(p.path), p.line))
    warnings = [*inputs.warnings, *warnings]
    if problems:
        raise catalogs.CatalogError(catalogs.report(problems, warnings))
    return warnings


def check_site(app: Flask) -> list[Problem]:
    """What a build would refuse, without building: every catalog, and the wallet cards (those
    changed since the live build) laid out from a throwaway release. Raises CatalogError with
    every problem; returns the warnings (`flask mai i18n check`)."""
    paths = Paths.from_config(app.config)
    inputs = load_inputs(paths, printed_address(app.config["MAI_BASE_URL"]), defer=True)
    with tempfile.TemporaryDirectory(prefix="mai-check-") as folder:
        release = Path(folder)
        write_release(release, paths, inputs, no_progress)
        return refuse_problems(inputs, *check_cards(staging_app(app, release), paths, inputs))


def write_release(release: Path, paths: Paths, inputs: Inputs, progress) -> None:
    """The release's database (with the audio it names, made first), and its UI catalogs compiled beside it."""
    rows, clips = plan(inputs.content, inputs.registry, inputs.translations, inputs.recordings)
    fill_database(release / paths.database.name, inputs, progress, make_audio(paths.audio, rows, clips, progress))
    for po, catalog in inputs.ui_catalogs.items():
        target = release / releases.CATALOGS / po.relative_to(paths.translations)
        target.parent.mkdir(parents=True, exist_ok=True)
        catalogs.write_mo_file(target, catalog)


def staging_app(app: Flask, release: Path) -> Flask:
    """An app of the build's own: the live app's settings, but the new release's database and
    catalogs (the CLI's app is never switched over)."""
    from .. import create_app

    settings = {key: value for key, value in app.config.items() if key.startswith("MAI_") or key == "TESTING"}
    return create_app({**settings, "MAI_DATABASE": str(release / Path(app.config["MAI_DATABASE"]).name),
                       "MAI_UI_CATALOGS": str(release / releases.CATALOGS)})


class BuildInProgress(RuntimeError):
    """Another build holds the lock; two builds would write the same release."""


@contextmanager
def exclusive_build(database: Path):
    """Hold an advisory lock beside the database for the whole build."""
    with open(database.with_name(database.name + ".lock"), "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BuildInProgress(f"another build of {database} is running; try again when it ends") from exc
        yield
