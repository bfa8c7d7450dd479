"""Storage and catalog settings: S3 secrets, masked passwords, extensions from the wheels."""

import pytest

from vnnews.tasks.lake import extensions, storage
from vnnews.tasks.settings import load_settings


def test_an_s3_endpoint_gives_a_path_style_secret_without_tls_for_http(monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "it's secret")
    monkeypatch.delenv("AWS_REGION", raising=False)
    settings = load_settings(
        data_dir=tmp_path, data_path="s3://bucket/lake/", s3_endpoint="http://127.0.0.1:9000"
    )
    sql = storage.s3_secret(settings)
    assert "ENDPOINT '127.0.0.1:9000'" in sql and "URL_STYLE 'path'" in sql
    assert "USE_SSL false" in sql and "REGION 'us-east-1'" in sql
    assert "SECRET 'it''s secret'" in sql  # quoted, not injected
    aws = storage.s3_secret(load_settings(data_dir=tmp_path, data_path="s3://bucket/lake/"))
    assert "ENDPOINT" not in aws


def test_s3_without_credentials_says_which_variables_to_set(monkeypatch, tmp_path):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    settings = load_settings(data_dir=tmp_path, data_path="s3://bucket/lake/")
    with pytest.raises(storage.StorageError, match="AWS_ACCESS_KEY_ID"):
        storage.s3_secret(settings)


def test_catalog_passwords_never_reach_the_runs_table_or_messages(tmp_path):
    settings = load_settings(
        data_dir=tmp_path, catalog="postgres:dbname=news host=db user=u password=hunter2"
    )
    assert "hunter2" not in str(settings.describe())
    assert settings.describe()["catalog"].endswith("password=***")
    assert "hunter2" not in settings.lake_label


def test_extensions_are_checked_against_their_wheel_once(monkeypatch):
    extensions.verify.cache_clear()
    path = extensions.verify("ducklake")
    assert path.name == "ducklake.duckdb_extension" and path.is_file()
    for _ in range(3):  # three more connections load it: its 100 MB are not hashed again
        con = extensions.connect()
        extensions.load(con, "ducklake")
        con.close()
    info = extensions.verify.cache_info()
    assert (info.misses, info.hits) == (1, 3)
    with pytest.raises(extensions.ExtensionError, match="duckdb-ext-spatial"):
        extensions.verify("spatial")
