"""`import vnnews` for notebooks: connect() to read the lake, now or as it was; run() the flow."""

import subprocess
import sys

import pytest

import vnnews
from tests.conftest import SEEDS
from tests.test_lake import run_row, tables_with
from vnnews.tasks.lake import publish
from vnnews.tasks.lake.catalog import LakeMissing
from vnnews.tasks.lake.sandbox import Refused


@pytest.fixture
def two_snapshots(settings):
    first = publish.publish(settings, tables_with("a"), run_row("r1"))
    publish.publish(settings, tables_with("b"), run_row("r2"))
    return settings.data_dir, first


def doc_ids(con) -> list[str]:
    return [r[0] for r in con.sql("SELECT doc_id FROM documents ORDER BY doc_id").fetchall()]


def test_connect_reads_the_latest_and_any_past_version(two_snapshots):
    data_dir, first = two_snapshots
    assert doc_ids(vnnews.connect(data_dir)) == ["a", "b"]
    assert doc_ids(vnnews.connect(data_dir, as_of=first)) == ["a"]
    assert doc_ids(vnnews.connect(str(data_dir), as_of="r1")) == ["a"]  # a run id


def test_connect_is_read_only(two_snapshots):
    con = vnnews.connect(two_snapshots[0])
    with pytest.raises(Refused, match="DELETE statements are not allowed"):
        con.execute("DELETE FROM documents")
    assert doc_ids(con) == ["a", "b"]


def test_connect_without_a_lake_says_so(tmp_path):
    with pytest.raises(LakeMissing, match="vnnews run"):
        vnnews.connect(tmp_path / "nothing")


def test_import_vnnews_works_from_any_directory(two_snapshots, tmp_path):
    code = (
        "import sys, vnnews\n"
        "con = vnnews.connect(sys.argv[1])\n"
        "print(con.sql('SELECT count(*) FROM documents').fetchone()[0], vnnews.__file__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(two_snapshots[0])],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    count, where = result.stdout.split()
    assert count == "2" and where.endswith("vnnews/__init__.py")


def test_run_publishes_the_seeds_and_returns_the_summary(prefect_harness, tmp_path):
    summary = vnnews.run(SEEDS, data_dir=tmp_path / "data")
    assert summary.status == "published"
    assert summary.n_published == len(list(SEEDS.glob("*.txt")))
    con = vnnews.connect(tmp_path / "data")
    assert con.sql("SELECT count(*) FROM runs").fetchone()[0] == 1
    assert doc_ids(con) and len(doc_ids(con)) == summary.n_published
