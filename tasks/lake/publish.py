"""Publishing a run: every table, the deletions of replaced rows and the `runs` row, as one
DuckLake transaction, so that a crash at any point leaves the previous snapshot intact."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable

import duckdb
import pyarrow as pa

from vnnews.tasks.lake import rollups, views
from vnnews.tasks.lake.catalog import LAKE, connect
from vnnews.tasks.lake.staging import Staged, from_clause
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


class PublishedConcurrently(RuntimeError):
    """The run is published, but another writer committed to the same catalog meanwhile."""

    def __init__(self, run_id: str, expected: int, committed: int):
        self.snapshot_id = committed
        super().__init__(
            f"Run {run_id} is published as snapshot {committed}, not {expected}: another writer "
            "published to this lake at the same time (the run's snapshot ids are corrected). "
            "Articles both runs took for new may now be in the lake twice. Let one writer "
            "publish at a time: `vnnews run` takes the writer lock (across machines with a "
            "PostgreSQL catalog); a script that calls publish directly does not."
        )


def _commit_message(run_id: str) -> str:
    return json.dumps({"run_id": run_id})


def _restamp(con: duckdb.DuckDBPyConnection, run_id: str, race: PublishedConcurrently) -> None:
    """Rows that record their snapshot were stamped with the id DuckLake would have given the
    commit with one writer; after a race it committed under a later id, so correct them, and
    keep the warning with the run's stage counts for its report."""
    stamped = [name for name, s in PUBLISHED.items() if "snapshot_id" in s.names]
    con.execute("BEGIN TRANSACTION")
    for name in stamped:
        sql = f"UPDATE {LAKE}.{name} SET snapshot_id = ? WHERE run_id = ?"
        con.execute(sql, [race.snapshot_id, run_id])
    con.execute(
        f"UPDATE {LAKE}.runs SET snapshot_id = ?, "
        "stage_counts = json_merge_patch(stage_counts, ?)::VARCHAR WHERE run_id = ?",
        [race.snapshot_id, json.dumps({"warnings": [str(race)]}), run_id],
    )
    con.execute(
        f"CALL {LAKE}.set_commit_message('vnnews', ?, extra_info => ?)",
        [f"snapshot ids of run {run_id}", json.dumps({"restamped": run_id})],
    )
    con.execute("COMMIT")


def publish(
    settings: Settings,
    tables: dict[str, pa.Table | Staged],
    run: dict,
    replacing: dict | None = None,
    reached: Callable[[str], None] = lambda point: None,
) -> int:
    """Write every table of one run, plus its `runs` row, as one atomic DuckLake snapshot.
    A table is an Arrow table or the run's staged parts (tasks/lake/staging.py).

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
        views.create_views(con, LAKE)
        count_every_day = rollups.prepare(con, LAKE)
        # DuckLake numbers snapshots consecutively, so with one writer the commit below gets
        # the next id; it is checked after the commit.
        snapshot_id = current_snapshot(con) + 1
        column, replaced = (replacing or {}).get("documents", ("doc_id", []))
        days = rollups.days_of(con, LAKE, replaced if column == "doc_id" else [])
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
            source = from_clause(con, table, "_batch")
            # A row that records its own snapshot (validation_results) learns it here.
            stamp = (
                " REPLACE (?::BIGINT AS snapshot_id)" if "snapshot_id" in table.schema.names else ""
            )
            con.execute(
                f"INSERT INTO {LAKE}.{name} BY NAME "
                f"SELECT *{stamp}, ?::VARCHAR AS run_id FROM {source}",
                [snapshot_id, run["run_id"]] if stamp else [run["run_id"]],
            )
        if "documents" in tables:
            days |= rollups.new_days(con, tables["documents"])
        rollups.recount(con, LAKE, None if count_every_day else days)
        row = {**run, "snapshot_id": snapshot_id}
        con.register("_run", pa.Table.from_pylist([row], schema=RUNS))
        con.execute(f"INSERT INTO {LAKE}.runs BY NAME SELECT * FROM _run")
        reached("before_commit")
        con.execute(
            f"CALL {LAKE}.set_commit_message('vnnews', ?, extra_info => ?)",
            [f"run {run['run_id']}", _commit_message(run["run_id"])],
        )
        con.execute("COMMIT")
        # Found by its commit message, not as the latest: a third writer may have come after.
        committed = con.execute(
            f"SELECT max(snapshot_id) FROM {LAKE}.snapshots() WHERE commit_extra_info = ?",
            [_commit_message(run["run_id"])],
        ).fetchone()[0]
        if committed != snapshot_id:
            race = PublishedConcurrently(run["run_id"], snapshot_id, committed)
            _restamp(con, run["run_id"], race)
            raise race
        return snapshot_id
    except BaseException:
        # Nothing of this run may stay pending; the catalog still holds the previous snapshot.
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    finally:
        con.close()
