"""DuckDB extensions from the duckdb-ext-* wheels: never downloaded, checked once per process.

DuckDB checks an extension's signature on every LOAD, re-hashing the binary each time: for
ducklake + sqlite (100 MB) that is 0.35 s per connection, more than a whole publish of a
2,000-article run. vnnews instead checks each binary once per process against the sha256 that
its wheel's RECORD lists (the wheel itself is pinned by hash in uv.lock), then lets DuckDB load
it without re-checking.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
from functools import cache
from pathlib import Path

import duckdb

# The extension name DuckDB knows -> the PyPI distribution that ships it.
DISTRIBUTIONS = {
    "ducklake": "duckdb-ext-ducklake",
    "fts": "duckdb-ext-fts",
    "sqlite": "duckdb-ext-sqlite",
    "postgres": "duckdb-ext-postgres",
    "httpfs": "duckdb-ext-httpfs",
}


class ExtensionError(RuntimeError):
    pass


def extension_dir() -> Path:
    """Where the duckdb-ext-* wheels put their extension binaries."""
    dist = importlib.metadata.distribution("duckdb-ext-ducklake")
    return Path(dist.locate_file("duckdb_ext/extensions"))


@cache
def verify(name: str) -> Path:
    """The extension's binary, once its bytes match its wheel's RECORD."""
    package = DISTRIBUTIONS.get(name, f"duckdb-ext-{name}")
    try:
        dist = importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError:
        raise ExtensionError(
            f"The DuckDB extension {name!r} is not installed: add "
            f"{package}=={duckdb.__version__}.* to pyproject.toml "
            "(DuckDB cannot download extensions here)."
        ) from None
    for file in dist.files or []:
        if file.name.endswith(".duckdb_extension") and file.hash:
            path = Path(dist.locate_file(file))
            digest = hashlib.sha256(path.read_bytes()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != file.hash.value:
                raise ExtensionError(f"{path} does not match {package}'s RECORD: reinstall it.")
            return path
    raise ExtensionError(f"{package} lists no extension binary with a hash.")


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that loads extensions only from the wheels' directory."""
    config = {
        "extension_directory": str(extension_dir()),
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        # Checked by verify() before every LOAD below, once per process.
        "allow_unsigned_extensions": True,
    }
    return duckdb.connect(config=config)


def load(con: duckdb.DuckDBPyConnection, *names: str) -> None:
    for name in names:
        verify(name)
        con.execute(f"LOAD {name}")
