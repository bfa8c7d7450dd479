"""A run's parts, waiting as Parquet until publish commits them all as one snapshot.

A run carries `part_size` documents at a time from ingest to extract; each part's tables are
written here and leave memory, and publish inserts every part into the lake in one DuckLake
transaction straight from these files. A run that ends, published or not, removes its folder;
the folders of runs that were killed are removed by the next run on the lake (it holds the
writer lock, so no other run can be using them).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from vnnews.tasks.lake.literal import quoted


@dataclass
class Staged:
    """One table of a run, as the Parquet files of its parts."""

    schema: pa.Schema
    paths: list[Path] = field(default_factory=list)
    num_rows: int = 0

    def sql(self) -> str:
        """A FROM clause that reads every part (an empty relation of the schema when none)."""
        if not self.paths:
            return "(SELECT * FROM _empty_staged LIMIT 0)"
        files = ", ".join(quoted(p) for p in self.paths)
        return f"read_parquet([{files}])"

    def read(self) -> pa.Table:
        """The whole table in memory (for small tables, and for tests)."""
        if not self.paths:
            return self.schema.empty_table()
        return pa.concat_tables(pq.read_table(p, schema=self.schema) for p in self.paths)

    def repeated_keys(self, keys: tuple[str, ...]) -> int:
        """Rows whose key another row already has, counted by DuckDB within a memory limit
        (it spills beside the parts rather than hold millions of token keys)."""
        if not self.paths:
            return 0
        spill = self.paths[0].parent.parent / ".spill"
        config = {"memory_limit": "256MB", "temp_directory": str(spill), "threads": 1}
        with duckdb.connect(config=config) as con:
            # One pass: each key's rows but the first.
            groups = f"SELECT count(*) AS n FROM {self.sql()} GROUP BY {', '.join(keys)}"
            return con.execute(f"SELECT coalesce(sum(n - 1), 0) FROM ({groups})").fetchone()[0]

    def relation(self, con: duckdb.DuckDBPyConnection) -> str:
        """Register what sql() needs on `con`; returns the FROM clause."""
        if not self.paths:
            con.register("_empty_staged", self.schema.empty_table())
        return self.sql()


def from_clause(con: duckdb.DuckDBPyConnection, table: pa.Table | Staged, name: str) -> str:
    """What a query reads: a table in memory (registered on `con` as `name`), or a run's
    staged parts (streamed from Parquet)."""
    if isinstance(table, Staged):
        return table.relation(con)
    con.register(name, table)
    return name


class Staging:
    """The folder of one run's staged parts: staging_dir/<run_id>/<table>/<part>.parquet."""

    def __init__(self, staging_dir: Path, run_id: str):
        self.root = staging_dir / run_id
        self.tables: dict[str, Staged] = {}

    def add(self, part: int, tables: dict[str, pa.Table]) -> None:
        """Write one part's tables (empty ones are only remembered by their schema)."""
        for name, table in tables.items():
            staged = self.tables.setdefault(name, Staged(table.schema))
            if table.num_rows == 0:
                continue
            path = self.root / name / f"{part:06d}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table.cast(staged.schema), path)
            staged.paths.append(path)
            staged.num_rows += table.num_rows

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def remove_stale(staging_dir: Path, keep: str) -> list[str]:
    """Remove the staged parts of earlier runs that never finished; the run ids removed."""
    if not staging_dir.is_dir():
        return []
    stale = [p for p in staging_dir.iterdir() if p.is_dir() and p.name != keep]
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return sorted(p.name for p in stale)
