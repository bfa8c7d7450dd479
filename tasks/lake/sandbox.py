"""Read-only SQL for people: `vnnews sql` and `vnnews.connect()` read the lake and nothing else.

DuckDB's settings do part of it: `enable_external_access = false` keeps its file system to
`allowed_directories` (the lake's data path, plus the folders an analyst names), unsigned
extensions go off, and `lock_configuration` keeps it so. They cannot do the rest: the lake's
files must be readable, and DuckDB has no read-only folder, so they are writable too; and some
functions reach past the file system. So every statement is judged first (`judge.py`) by what
it runs, and the statements judged are the very ones executed (never the text parsed again).

Statement kinds (`duckdb.StatementType`), and why:
- SELECT runs, DESCRIBE, SHOW, SUMMARIZE, PIVOT ... IN (...), UNPIVOT and VALUES too, and a
  PRAGMA that DuckDB rewrites into a SELECT: once every table function in DuckDB's own parse
  tree of it (subqueries, lambdas and CTEs included) is one that only reads (below).
- EXPLAIN is judged as the statement it explains: EXPLAIN ANALYZE runs it (SET, LOAD, CREATE,
  INSERT and COPY all run under EXPLAIN ANALYZE), and plain EXPLAIN is held to the same rule.
- PREPARE name AS ... is judged as the statement it prepares. EXECUTE runs, since only judged
  statements can have been prepared, and DuckDB's parser takes only constants as its
  arguments (a subquery there is a syntax error). DEALLOCATE (a DROP) runs: it only forgets a
  prepared statement.
- IMPORT DATABASE: DuckDB's parser reads the folder's schema.sql and load.sql (through the
  gated file system) and hands back their statements, each judged here like any other.
- TRANSACTION (BEGIN, COMMIT, ROLLBACK) runs: the lake is attached read-only.
- COPY ... TO runs only once folders are named (--allow-path), with the file as a plain
  quoted string (TO accepts an expression, which could compute any path), written inside a
  named folder once links are followed, never under the data dir, the data path or the
  catalog (`write_target.py`), and with no FILENAME_PATTERN that names a folder (`../x`
  climbs out). Its query is judged as a statement. COPY ... FROM is refused: it fills a table.
- Refused: ATTACH (another database, or the lake's catalog writable), DETACH, SET and RESET,
  USE (a SET), SET VARIABLE, LOAD and INSTALL (code), UPDATE EXTENSIONS, CALL (CHECKPOINT is a
  CALL, and on a DuckLake it compacts files), PRAGMA (create_fts_index writes), CREATE (tables,
  views, macros, secrets; and the type a PIVOT without IN makes), DROP, ALTER (and COMMENT
  ON), INSERT, UPDATE, DELETE, MERGE INTO, VACUUM and ANALYZE, EXPORT DATABASE (writes a
  folder), COPY FROM DATABASE, an extension's own statements, and any kind DuckDB adds later.

Table functions and table macros: only those in `judge.READING_FUNCTIONS` run; every other
is refused, including the ones an extension adds later. Among them:
- query, query_table, json_execute_serialized_sql run SQL (or read tables) from a string;
- sqlite_scan, sqlite_attach, sqlite_query (and postgres_*) open files and servers themselves,
  past allowed_directories, including a writable re-attach of the lake's catalog;
- DuckLake's maintenance (ducklake_merge_adjacent_files and its macro lake.merge_adjacent_files
  write new Parquet files into the lake before the read-only commit fails; expire_snapshots,
  cleanup_old_files, delete_orphaned_files, add_data_files, set_option, set_commit_message);
- checkpoint, enable_logging and the like change the database or its settings;
- arrow_scan, pandas_scan, python_map_function take memory addresses (a relation built in
  Python reads through them; SQL never may).

The Python connection (`readonly.py`) holds every SQL string it is given to these rules
(execute, executemany, sql, query, from_query, a relation's query()), judges each relation it
hands out by the SQL that relation runs, lets table_function() call only reading functions,
holds a relation's to_parquet/to_csv to COPY's rule, and refuses checkpoint(),
load_extension(), install_extension() and register_filesystem(). It guards against mistakes
and SQL from elsewhere, not against the Python code holding it, which runs as you.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from vnnews.tasks.lake import catalog, storage
from vnnews.tasks.lake.judge import READING_FUNCTIONS, Judge  # noqa: F401  (re-exported)
from vnnews.tasks.lake.sandbox_errors import HINT, Refused  # noqa: F401  (re-exported)
from vnnews.tasks.lake.sql_tokens import called_functions  # noqa: F401  (re-exported)
from vnnews.tasks.lake.write_target import WriteRule
from vnnews.tasks.settings import Settings


@dataclass
class Sandbox:
    """A locked-down connection and the judge of what runs on it."""

    con: duckdb.DuckDBPyConnection
    judge: Judge
    search: bool = False  # the snapshot's search index is attached

    def check(self, sql: str) -> list[duckdb.Statement]:
        """The statements of `sql`, each judged (Refused otherwise): run these, not the text."""
        return self.judge.statements(sql)

    def close(self) -> None:
        self.con.close()
        self.judge.parser.close()


def open_sandbox(
    settings: Settings, snapshot: int | None = None, allow_paths: Iterable[str | Path] = ()
) -> Sandbox:
    """The lake attached read-only (at `snapshot`), then the connection locked down."""
    allowed = [folder_prefix(p) for p in allow_paths]
    con = catalog.connect(settings, read_only=True, snapshot=snapshot)
    search = _offer_search(con, settings, snapshot)
    con.execute("SET allowed_directories = ?", [[settings.data_path_uri, *allowed]])
    con.execute("SET enable_external_access = false")
    con.execute("SET allow_unsigned_extensions = false")
    con.execute("SET lock_configuration = true")
    # Read once: no extension can be loaded into the connection from now on.
    functions = frozenset(row[0] for row in con.execute(_TABLE_FUNCTIONS).fetchall())
    writes = WriteRule([Path(a) for a in allowed], _protected(settings))
    return Sandbox(con, Judge(con, duckdb.connect(), writes, functions), search=search)


def _protected(settings: Settings) -> list[Path]:
    """What SQL never writes: the data dir, and the data path and catalog wherever they are."""
    places = [settings.data_dir, settings.catalog_path]
    if not storage.is_s3(settings.data_path_uri):
        places.append(Path(settings.data_path_uri))
    return [Path(os.path.realpath(p)) for p in places if p is not None]


def _offer_search(con: duckdb.DuckDBPyConnection, settings: Settings, snapshot: int | None) -> bool:
    """`search('…')`, over the snapshot's index (built now if missing), attached while
    ATTACH is still allowed. A data dir this user cannot write to leaves it out."""
    from vnnews.tasks.lake import search, search_index
    from vnnews.tasks.lake.publish import current_snapshot

    if snapshot is None:
        snapshot = current_snapshot(con)
    try:
        search.attach(con, search_index.build(settings, snapshot))
    except OSError:
        return False
    return True


def folder_prefix(path: str | Path) -> str:
    """An allowed folder as DuckDB matches it: absolute, with a trailing slash, so that
    `/data/a` does not also open `/data/ab`."""
    folder = Path(path).expanduser().resolve()
    if not folder.is_dir():
        raise NotADirectoryError(f"--allow-path {path}: no such folder.")
    return str(folder).rstrip("/") + "/"


_TABLE_FUNCTIONS = (
    "SELECT DISTINCT lower(function_name) FROM duckdb_functions() "
    "WHERE function_type IN ('table', 'table_macro')"
)


def permission_hint(error: Exception) -> str:
    """The way out of a permission error, for the message that shows it."""
    return f"\n{HINT}" if isinstance(error, duckdb.PermissionException) else ""
