"""Where a build's outputs live, and how they go live in one step.

Each build writes a release: a folder beside the database holding the new database and the UI
catalogs compiled from the same sources. One pointer, `current`, names the live release, and
MAI_DATABASE is a link through it, so replacing that pointer (one rename) switches the database
and the catalogs together: a build killed at any moment leaves the old pair or the new one live,
never new interface text over old content.

    instance/mai.db                   -> mai.db.releases/current/mai.db   (made once)
    instance/mai.db.releases/current  -> <release>                        (replaced by each build)
    instance/mai.db.releases/<release>/mai.db, catalogs/<locale>/LC_MESSAGES/messages.mo

The web side only reads through the pointer (catalogs_dir); the build side writes releases.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

CURRENT = "current"
COMPLETE = ".complete"  # written last into a release: one without it was cut short
CATALOGS = "catalogs"


def releases_dir(database: Path) -> Path:
    return database.with_name(database.name + ".releases")


def live_release(database: Path) -> Path | None:
    """The live release's folder, or None before the first build in this layout."""
    pointer = releases_dir(database) / CURRENT
    return pointer.resolve() if pointer.is_symlink() and pointer.resolve().is_dir() else None


def catalogs_dir(database: Path) -> Path | None:
    """Where the live UI catalogs are (same layout as translations/), if a release holds them."""
    release = live_release(database)
    return release / CATALOGS if release is not None and (release / CATALOGS).is_dir() else None


def new_release(database: Path, version: str) -> Path:
    """A fresh, empty release folder for a build of `version`."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    folder = releases_dir(database) / f"{stamp}-{version}"
    folder.mkdir(parents=True)
    os.chmod(folder, 0o755)
    return folder


def _relink(link: Path, target: str) -> None:
    """Point `link` at `target` in one step (a new link renamed over the old one)."""
    temporary = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    os.symlink(target, temporary)
    os.replace(temporary, link)


def go_live(database: Path, release: Path) -> None:
    """Make `release` the live one: mark it whole, switch the pointer, and (the first time) turn
    MAI_DATABASE into the link through the pointer."""
    (release / COMPLETE).touch()
    _relink(releases_dir(database) / CURRENT, release.name)
    through_pointer = f"{releases_dir(database).name}/{CURRENT}/{database.name}"
    if not (database.is_symlink() and os.readlink(database) == through_pointer):
        _relink(database, through_pointer)


def prune(database: Path, keep: int = 2) -> list[Path]:
    """Delete releases other than the live one and the one before it (readers who opened that
    database a moment ago), and any a killed build left half-written; returns what went."""
    live = live_release(database)
    folders = sorted((p for p in releases_dir(database).iterdir() if p.is_dir() and not p.is_symlink()),
                     key=lambda p: p.name) if releases_dir(database).is_dir() else []
    whole = [p for p in folders if (p / COMPLETE).exists()]
    if live is not None and live in whole:
        kept = set(whole[max(0, whole.index(live) - keep + 1): whole.index(live) + 1])
    else:
        kept = set(whole[-keep:])
    gone = [p for p in folders if p not in kept and p != live]
    for folder in gone:
        shutil.rmtree(folder, ignore_errors=True)
    return gone


def kept_databases(database: Path) -> list[Path]:
    """The database of every whole release still on disk (what readers may still be reading)."""
    folder = releases_dir(database)
    if not folder.is_dir():
        return []
    return [p / database.name for p in folder.iterdir()
            if p.is_dir() and not p.is_symlink() and (p / COMPLETE).exists() and (p / database.name).exists()]
