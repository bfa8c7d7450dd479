"""DuckLake access: one catalog file plus Parquet files under the data dir.

DuckDB never downloads an extension here: `ducklake` and `fts` are loaded from the directory
that the `duckdb-ext-*` PyPI packages install, with auto-install switched off.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb
import pyarrow as pa

from vnnews.tasks.lake import extensions, storage
from vnnews.tasks.lake.extensions import extension_dir  # noqa: F401  (re-exported for plain-DuckDB users)
from vnnews.tasks.lake.literal import quoted
from vnnews.tasks.settings import PASSWORD, Settings

LAKE = "lake"
EXTENSIONS = ("ducklake", "fts")
CATALOG_EXTENSIONS = {"sqlite": "sqlite", "postgres": "postgres"}


class LakeMissing(RuntimeError):
    pass


class LakeError(RuntimeError):
    pass


def connect(
    settings: Settings, read_only: bool = False, snapshot: int | None = None, use: bool = True
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the lake attached as `lake` and selected as default.

    With `snapshot`, the lake is attached (read-only) as it was at that snapshot.
    """
    if read_only and not exists(settings):
        raise LakeMissing(
            f"No lake at {settings.catalog_path}. Run `vnnews run` first, "
            "or point --data-dir / VNNEWS_DATA_DIR at an existing data directory."
        )
    con = extensions.connect()
    kind = settings.catalog_uri.partition(":")[0]
    extensions.load(con, *EXTENSIONS, *filter(None, [CATALOG_EXTENSIONS.get(kind)]))
    storage.prepare(con, settings)
    # The catalog remembers an absolute data path; the data dir is the authority, so a lake that
    # was moved or copied (data/ on another machine) still finds its Parquet files.
    options = [f"DATA_PATH {quoted(settings.data_path_uri)}", "OVERRIDE_DATA_PATH TRUE"]
    if read_only or snapshot is not None:
        options.append("READ_ONLY")
    if snapshot is not None:
        options.append(f"SNAPSHOT_VERSION {int(snapshot)}")
    elif not settings.data_path:
        settings.lake_files_dir.mkdir(parents=True, exist_ok=True)
    if settings.catalog_path is not None:
        settings.catalog_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        uri = quoted(f"ducklake:{settings.catalog_uri}")
        con.execute(f"ATTACH {uri} AS {LAKE} ({', '.join(options)})")
    except duckdb.Error as exc:
        con.close()
        message = PASSWORD.sub(r"\1***", str(exc))  # never echo a catalog password
        if "does not exist" in message and read_only:
            raise LakeMissing(
                f"No lake in the catalog yet ({message}). Run `vnnews run` first."
            ) from None
        raise LakeError(f"Cannot open the lake: {message}") from None
    if use:  # unqualified table names for users' SQL; vnnews itself always writes `lake.x`
        con.execute(f"USE {LAKE}")
    return con


def exists(settings: Settings) -> bool:
    """Whether a lake has been created (a server catalog is assumed to exist)."""
    return settings.catalog_path is None or settings.catalog_path.exists()


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    sql = "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND table_name = ?"
    return con.execute(sql, [LAKE, name]).fetchone()[0] > 0


@contextlib.contextmanager
def _reading(settings: Settings, name: str) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A read-only connection when the lake and its table `name` exist yet, else None."""
    if not exists(settings):
        yield None
        return
    try:
        con = connect(settings, read_only=True)
    except LakeMissing:  # a server catalog nothing was published to yet
        yield None
        return
    try:
        yield con if has_table(con, name) else None
    finally:
        con.close()


def _columns(schema: pa.Schema) -> str:
    return ", ".join(f'"{name}"' for name in schema.names)  # "start", "end" are SQL keywords


def read_table(settings: Settings, name: str, schema: pa.Schema) -> pa.Table:
    """A whole published table (its latest snapshot), or an empty one when there is none yet."""
    with _reading(settings, name) as con:
        if con is None:
            return schema.empty_table()
        sql = f"SELECT {_columns(schema)} FROM {LAKE}.{name}"
        return con.execute(sql).fetch_arrow_table().cast(schema)


def read_rows(settings: Settings, name: str, schema: pa.Schema, doc_ids: list[str]) -> pa.Table:
    """The published rows of table `name` that belong to these documents."""
    with _reading(settings, name) as con:
        if con is None or not doc_ids:
            return schema.empty_table()
        con.register("_ids", pa.table({"doc_id": pa.array(doc_ids, pa.string())}))
        sql = f"SELECT {_columns(schema)} FROM {LAKE}.{name} WHERE doc_id IN "
        return con.execute(sql + "(SELECT doc_id FROM _ids)").fetch_arrow_table().cast(schema)


def read_query(
    settings: Settings, name: str, sql: str, schema: pa.Schema, params: list | None = None
) -> pa.Table:
    """The result of `sql` (over the lake's tables, unqualified) once table `name` exists;
    before, an empty table."""
    with _reading(settings, name) as con:
        if con is None:
            return schema.empty_table()
        return con.execute(sql, params).fetch_arrow_table().cast(schema)


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
