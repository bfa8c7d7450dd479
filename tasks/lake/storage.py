"""Where the lake's Parquet files live: a local folder (default) or S3-compatible storage.

For `data_path = "s3://bucket/prefix/"`, DuckDB's httpfs extension writes and reads the files
with a temporary secret made from the standard AWS environment variables; `s3_endpoint` points
it at another S3-compatible service (MinIO, Ceph, a local test endpoint).
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import duckdb

from vnnews.tasks.lake import extensions
from vnnews.tasks.lake.literal import quoted
from vnnews.tasks.settings import Settings


class StorageError(RuntimeError):
    pass


def is_s3(uri: str) -> bool:
    return uri.startswith(("s3://", "s3a://"))


def s3_secret(settings: Settings) -> str:
    """CREATE SECRET for the lake's bucket, from AWS_* variables and `s3_endpoint`."""
    key, secret = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
    if not key or not secret:
        raise StorageError(
            f"data_path {settings.data_path} is on S3: set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY (and AWS_REGION) in the environment."
        )
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    options = {"TYPE": "s3", "KEY_ID": key, "SECRET": secret, "REGION": region}
    if settings.s3_endpoint:
        endpoint = urlsplit(
            settings.s3_endpoint
            if "://" in settings.s3_endpoint
            else f"https://{settings.s3_endpoint}"
        )
        options |= {"ENDPOINT": endpoint.netloc, "URL_STYLE": "path"}
        options["USE_SSL"] = "true" if endpoint.scheme == "https" else "false"
    body = ", ".join(
        f"{k} {v if k in ('TYPE', 'USE_SSL') else quoted(v)}" for k, v in options.items()
    )
    return f"CREATE OR REPLACE TEMPORARY SECRET vnnews_lake ({body})"


def prepare(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Make the lake's storage reachable from this connection; a local folder needs nothing."""
    if is_s3(settings.data_path_uri):
        extensions.load(con, "httpfs")
        con.execute(s3_secret(settings))
