"""The connection `vnnews.connect()` returns: DuckDB's own API, every SQL string checked first.

It guards against mistakes and against SQL that came from elsewhere, not against the Python
code holding it: that code runs as you and can open any file itself.
"""

from __future__ import annotations

from typing import Any

import duckdb

from vnnews.tasks.lake.sandbox import HINT, Refused, Sandbox

# Methods that would load code or reach files without a SQL string to check.
_REFUSED = {"install_extension", "load_extension", "register_filesystem"}


class ReadOnlyConnection:
    """Wraps a sandboxed DuckDB connection; see `vnnews.tasks.lake.sandbox`."""

    def __init__(self, sandbox: Sandbox, con: duckdb.DuckDBPyConnection | None = None) -> None:
        self._sandbox = sandbox
        self._con = con or sandbox.con  # a cursor() shares the sandbox's database and checks

    def sql(self, query: str, *args: Any, **kwargs: Any) -> duckdb.DuckDBPyRelation:
        self._sandbox.check(query)
        return self._con.sql(query, *args, **kwargs)

    query = sql

    def from_query(self, query: str, *args: Any, **kwargs: Any) -> duckdb.DuckDBPyRelation:
        self._sandbox.check(query)
        return self._con.from_query(query, *args, **kwargs)

    def execute(self, query: str, *args: Any, **kwargs: Any) -> ReadOnlyConnection:
        self._sandbox.check(query)
        self._con.execute(query, *args, **kwargs)
        return self

    def executemany(self, query: str, *args: Any, **kwargs: Any) -> ReadOnlyConnection:
        self._sandbox.check(query)
        self._con.executemany(query, *args, **kwargs)
        return self

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
        return getattr(self._con, name)  # fetchall, df, arrow, pl, register, table, close...

    def __enter__(self) -> ReadOnlyConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self._con.close()

    def __repr__(self) -> str:
        return f"<vnnews read-only connection to {self._con!r}>"
