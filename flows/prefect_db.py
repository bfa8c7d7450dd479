"""A fresh data dir's Prefect database, copied from a template instead of migrated from scratch.

A new Prefect database runs every migration (about 20 s on 2 cores) before its server answers,
the same work for every data dir on one Prefect version. So the first server vnnews starts on a
fresh database leaves a copy of it under the cache dir, taken the moment the server answers,
before any run is written to it; the next fresh data dir starts from that copy, and its server
answers in about a third of the time. Only Prefect's default SQLite database is copied: a
database server (PREFECT_API_DATABASE_CONNECTION_URL) is left to Prefect.

The cache is only a shortcut: a template that cannot be read or written is not an error, and
Prefect still migrates a copied database that an older Prefect made.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

from vnnews.tasks.settings import Settings

DATABASE = "prefect.db"
DATABASE_URL_SETTINGS = (
    "PREFECT_API_DATABASE_CONNECTION_URL",
    "PREFECT_SERVER_DATABASE_CONNECTION_URL",
)


def template(settings: Settings) -> Path:
    """The template for this Prefect version: the schema differs from one version to another."""
    return settings.cache_dir / "prefect" / version("prefect") / DATABASE


def default_database(env: dict[str, str]) -> bool:
    return not any(env.get(name) for name in DATABASE_URL_SETTINGS)


def prepare(home: Path, template: Path, env: dict[str, str]) -> str:
    """Before a server starts on `home`: its database copied from the template when it has none.
    "seeded" when it was (this Prefect version's schema and blocks, nothing to check), "new"
    when the server is to make one (and so may leave the template: `keep`), else "kept"."""
    if not default_database(env) or (home / DATABASE).exists():
        return "kept"
    return "seeded" if seed(home, template) else "new"


def seed(home: Path, source: Path) -> bool:
    """Copy the template into a Prefect home that has no database yet; whether it did."""
    target = home / DATABASE
    if target.exists() or not source.is_file():
        return False
    return _put(target, lambda partial: shutil.copyfile(source, partial))


def keep(home: Path, target: Path) -> None:
    """Save the database of a server that just answered as the template, unless one exists.

    SQLite's backup API reads a consistent copy while the server holds the database open (a
    file copy could catch its write-ahead log half-applied)."""
    if target.exists() or not (home / DATABASE).is_file():
        return
    _put(target, lambda partial: _backup(home / DATABASE, partial))


def _backup(source: Path, copy: Path) -> None:
    with (
        contextlib.closing(sqlite3.connect(source)) as database,
        contextlib.closing(sqlite3.connect(copy)) as out,
    ):
        database.backup(out)


def _put(target: Path, write: Callable[[Path], object]) -> bool:
    """write(a scratch file beside `target`), then rename it to `target`, so that another vnnews
    starting at the same time sees the whole file or none. Whether it did; on failure nothing
    is left behind."""
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write(partial)
        os.replace(partial, target)
        return True
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):  # its folder may be what failed
            partial.unlink(missing_ok=True)
        return False
