"""The lake configurations an end-to-end test runs under: local files, and a PostgreSQL
catalog with S3-compatible storage.

`postgres+s3` needs a PostgreSQL database in VNNEWS_TEST_POSTGRES (a libpq string; .ci/run starts
a server and sets it) whose role may create databases: each test gets a database of its own,
dropped after it, so that tests running side by side (pytest -n) never share a lake. The S3
endpoint is a moto server started here on loopback. Without the variable the case is skipped
locally, and fails in CI, where it must run.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

POSTGRES = os.environ.get("VNNEWS_TEST_POSTGRES", "")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@contextmanager
def _own_database(dsn: str) -> Iterator[str]:
    """A new, empty database on the server of `dsn` for the block; its libpq string."""
    import psycopg
    from psycopg import sql

    name = f"vnnews_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"{dsn} dbname={name}"  # libpq: the last dbname given wins
    finally:
        with psycopg.connect(dsn, autocommit=True) as admin:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            admin.execute(drop.format(sql.Identifier(name)))


@pytest.fixture
def _postgres_database():
    with _own_database(POSTGRES) as dsn:
        yield dsn


@pytest.fixture(params=["local", "postgres+s3"])
def lake_backend(request, monkeypatch) -> str:
    if request.param == "local":
        return "local"
    if not POSTGRES:
        if os.environ.get("CI"):
            pytest.fail("VNNEWS_TEST_POSTGRES is not set: .ci/run must start PostgreSQL")
        pytest.skip("set VNNEWS_TEST_POSTGRES to a PostgreSQL database to run this case")
    import boto3

    endpoint = request.getfixturevalue("s3_endpoint")
    bucket = f"lake-{uuid.uuid4().hex[:12]}"
    credentials = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
    for name, value in {**credentials, "AWS_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ).create_bucket(Bucket=bucket)
    own = request.getfixturevalue("_postgres_database")
    monkeypatch.setenv("VNNEWS_CATALOG", f"postgres:{own}")
    monkeypatch.setenv("VNNEWS_DATA_PATH", f"s3://{bucket}/lake/")
    monkeypatch.setenv("VNNEWS_S3_ENDPOINT", endpoint)
    return "postgres+s3"
