"""Each statement judged by what it runs, before it runs: the rules `sandbox` lists, with why."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from vnnews.tasks.lake.sandbox_errors import HINT, Refused
from vnnews.tasks.lake.sql_tokens import (
    Token,
    between,
    called_functions,
    closing,
    literal,
    table_functions,
    tail,
    tokens,
    word,
)
from vnnews.tasks.lake.write_target import PATTERN, WriteRule

T = duckdb.StatementType
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
    ducklake_settings snapshots current_snapshot last_committed_snapshot table_info
    table_changes table_insertions table_deletions options settings
    search""".split()  # noqa: SIM905  (a list to read, not to diff)
)
# DuckLake's macros in the lake's own schema (`lake.snapshots()`, or `snapshots()` with the
# lake in use): DuckDB's function list never shows them, so the text check names them here.
DUCKLAKE_MACROS = frozenset({"merge_adjacent_files", "set_option", "set_commit_message"})
# Scans of Python objects: a relation built in Python reads through them; SQL never may (their
# arguments are memory addresses).
PYTHON_SCANS = frozenset({"arrow_scan", "arrow_scan_dumb", "pandas_scan", "python_map_function"})
WHY_FUNCTION = {
    "query": "it runs SQL from a string, past this check",
    "query_table": "it reads tables named in a string, past this check",
    "json_execute_serialized_sql": "it runs SQL from a string, past this check",
    "sqlite_scan": "it opens files itself, past DuckDB's file settings",
    "sqlite_attach": "it opens files itself, past DuckDB's file settings",
    "sqlite_query": "it opens files itself, past DuckDB's file settings",
    "merge_adjacent_files": "it writes new files into the lake",
    "ducklake_merge_adjacent_files": "it writes new files into the lake",
}
WHY_KIND = {
    T.ATTACH: "it opens another database, or the lake's own catalog writable",
    T.DETACH: "it closes the lake",
    T.SET: "settings are locked, and USE would leave the lake",
    T.VARIABLE_SET: "settings are locked",
    T.LOAD: "it loads code",
    T.CALL: "CALL runs maintenance (CHECKPOINT compacts a DuckLake); SELECT * FROM f() reads",
    T.PRAGMA: "pragmas write (create_fts_index) or change settings",
    T.EXPORT: "it writes a folder",
    T.COPY: "COPY writes files",
    T.CREATE: "it creates tables, views, macros, secrets or types",
    T.COPY_DATABASE: "it copies a database into another",
    T.VACUUM: "it rewrites the database",
    **dict.fromkeys([T.INSERT, T.UPDATE, T.DELETE, T.MERGE_INTO, T.DROP, T.ALTER],
                    "it changes the lake, which SQL here only reads"),
}  # fmt: skip


