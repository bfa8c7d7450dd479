"""The lake for plain DuckDB: the SQL that opens it read-only from the `duckdb` Python package
or the DuckDB command line, offline (`vnnews sql --print-attach`).

Extensions load from the directory the duckdb-ext-* wheels install (DuckDB is told never to
download one); credentials are never printed: a PostgreSQL password shows as ***, and S3 keys
come from DuckDB's own credential chain (AWS_* variables, ~/.aws).
"""

from __future__ import annotations

from vnnews.tasks.lake import storage
from vnnews.tasks.lake.catalog import CATALOG_EXTENSIONS, EXTENSIONS, LAKE
from vnnews.tasks.lake.extensions import extension_dir
from vnnews.tasks.lake.literal import quoted
from vnnews.tasks.settings import PASSWORD, Settings


def attach_script(settings: Settings) -> str:
    kind = settings.catalog_uri.partition(":")[0]
    lines = [
        f"-- vnnews lake at {settings.lake_label}: read-only, for DuckDB {_duckdb_version()}",
        f"SET extension_directory = {quoted(str(extension_dir()))};",
        "SET autoinstall_known_extensions = false;",
        "SET autoload_known_extensions = false;",
        *(f"LOAD {name};" for name in (*EXTENSIONS, *filter(None, [CATALOG_EXTENSIONS.get(kind)]))),
    ]
    if storage.is_s3(settings.data_path_uri):
        lines += ["LOAD httpfs;", "CREATE SECRET (TYPE s3, PROVIDER credential_chain);"]
    catalog = PASSWORD.sub(r"\1***", settings.catalog_uri)
    # The data dir is the authority: a lake moved or copied elsewhere still finds its files.
    options = f"DATA_PATH {quoted(settings.data_path_uri)}, OVERRIDE_DATA_PATH TRUE, READ_ONLY"
    lines += [f"ATTACH {quoted('ducklake:' + catalog)} AS {LAKE} ({options});", f"USE {LAKE};"]
    return "\n".join(lines) + "\n"


def _duckdb_version() -> str:
    import duckdb

    return duckdb.__version__
