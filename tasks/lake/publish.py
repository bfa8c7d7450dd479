"""Publishing a run: every table, the deletions of replaced rows and the `runs` row, as one
DuckLake transaction, so that a crash at any point leaves the previous snapshot intact."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable

import duckdb
import pyarrow as pa

from vnnews.tasks.lake.catalog import LAKE, connect
from vnnews.tasks.settings import Settings
from vnnews.tasks.tables import PUBLISHED, RUNS


def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables, and add the columns a newer vnnews publishes to older lakes."""
    schemas = {
        name: schema.append(pa.field("run_id", pa.string())) for name, schema in PUBLISHED.items()
    }
    schemas["runs"] = RUNS
    sql = "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = ?"
    existing: dict[str, set] = {}
    for table, column in con.execute(sql, [LAKE]).fetchall():
        existing.setdefault(table, set()).add(column)
    for name, schema in schemas.items():
        missing = [c for c in schema.names if name in existing and c not in existing[name]]
        if name in existing and not missing:
            continue
        con.register("_empty", schema.empty_table())
        if name not in existing:
            con.execute(f"CREATE TABLE {LAKE}.{name} AS SELECT * FROM _empty")
        for column in missing:
            con.execute(f"ALTER TABLE {LAKE}.{name} ADD COLUMN {column} {_sql_type(con, column)}")
        con.unregister("_empty")


def _sql_type(con: duckdb.DuckDBPyConnection, column: str) -> str:
    return con.execute(
        "SELECT data_type FROM (DESCRIBE SELECT * FROM _empty) WHERE column_name = ?", [column]
    ).fetchone()[0]


def current_snapshot(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute(f"SELECT id FROM {LAKE}.current_snapshot()").fetchone()[0]


def publish(
    settings: Settings,
    tables: dict[str, pa.Table],
    run: dict,
    replacing: dict | None = None,
    reached: Callable[[str], None] = lambda point: None,
) -> int:
    """Write every table of one run, plus its `runs` row, as one atomic DuckLake snapshot.

    `replacing` maps a table to (key column, values): those rows are deleted first, in the same
    transaction (old versions of re-published articles, the previous hash of a re-read file).
    Returns the snapshot id. Either all of it is committed or none of it is. `reached` is
    called at "after_delete", "mid_insert" and "before_commit", inside the open transaction
    (the crash tests stop a run there).
    """
    con = connect(settings, use=False)
    try:
        con.execute("BEGIN TRANSACTION")
        _create_tables(con)
        # DuckLake numbers snapshots consecutively, so with one writer the commit below gets
        # the next id; it is checked after the commit.
        snapshot_id = current_snapshot(con) + 1
        for name, (column, values) in (replacing or {}).items():
            if values:
                con.register("_gone", pa.table({column: pa.array(values, pa.string())}))
                con.execute(
                    f"DELETE FROM {LAKE}.{name} WHERE {column} IN (SELECT {column} FROM _gone)"
                )
                con.unregister("_gone")
        reached("after_delete")
        for i, (name, table) in enumerate(tables.items()):
            if i == len(tables) // 2:
                reached("mid_insert")
            if table.num_rows == 0:
                continue
            con.register("_batch", table)
            # A row that records its own snapshot (validation_results) learns it here.
            stamp = (
                " REPLACE (?::BIGINT AS snapshot_id)" if "snapshot_id" in table.schema.names else ""
            )
            con.execute(
                f"INSERT INTO {LAKE}.{name} BY NAME "
                f"SELECT *{stamp}, ?::VARCHAR AS run_id FROM _batch",
                [snapshot_id, run["run_id"]] if stamp else [run["run_id"]],
            )
            con.unregister("_batch")
        row = {**run, "snapshot_id": snapshot_id}
        con.register("_run", pa.Table.from_pylist([row], schema=RUNS))
        con.execute(f"INSERT INTO {LAKE}.runs BY NAME SELECT * FROM _run")
        reached("before_commit")
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
