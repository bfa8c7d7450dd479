"""SQL string literals: the one way a path, a name or any other text goes into SQL text.

A path is data, not SQL: a data dir named `it's a lake` must open the lake, not end the
literal early (and no folder name may add SQL of its own). Parameters (`?`) are used where
DuckDB takes them; ATTACH, COPY ... TO and the like take only literals, so those use this.
"""

from __future__ import annotations

import os


def quoted(value: str | os.PathLike[str]) -> str:
    """`value` as a single-quoted SQL string literal: 'it''s a lake'."""
    return "'" + os.fspath(value).replace("'", "''") + "'"
