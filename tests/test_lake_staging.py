"""A run's parts as Parquet: written, counted, read back, checked for repeated keys across
parts, and removed, also when a killed run left them."""

import duckdb
import pyarrow as pa

from tests.test_lake import tables_with
from vnnews.tasks.checks.frames import repeated_keys
from vnnews.tasks.lake.staging import Staging, remove_stale
from vnnews.tasks.tables import SENTENCES


def sentences(*keys: tuple[str, int]) -> pa.Table:
    rows = [{"doc_id": d, "sent_idx": i, "text": "Câu.", "start": 0, "end": 4} for d, i in keys]
    return pa.Table.from_pylist(rows, schema=SENTENCES)


def test_parts_are_written_counted_and_read_back(tmp_path):
    staging = Staging(tmp_path / "staging", "run-1")
    staging.add(1, {"sentences": sentences(("a", 0), ("a", 1))})
    staging.add(2, {"sentences": sentences(("b", 0)), "documents": tables_with("x")["documents"]})
    staging.add(3, {"sentences": SENTENCES.empty_table()})  # an empty part writes no file
    staged = staging.tables["sentences"]
    assert staged.num_rows == 3 and len(staged.paths) == 2
    assert staged.read().to_pylist() == sentences(("a", 0), ("a", 1), ("b", 0)).to_pylist()
    with duckdb.connect() as con:
        assert con.execute(f"SELECT count(*) FROM {staged.relation(con)}").fetchone() == (3,)
    staging.remove()
    assert not (tmp_path / "staging" / "run-1").exists()


def test_a_key_repeated_in_two_parts_is_counted(tmp_path):
    staging = Staging(tmp_path / "staging", "run-1")
    staging.add(1, {"sentences": sentences(("a", 0), ("a", 1))})
    staging.add(2, {"sentences": sentences(("a", 1), ("b", 0))})
    staged = staging.tables["sentences"]
    assert repeated_keys(staged, ("doc_id", "sent_idx")) == 1
    assert repeated_keys(staged, ("doc_id",)) == 2
    assert repeated_keys(staged.read(), ("doc_id", "sent_idx")) == 1  # as in memory


def test_a_table_no_part_had_is_an_empty_relation(tmp_path):
    staging = Staging(tmp_path / "staging", "run-1")
    staging.add(1, {"sentences": SENTENCES.empty_table()})
    staged = staging.tables["sentences"]
    assert staged.num_rows == 0 and staged.read().schema == SENTENCES
    with duckdb.connect() as con:
        assert con.execute(f"SELECT count(*) FROM {staged.relation(con)}").fetchone() == (0,)


def test_parts_of_killed_runs_are_removed_and_the_current_run_kept(tmp_path):
    root = tmp_path / "staging"
    for run in ("killed-1", "killed-2", "current"):
        Staging(root, run).add(1, {"sentences": sentences(("a", 0))})
    assert remove_stale(root, keep="current") == ["killed-1", "killed-2"]
    assert [p.name for p in root.iterdir()] == ["current"]
    assert remove_stale(tmp_path / "never-made", keep="x") == []
