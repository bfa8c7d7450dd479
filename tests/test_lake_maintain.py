"""`vnnews maintain`: small files merged, snapshots past the retention expired (never the
latest), files nothing refers to deleted, and the lake still reads the same."""

import pytest

from tests.test_lake import run_row, tables_with
from vnnews.tasks.lake import catalog, history, publish
from vnnews.tasks.lake.maintain import maintain

DOCS = ["a", "b", "c", "d", "e"]


@pytest.fixture
def five_runs(settings):
    for doc in DOCS:  # one small Parquet file per run and table
        publish.publish(settings, tables_with(doc), run_row(f"run-{doc}"))
    return settings


def one(settings, sql: str):
    return catalog.query(settings, sql)[1][0][0]


def documents_files(settings) -> int:
    return one(settings, "SELECT count(*) FROM ducklake_list_files('lake', 'documents')")


def parquet_on_disk(settings) -> int:
    return len(list(settings.lake_files_dir.rglob("*.parquet")))


def test_maintain_merges_expires_and_deletes_what_nothing_needs(five_runs):
    settings = five_runs
    assert documents_files(settings) == 5
    snapshots_before = one(settings, "SELECT count(*) FROM lake.snapshots()")
    assert snapshots_before == 6  # the lake's creation and five runs

    done = maintain(settings, keep_days=0)

    assert documents_files(settings) == 1  # five small files merged into one
    assert one(settings, "SELECT count(*) FROM lake.snapshots()") == 1  # only the latest
    assert done["snapshots expired"] == snapshots_before  # those five and the merge's parent
    assert done["old files deleted"] > 0
    # Every Parquet file left on disk is one the catalog refers to.
    referenced = one(
        settings,
        "SELECT count(*) FROM (SELECT data_file FROM ducklake_list_files('lake', 'documents') "
        "UNION ALL SELECT data_file FROM ducklake_list_files('lake', 'runs'))",
    )
    assert parquet_on_disk(settings) == referenced
    rows = catalog.query(settings, "SELECT doc_id FROM documents ORDER BY 1")[1]
    assert [r[0] for r in rows] == DOCS  # the latest version reads the same
    with pytest.raises(history.UnknownVersion, match="No snapshot 1"):
        history.resolve(settings, "1")


def test_maintain_keeps_snapshots_inside_the_retention(five_runs):
    settings = five_runs
    done = maintain(settings, keep_days=30)
    assert done["snapshots expired"] == 0
    assert history.resolve(settings, "run-a") == 1  # time travel to the first run still works
    past = catalog.query(settings, "SELECT count(*) FROM documents", snapshot=1)[1]
    assert past == [(1,)]
    assert documents_files(settings) == 1  # merged all the same
