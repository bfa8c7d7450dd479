"""The connection `vnnews.connect()` returns: DuckDB's own API, every SQL string judged first.

It guards against mistakes and against SQL that came from elsewhere, not against the Python
code holding it: that code runs as you and can open any file itself. The rules, and why, are
in `vnnews.tasks.lake.sandbox`.
"""

from __future__ import annotations

from typing import Any

import duckdb

from vnnews.tasks.lake.judge import READING_FUNCTIONS
from vnnews.tasks.lake.sandbox import HINT, Refused, Sandbox

# Methods that would load code, reach files or write the lake without a SQL string to judge.
_REFUSED = {"install_extension", "load_extension", "register_filesystem", "checkpoint"}
# A relation's methods that write a file: held to COPY's rule.
_WRITERS = {"to_parquet", "write_parquet", "to_csv", "write_csv"}


def _run(sandbox: Sandbox, con: Any, method: str, query: str, *args: Any, **kwargs: Any) -> Any:
    """`con.method(query, ...)` on the judged statements: all but the last executed as they
    are, the last through `method` (as DuckDB itself treats several statements)."""
    statements = sandbox.check(query)
    if not statements:
        return getattr(con, method)(query, *args, **kwargs)
    for statement in statements[:-1]:
        con.execute(statement)
    return _wrapped(sandbox, getattr(con, method)(statements[-1], *args, **kwargs))


def _wrapped(sandbox: Sandbox, result: Any) -> Any:
    if isinstance(result, duckdb.DuckDBPyRelation):
        return ReadOnlyRelation(sandbox, result)
    return result


class ReadOnlyConnection:
    """Wraps a sandboxed DuckDB connection; see `vnnews.tasks.lake.sandbox`."""

    def __init__(self, sandbox: Sandbox, con: duckdb.DuckDBPyConnection | None = None) -> None:
        self._sandbox = sandbox
        self._con = con or sandbox.con  # a cursor() shares the sandbox's database and checks

    def sql(self, query: str, *args: Any, **kwargs: Any) -> ReadOnlyRelation | None:
        return _run(self._sandbox, self._con, "sql", query, *args, **kwargs)

    query = sql

    def from_query(self, query: str, *args: Any, **kwargs: Any) -> ReadOnlyRelation:
        return _run(self._sandbox, self._con, "from_query", query, *args, **kwargs)

    def execute(self, query: str, *args: Any, **kwargs: Any) -> ReadOnlyConnection:
        _run(self._sandbox, self._con, "execute", query, *args, **kwargs)
        return self

    def executemany(self, query: str, *args: Any, **kwargs: Any) -> ReadOnlyConnection:
        _run(self._sandbox, self._con, "executemany", query, *args, **kwargs)
        return self

    def table_function(self, name: str, *args: Any, **kwargs: Any) -> ReadOnlyRelation:
        if name.lower() not in READING_FUNCTIONS:
            raise Refused(f"{name}() is not allowed: only table functions that read. {HINT}")
        return _wrapped(self._sandbox, self._con.table_function(name, *args, **kwargs))

    def cursor(self) -> ReadOnlyConnection:
        cursor = self._con.cursor()
        cursor.execute("USE lake")  # a cursor starts in the default database, not the lake
        if self._sandbox.search:
            from vnnews.tasks.lake.search import define

            define(cursor)
        return ReadOnlyConnection(self._sandbox, cursor)

    def __getattr__(self, name: str) -> Any:
        if name in _REFUSED:
            raise Refused(f"{name} is not allowed on a vnnews connection. {HINT}")
        attribute = getattr(self._con, name)  # fetchall, df, arrow, pl, register, table, ...
        if not callable(attribute):
            return attribute

        def relations_judged(*args: Any, **kwargs: Any) -> Any:
            result = _wrapped(self._sandbox, attribute(*args, **kwargs))
            return self if result is self._con else result

        return relations_judged

    def __enter__(self) -> ReadOnlyConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self._con.close()

    def __repr__(self) -> str:
        return f"<vnnews read-only connection to {self._con!r}>"


class ReadOnlyRelation:
    """A DuckDB relation, judged by the SQL it runs before it is handed out; so is every
    relation made from it, and its query() and file writers are held to the same rules."""

    def __init__(self, sandbox: Sandbox, relation: duckdb.DuckDBPyRelation) -> None:
        sandbox.judge.relation(relation)
        self._sandbox = sandbox
        self._relation = relation

    def query(self, virtual_table_name: str, sql_query: str) -> ReadOnlyRelation | None:
        self._sandbox.check(sql_query)
        return _wrapped(self._sandbox, self._relation.query(virtual_table_name, sql_query))

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._relation, name)
        if not callable(attribute):
            return attribute

        def judged(*args: Any, **kwargs: Any) -> Any:
            args = tuple(_unwrapped(a) for a in args)
            kwargs = {k: _unwrapped(v) for k, v in kwargs.items()}
            if name in _WRITERS:
                self._check_write(*args, **kwargs)
            return _wrapped(self._sandbox, attribute(*args, **kwargs))

        return judged

    def _check_write(self, file_name: str = "", *args: Any, **kwargs: Any) -> None:
        pattern = kwargs.get("filename_pattern")
        self._sandbox.judge.writes.check(
            str(kwargs.get("file_name", file_name)), None if pattern is None else str(pattern)
        )

    def __repr__(self) -> str:
        return repr(self._relation)

    def __str__(self) -> str:
        return str(self._relation)

    def __len__(self) -> int:
        return len(self._relation)

    def __getitem__(self, key: str) -> ReadOnlyRelation:
        return _wrapped(self._sandbox, self._relation[key])


def _unwrapped(value: Any) -> Any:
    return value._relation if isinstance(value, ReadOnlyRelation) else value
