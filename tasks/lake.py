"""DuckLake access: one catalog file plus Parquet files under the data dir.

DuckDB never downloads an extension here: `ducklake` and `fts` are loaded from the directory
that the `duckdb-ext-*` PyPI packages install, with auto-install switched off.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa

from tasks.settings import Settings
from tasks.tables import PUBLISHED, RUNS, TERM_DF

LAKE = "lake"
EXTENSIONS = ("ducklake", "fts")
CATALOG_EXTENSIONS = {"sqlite": "sqlite", "postgres": "postgres"}


class LakeMissing(RuntimeError):
    pass


def extension_dir() -> Path:
    """Where the duckdb-ext-* wheels put their extension binaries."""
    dist = importlib.metadata.distribution("duckdb-ext-ducklake")
    return Path(dist.locate_file("duckdb_ext/extensions"))


def connect(
    settings: Settings, read_only: bool = False, snapshot: int | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the lake attached as `lake` and selected as default.

    With `snapshot`, the lake is attached (read-only) as it was at that snapshot.
    """
    if read_only and not exists(settings):
        raise LakeMissing(
            f"No lake at {settings.catalog_path}. Run `vnnews run` first, "
            "or point --data-dir / VNNEWS_DATA_DIR at an existing data directory."
        )
    config = {
        "extension_directory": str(extension_dir()),
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": True,
    }
    con = duckdb.connect(config=config)
    kind = settings.catalog_uri.partition(":")[0]
    for ext in (*EXTENSIONS, CATALOG_EXTENSIONS.get(kind)):
        if ext:
            con.execute(f"LOAD {ext}")
    # The catalog remembers an absolute data path; the data dir is the authority, so a lake that
    # was moved or copied (data/ on another machine) still finds its Parquet files.
    options = [f"DATA_PATH '{settings.data_path_uri}'", "OVERRIDE_DATA_PATH TRUE"]
    if read_only or snapshot is not None:
        options.append("READ_ONLY")
    if snapshot is not None:
        options.append(f"SNAPSHOT_VERSION {int(snapshot)}")
    elif not settings.data_path:
        settings.lake_files_dir.mkdir(parents=True, exist_ok=True)
    if settings.catalog_path is not None:
        settings.catalog_path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"ATTACH 'ducklake:{settings.catalog_uri}' AS {LAKE} ({', '.join(options)})")
    con.execute(f"USE {LAKE}")
    return con


def exists(settings: Settings) -> bool:
    """Whether a lake has been created (a server catalog is assumed to exist)."""
    return settings.catalog_path is None or settings.catalog_path.exists()


def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
    schemas = {
        name: schema.append(pa.field("run_id", pa.string())) for name, schema in PUBLISHED.items()
    }
    schemas["runs"] = RUNS
    for name, schema in schemas.items():
        con.register("_empty", schema.empty_table())
        con.execute(f"CREATE TABLE IF NOT EXISTS {LAKE}.{name} AS SELECT * FROM _empty")
        con.unregister("_empty")


def _pause_for_tests() -> None:
    """Crash and concurrency tests hold a publish open here: everything written, not committed."""
    if seconds := float(os.environ.get("VNNEWS_TEST_PAUSE_BEFORE_COMMIT", "0") or 0):
        print("vnnews: publish paused before commit", file=sys.stderr, flush=True)
        time.sleep(seconds)


def current_snapshot(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute(f"SELECT id FROM {LAKE}.current_snapshot()").fetchone()[0]


def publish(settings: Settings, tables: dict[str, pa.Table], run: dict) -> int:
    """Write every table of one run, plus its `runs` row, as one atomic DuckLake snapshot.

    Returns the snapshot id. Either all of it is committed or none of it is.
    """
    con = connect(settings)
    try:
        con.execute("BEGIN TRANSACTION")
        _create_tables(con)
        # DuckLake numbers snapshots consecutively, so with one writer the commit below gets
        # the next id; it is checked after the commit.
        snapshot_id = current_snapshot(con) + 1
        for name, table in tables.items():
            with_run = table.append_column(
                "run_id", pa.array([run["run_id"]] * len(table), pa.string())
            )
            con.register("_batch", with_run)
            con.execute(f"INSERT INTO {LAKE}.{name} BY NAME SELECT * FROM _batch")
            con.unregister("_batch")
        row = {**run, "snapshot_id": snapshot_id}
        con.register("_run", pa.Table.from_pylist([row], schema=RUNS))
        con.execute(f"INSERT INTO {LAKE}.runs BY NAME SELECT * FROM _run")
        _pause_for_tests()
        message = json.dumps({"run_id": run["run_id"]})
        con.execute(
            f"CALL {LAKE}.set_commit_message('vnnews', ?, extra_info => ?)",
            [f"run {run['run_id']}", message],
        )
        con.execute("COMMIT")
        committed = current_snapshot(con)
        if committed != snapshot_id:
            raise RuntimeError(
                f"Run {run['run_id']} committed as snapshot {committed}, expected {snapshot_id}: "
                "another writer published at the same time."
            )
        return snapshot_id
    except BaseException:
        # Nothing of this run may stay pending; the catalog still holds the previous snapshot.
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    sql = "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND table_name = ?"
    return con.execute(sql, [LAKE, name]).fetchone()[0] > 0


@contextlib.contextmanager
def _reading(settings: Settings, name: str) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A read-only connection when the lake and its table `name` exist yet, else None."""
    if not exists(settings):
        yield None
        return
    con = connect(settings, read_only=True)
    try:
        yield con if _has_table(con, name) else None
    finally:
        con.close()


def read_table(settings: Settings, name: str, schema: pa.Schema) -> pa.Table:
    """A whole published table (its latest snapshot), or an empty one when there is none yet."""
    with _reading(settings, name) as con:
        if con is None:
            return schema.empty_table()
        sql = f"SELECT {', '.join(schema.names)} FROM {LAKE}.{name}"
        return con.execute(sql).fetch_arrow_table().cast(schema)


def term_frequencies(settings: Settings) -> tuple[pa.Table, int]:
    """Corpus-wide document frequency of every term, and how many documents were counted."""
    with _reading(settings, "term_df") as con:
        if con is None:
            return TERM_DF.empty_table(), 0
        sql = f"SELECT term, sum(df)::BIGINT AS df FROM {LAKE}.term_df GROUP BY term"
        df = con.execute(sql).fetch_arrow_table().cast(TERM_DF)
        n_docs = con.execute(f"SELECT count(DISTINCT doc_id) FROM {LAKE}.keywords").fetchone()[0]
        return df, n_docs


def query(
    settings: Settings, sql: str, params: list | None = None, snapshot: int | None = None
) -> tuple[list[str], list[tuple]]:
    """Run SQL against a read-only attachment of the lake (at `snapshot`): (columns, rows)."""
    con = connect(settings, read_only=True, snapshot=snapshot)
    try:
        cursor = con.execute(sql, params)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return columns, cursor.fetchall()
    finally:
        con.close()