@dataclass
class Judge:
    con: duckdb.DuckDBPyConnection  # the sandbox's own: its parser reads IMPORT's files, gated
    parser: duckdb.DuckDBPyConnection  # a plain one, for DuckDB's parse tree
    writes: WriteRule  # where COPY may write: nowhere until folders are named
    table_functions: frozenset[str]  # every table function DuckDB knows here

    def statements(self, sql: str) -> list[duckdb.Statement]:
        """The statements of `sql`, once each is judged (DuckDB raises on a syntax error)."""
        found = self.con.extract_statements(sql)
        for statement in found:
            self.judge(statement.type, statement.query)
        return found

    def judge(self, kind: duckdb.StatementType, text: str, depth: int = 0) -> None:
        if kind == T.SELECT:
            return self._reads(text)
        items = tokens(text)
        first = word(items[0]) if items else ""
        if kind in (T.TRANSACTION, T.EXECUTE) or (kind == T.DROP and first == "deallocate"):
            return None  # see the sandbox's docstring for why each of these runs
        if kind in (T.EXPLAIN, T.PREPARE) and depth < 2:
            return self._inner(first, text, items, depth)
        if kind == T.COPY and self.writes.allowed:
            return self._copy(text, items, depth)
        if kind == T.CREATE and not text.strip():
            _refuse("PIVOT without IN creates a type first: list the values, ON col IN ('a', 'b').")
        extra = " without an allowed folder" if kind == T.COPY else ""
        why = WHY_KIND.get(kind, "it does not only read")
        name = kind.name if kind.name.isidentifier() else " ".join(text.split()[:2]).upper()
        _refuse(f"{name} statements are not allowed{extra} ({_shown(text)}): {why}.")

    def _reads(self, text: str, python: bool = False) -> None:
        names = table_functions(self.parser, text) if text.strip() else None
        if names is None and not python:
            _refuse(f"DuckDB cannot show what this statement runs ({_shown(text)}).")
        if names is None:  # a relation on Python objects renders SQL that cannot be read back
            known = self.table_functions | DUCKLAKE_MACROS
            names = [n for n in called_functions(text) if n in known]
        for name in names:
            if name not in READING_FUNCTIONS and not (python and name in PYTHON_SCANS):
                why = WHY_FUNCTION.get(name, "only table functions that read the lake run here")
                _refuse(f"{name}() is not allowed: {why}.")

    def relation(self, relation: duckdb.DuckDBPyRelation) -> None:
        """A relation built in Python, judged by the SQL it runs (its expressions may hold
        subqueries)."""
        self._reads(relation.sql_query(), python=True)

    def _inner(self, first: str, text: str, items: list[Token], depth: int) -> None:
        """EXPLAIN [ANALYZE] / PREPARE name AS: judged as the statement inside (EXPLAIN ANALYZE
        runs it; plain EXPLAIN is held to the same rule, so both agree)."""
        i = 1
        if first == "explain":
            while i < len(items) and word(items[i]) in ("analyze", "analyse", "verbose"):
                i += 1
        else:  # PREPARE name AS ...
            i = next((k + 1 for k, t in enumerate(items) if word(t) == "as"), len(items))
        texts = [tail(text, items[i])] if i < len(items) else []
        end = closing(items, i) if i < len(items) and items[i].text == "(" else -1
        if 0 < end < len(items) - 1:
            texts.append(tail(text, items[end + 1]))  # EXPLAIN (options) ...
        judged = 0
        for inner in texts:
            try:
                statements = self.con.extract_statements(inner)
            except duckdb.Error:
                continue
            for statement in statements:
                try:
                    self.judge(statement.type, statement.query, depth + 1)
                except Refused as exc:
                    raise Refused(f"{first.upper()} runs what follows it: {exc}") from None
                judged += 1
        if not judged:
            _refuse(f"cannot tell what this {first.upper()} runs ({_shown(text)}).")

    def _copy(self, text: str, items: list[Token], depth: int) -> None:
        """COPY (query) TO 'file': the query judged, the file checked by the write rule."""
        k = 1
        if len(items) > 2 and items[1].text == "(":
            end = closing(items, 1)
            if end < 0:
                _refuse(f"cannot read this COPY ({_shown(text)}).")
            for inner in self.con.extract_statements(between(text, items[2], items[end - 1])):
                self.judge(inner.type, inner.query, depth + 1)
            k = end + 1
        while k < len(items) and word(items[k]) not in ("to", "from"):
            end = closing(items, k) if items[k].text == "(" else k
            k = (end if end >= 0 else len(items)) + 1
        if k >= len(items) or word(items[k]) == "from":
            _refuse("COPY ... FROM loads a file into a table: nothing here is written.")
        target = literal(items[k + 1]) if k + 1 < len(items) else None
        if target is None:
            _refuse("COPY ... TO takes the file as a plain quoted string: TO 'DIR/out.parquet'.")
        self.writes.check(target, _filename_pattern(items[k + 2 :]))


def _filename_pattern(options: list[Token]) -> str | None:
    """The FILENAME_PATTERN option's value, for the write rule to check; one that is not a
    plain string cannot be checked, and is refused."""
    for option, value in zip(options, options[1:], strict=False):
        if word(option) == "filename_pattern":
            if (pattern := literal(value)) is None:
                _refuse(PATTERN)
            return pattern
    return None


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _refuse(message: str) -> None:
    raise Refused(f"{message} {HINT}")
