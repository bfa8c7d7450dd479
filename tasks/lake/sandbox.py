"""Read-only SQL for people: `vnnews sql` and `vnnews.connect()` read the lake and nothing else.

DuckDB's settings do part of it: `enable_external_access = false` keeps its own file system to
`allowed_directories` (the lake's data path, plus the folders an analyst names), unsigned
extensions go off, and `lock_configuration` keeps it so. They do not cover everything:
- the sqlite and postgres extensions open files and servers themselves, so `ATTACH ... (TYPE
  sqlite)`, `CALL sqlite_attach(...)` or `sqlite_scan(...)` reach any file, including a
  writable re-attach of the lake's own catalog;
- a SELECT can call table functions that run SQL from a string (`query`, `query_table`,
  `json_execute_serialized_sql`) or maintain the lake (`ducklake_expire_snapshots`).
So every statement is also checked before it runs: its kind (SELECT and EXPLAIN; COPY only
once a folder is allowed), and each table function it calls, against a list of those that only
read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from vnnews.tasks.lake import catalog
from vnnews.tasks.settings import Settings

# Table functions that read, and only through DuckDB's own (gated) file system, or only
# describe the database. Every other table function is refused: new ones included.
READING_FUNCTIONS = frozenset(
    """read_parquet parquet_scan read_csv read_csv_auto read_json read_json_auto read_json_objects
    read_json_objects_auto read_ndjson read_ndjson_auto read_ndjson_objects
    read_ndjson_objects_auto read_text read_blob glob sniff_csv parquet_metadata parquet_schema
    parquet_file_metadata parquet_kv_metadata parquet_bloom_probe range generate_series unnest
    repeat repeat_row json_each json_tree summary icu_calendar_names pg_timezone_names
    which_secret duckdb_columns duckdb_constraints duckdb_databases duckdb_dependencies
    duckdb_extensions duckdb_functions duckdb_indexes duckdb_keywords duckdb_memory
    duckdb_optimizers duckdb_schemas duckdb_secret_types duckdb_sequences duckdb_settings
    duckdb_tables duckdb_types duckdb_variables duckdb_views duckdb_temporary_files
    duckdb_approx_database_count pragma_collations pragma_database_size pragma_metadata_info
    pragma_platform pragma_show pragma_storage_info pragma_table_info pragma_user_agent
    pragma_version ducklake_snapshots ducklake_table_info ducklake_table_changes
    ducklake_table_insertions ducklake_table_deletions ducklake_list_files
    ducklake_current_snapshot ducklake_last_committed_snapshot ducklake_options
    search""".split()  # noqa: SIM905  (a list to read, not to diff)
)
READING = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
HINT = (
    "`vnnews sql` reads the published lake and nothing else. To join your own files or "
    "export results, name the folder: --allow-path DIR (Python: allow_paths=[DIR])."
)


class Refused(PermissionError):
    """A statement that would reach outside the lake, refused before it ran."""


@dataclass
class Sandbox:
    """A locked-down connection and what its statements are checked against."""

    con: duckdb.DuckDBPyConnection
    table_functions: frozenset[str]  # every table function it knows: only READING ones run
    allow_copy: bool = False  # COPY, once folders were allowed
    search: bool = False  # the snapshot's search index is attached

    def check(self, sql: str) -> None:
        check(self.con, sql, self.table_functions, self.allow_copy)

    def run(self, sql: str) -> tuple[list[str], list[tuple]]:
        """Check, then execute: (column names, rows)."""
        self.check(sql)
        cursor = self.con.execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return columns, cursor.fetchall() if columns else []

    def close(self) -> None:
        self.con.close()


def open_sandbox(
    settings: Settings, snapshot: int | None = None, allow_paths: Iterable[str | Path] = ()
) -> Sandbox:
    """The lake attached read-only (at `snapshot`), then the connection locked down."""
    folders = [settings.data_path_uri, *(folder_prefix(p) for p in allow_paths)]
    con = catalog.connect(settings, read_only=True, snapshot=snapshot)
    search = _offer_search(con, settings, snapshot)
    con.execute("SET allowed_directories = ?", [folders])
    con.execute("SET enable_external_access = false")
    con.execute("SET allow_unsigned_extensions = false")
    con.execute("SET lock_configuration = true")
    # Read once: no extension can be loaded into the connection from now on.
    functions = frozenset(row[0] for row in con.execute(_TABLE_FUNCTIONS).fetchall())
    return Sandbox(con, functions, allow_copy=len(folders) > 1, search=search)


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


def check(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    table_functions: frozenset[str],
    allow_copy: bool = False,
) -> None:
    """Raise Refused unless every statement in `sql` only reads (or, with `allow_copy`,
    copies within the allowed folders)."""
    allowed = READING | ({duckdb.StatementType.COPY} if allow_copy else set())
    try:
        statements = con.extract_statements(sql)
    except duckdb.ParserException:
        return  # DuckDB reports the syntax error itself when the SQL runs
    for statement in statements:
        if statement.type not in allowed:
            kind = statement.type.name
            extra = "" if kind != "COPY" else " without an allowed folder"
            text = " ".join(statement.query.split())
            text = text if len(text) <= 60 else text[:57] + "..."
            raise Refused(f"{kind} statements are not allowed{extra} ({text}). {HINT}")
    for name in called_functions(sql):
        if name in table_functions and name not in READING_FUNCTIONS:
            raise Refused(f"{name}() is not allowed: it reaches past the lake. {HINT}")


def called_functions(sql: str) -> list[str]:
    """Lower-cased names written just before a '(' (DuckDB's tokenizer skips comments).

    The tokenizer's offsets count UTF-8 bytes, not characters: after any Vietnamese text in a
    query they would point elsewhere in the string, so the bytes are what is read."""
    data = sql.encode()
    tokens = duckdb.tokenize(sql)
    names = []
    for (start, kind), (after, _) in zip(tokens, tokens[1:], strict=False):
        words = (duckdb.token_type.identifier, duckdb.token_type.keyword)
        if kind in words and data[after : after + 1] == b"(":
            name = _NAME.match(data, start)
            if name:
                text = name.group(0).decode(errors="replace")
                names.append(text.strip('"').replace('""', '"').lower())
    return names


_NAME = re.compile(rb'"(?:[^"]|"")*"|[^\s"/(-]+')
_TABLE_FUNCTIONS = (
    "SELECT DISTINCT lower(function_name) FROM duckdb_functions() "
    "WHERE function_type IN ('table', 'table_macro')"
)


def permission_hint(error: Exception) -> str:
    """The way out of a permission error, for the message that shows it."""
    return f"\n{HINT}" if isinstance(error, duckdb.PermissionException) else ""
