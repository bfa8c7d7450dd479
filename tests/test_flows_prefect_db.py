"""A fresh data dir's Prefect database is a copy of the template the first temporary server left
in the cache dir, not a database migrated from scratch (flows/prefect_db.py)."""

from __future__ import annotations

import sqlite3
from importlib.metadata import version
from pathlib import Path

from tests.conftest import SEEDS
from tests.test_flows_server import vnnews
from vnnews.flows import prefect_db

MARK = "vnnews_test_template_mark"
SEED = sorted(SEEDS.glob("*.txt"))[0]


def run_seeds(data_dir: Path, cache: Path) -> None:
    """A run with its temporary server: one seed article and one NLP worker, as the server's
    database is what is looked at."""
    env = {"VNNEWS_CACHE_DIR": str(cache), "VNNEWS_WORKERS": "1"}
    proc = vnnews("run", "--data-dir", str(data_dir), "-s", str(SEED), env=env)
    output, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, output[-3000:]


def rows(database: Path, sql: str) -> list[tuple]:
    db = sqlite3.connect(database)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def flow_runs(database: Path) -> int:
    return rows(database, "SELECT count(*) FROM flow_run")[0][0]


def test_a_fresh_data_dir_starts_from_the_template_the_first_run_left(tmp_path):
    cache = tmp_path / "cache"
    template = cache / "prefect" / version("prefect") / "prefect.db"
    run_seeds(tmp_path / "one", cache)
    # Taken when the server answered: migrated, and no run in it.
    assert flow_runs(template) == 0
    assert rows(template, "SELECT version_num FROM alembic_version")
    assert flow_runs(tmp_path / "one" / "prefect" / "prefect.db") == 1

    # A table only the template has: the next fresh data dir's database must be its copy.
    db = sqlite3.connect(template)
    db.execute(f"CREATE TABLE {MARK} (x)")
    db.commit()
    db.close()
    run_seeds(tmp_path / "two", cache)
    second = tmp_path / "two" / "prefect" / "prefect.db"
    assert rows(second, f"SELECT name FROM sqlite_master WHERE name = '{MARK}'") == [(MARK,)]
    assert flow_runs(second) == 1
    assert flow_runs(template) == 0  # the run wrote to its own copy


def test_a_cache_that_cannot_be_written_or_read_is_passed_over(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    db = sqlite3.connect(home / prefect_db.DATABASE)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    prefect_db.keep(home, blocked / "prefect" / "prefect.db")  # no error, nothing written
    assert blocked.read_text() == "not a folder"

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    assert not prefect_db.seed(fresh, tmp_path / "no-template" / "prefect.db")
    assert not (fresh / prefect_db.DATABASE).exists()
    # A home with a database of its own keeps it.
    assert not prefect_db.seed(home, fresh / "x.db")
    prefect_db.keep(home, fresh / "template.db")
    assert prefect_db.seed(fresh, fresh / "template.db")
    assert rows(fresh / prefect_db.DATABASE, "SELECT name FROM sqlite_master") == [("t",)]


def test_only_prefects_default_database_is_copied():
    assert prefect_db.default_database({})
    url = "postgresql+asyncpg://prefect@db/prefect"
    assert not prefect_db.default_database({"PREFECT_API_DATABASE_CONNECTION_URL": url})
    assert not prefect_db.default_database({"PREFECT_SERVER_DATABASE_CONNECTION_URL": url})
