from datetime import UTC, datetime

import duckdb
import pyarrow as pa
import pytest

from vnnews.tasks.lake import catalog, publish
from vnnews.tasks.settings import load_settings
from vnnews.tasks.tables import DOCUMENTS, PUBLISHED, VALIDATION_RESULTS


def run_row(run_id: str) -> dict:
    now = datetime.now(UTC)
    return {
        "run_id": run_id,
        "started_at": now,
        "finished_at": now,
        "status": "published",
        "n_in": 1,
        "n_published": 1,
        "n_rejected": 0,
    }


def tables_with(doc_id: str) -> dict[str, pa.Table]:
    out = {name: schema.empty_table() for name, schema in PUBLISHED.items()}
    row = {
        "doc_id": doc_id,
        "source_uri": f"file:///{doc_id}.txt",
        "title": "Tiêu đề",
        "body": "Nội dung.",
    }
    out["documents"] = pa.Table.from_pylist([row], schema=DOCUMENTS)
    return out


def test_each_publish_is_one_snapshot_with_its_runs_row(settings):
    first = publish.publish(settings, tables_with("a"), run_row("r1"))
    second = publish.publish(settings, tables_with("b"), run_row("r2"))
    assert second == first + 1
    columns, rows = catalog.query(
        settings, "SELECT run_id, snapshot_id FROM runs ORDER BY snapshot_id"
    )
    assert rows == [("r1", first), ("r2", second)]
    _, rows = catalog.query(settings, "SELECT doc_id, run_id FROM documents ORDER BY doc_id")
    assert rows == [("a", "r1"), ("b", "r2")]
    _, rows = catalog.query(settings, f"SELECT doc_id FROM documents AT (VERSION => {first})")
    assert rows == [("a",)]


def test_a_failing_publish_leaves_the_previous_snapshot(settings):
    publish.publish(settings, tables_with("a"), run_row("r1"))
    broken = tables_with("b")
    broken["entities"] = pa.table({"doc_id": ["b"], "no_such_column": [1]})
    with pytest.raises(duckdb.Error):
        publish.publish(settings, broken, run_row("r2"))
    _, rows = catalog.query(settings, "SELECT count(*) FROM documents")
    assert rows == [(1,)]
    _, rows = catalog.query(settings, "SELECT count(*) FROM runs")
    assert rows == [(1,)]


def test_sql_is_read_only(settings):
    publish.publish(settings, tables_with("a"), run_row("r1"))
    with pytest.raises(duckdb.Error, match="read-only|read only"):
        catalog.query(settings, "DELETE FROM documents")


def test_missing_lake_says_how_to_make_one(settings):
    with pytest.raises(catalog.LakeMissing, match="vnnews run"):
        catalog.query(settings, "SELECT 1")


def test_plain_duckdb_session_reads_the_lake(settings):
    publish.publish(settings, tables_with("a"), run_row("r1"))
    con = duckdb.connect(
        config={
            "extension_directory": str(catalog.extension_dir()),
            "autoinstall_known_extensions": False,
        }
    )
    con.execute("LOAD ducklake")
    con.execute("LOAD sqlite")
    con.execute(f"ATTACH 'ducklake:sqlite:{settings.catalog_path}' AS news (READ_ONLY)")
    assert con.execute("SELECT title FROM news.documents").fetchall() == [("Tiêu đề",)]


def test_a_copied_data_dir_is_a_working_lake(settings, tmp_path):
    import shutil

    from vnnews.tasks.settings import load_settings

    publish.publish(settings, tables_with("a"), run_row("r1"))
    copy = load_settings(data_dir=tmp_path / "copy")
    shutil.copytree(settings.data_dir, copy.data_dir)
    shutil.rmtree(settings.data_dir)
    publish.publish(copy, tables_with("b"), run_row("r2"))
    _, rows = catalog.query(copy, "SELECT doc_id FROM documents ORDER BY 1")
    assert rows == [("a",), ("b",)]


@pytest.mark.parametrize("lake_backend", ["postgres+s3"], indirect=True)
def test_a_run_another_writer_raced_is_published_with_its_true_snapshot(lake_backend, tmp_path):
    """Two writers on one PostgreSQL catalog: DuckLake commits the second under a later id."""
    settings = load_settings(data_dir=tmp_path / "data")
    publish.publish(settings, tables_with("a"), run_row("r1"))
    raced = tables_with("c")
    raced["validation_results"] = pa.Table.from_pylist(
        [{"snapshot_id": None, "stage": "clean", "expectation": "x", "success": True}],
        schema=VALIDATION_RESULTS,
    )

    def another_writer(point):
        if point == "before_commit":
            assert publish.publish(settings, tables_with("b"), run_row("other")) == 2

    with pytest.raises(publish.PublishedConcurrently, match="published as snapshot 3, not 2"):
        publish.publish(settings, raced, run_row("r2"), reached=another_writer)
    _, rows = catalog.query(settings, "SELECT run_id, snapshot_id FROM runs ORDER BY run_id")
    assert rows == [("other", 2), ("r1", 1), ("r2", 3)]
    _, rows = catalog.query(settings, "SELECT snapshot_id, run_id FROM validation_results")
    assert rows == [(3, "r2")]
    _, rows = catalog.query(settings, "SELECT doc_id FROM documents AT (VERSION => 3) ORDER BY 1")
    assert rows == [("a",), ("b",), ("c",)]
    _, rows = catalog.query(settings, "SELECT doc_id FROM documents AT (VERSION => 2) ORDER BY 1")
    assert rows == [("a",), ("b",)]
