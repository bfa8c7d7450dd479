"""Time travel: which snapshot a user means, and what changed between two, row kind by row kind."""

import pyarrow as pa
import pytest

from tests.test_lake import run_row
from vnnews.tasks.lake import history, publish
from vnnews.tasks.tables import DOCUMENTS, PUBLISHED


def documents(*rows: tuple[str, str | None]) -> dict[str, pa.Table]:
    """The run's tables with these (doc_id, replaces) documents and nothing else."""
    out = {name: schema.empty_table() for name, schema in PUBLISHED.items()}
    out["documents"] = pa.Table.from_pylist(
        [
            {"doc_id": d, "source_uri": f"file:///{d}.txt", "title": d, "body": d, "replaces": r}
            for d, r in rows
        ],
        schema=DOCUMENTS,
    )
    return out


@pytest.fixture
def four_snapshots(settings):
    """1: a, b. 2: c added, b replaced by b2, a removed. 3: d added. 4: d removed again."""
    publish.publish(settings, documents(("a", None), ("b", None)), run_row("r1"))
    gone = {"documents": ("doc_id", ["a", "b"])}
    publish.publish(settings, documents(("c", None), ("b2", "b")), run_row("r2"), gone)
    publish.publish(settings, documents(("d", None)), run_row("r3"))
    publish.publish(settings, documents(), run_row("r4"), {"documents": ("doc_id", ["d"])})
    return settings


def changes(settings, old: str, new: str) -> dict:
    columns, rows = history.diff(settings, old, new)
    assert columns == ["table_name", "change", "rows"]
    return {(table, change): n for table, change, n in rows}


def test_diff_counts_added_changed_and_removed_documents(four_snapshots):
    assert changes(four_snapshots, "r1", "r2") == {
        ("documents", "added"): 1,  # c
        ("documents", "changed"): 1,  # b2, a new version of b
        ("documents", "removed"): 1,  # a
    }
    assert changes(four_snapshots, "r2", "r3") == {("documents", "added"): 1}
    assert changes(four_snapshots, "r3", "r4") == {("documents", "removed"): 1}
    # d came and went between 2 and 4: a transient version is no change at all.
    assert changes(four_snapshots, "r2", "r4") == {}


def test_versions_resolve_from_numbers_run_ids_and_times(four_snapshots):
    assert history.resolve(four_snapshots, "3") == 3
    assert history.resolve(four_snapshots, " r2 ") == 2
    assert history.resolve(four_snapshots, "2100-01-01T00:00") == 4  # the last one by then


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("99", "No snapshot 99"),
        ("2000-01-01T00:00", "no snapshot at or before 2000-01-01T00:00"),
        ("yesterday", "not a snapshot number, a run id"),
    ],
)
def test_an_unknown_version_says_what_would_be_understood(four_snapshots, as_of, message):
    with pytest.raises(history.UnknownVersion, match=message):
        history.resolve(four_snapshots, as_of)


def test_diff_backwards_is_refused(four_snapshots):
    with pytest.raises(history.UnknownVersion, match="is not after"):
        history.diff(four_snapshots, "r3", "r1")
