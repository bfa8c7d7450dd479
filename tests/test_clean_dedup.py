"""Exact and near duplicates, within a run and against signatures published by earlier runs."""

import unicodedata

import pyarrow as pa

from benchmarks.corpus import corpus, cp1258, light_edit
from tests.conftest import write
from vnnews.tasks.clean.clean import clean
from vnnews.tasks.clean.dedup import deduplicate
from vnnews.tasks.ingest.ingest import discover, ingest
from vnnews.tasks.tables import SIGNATURES


def run(files: dict[str, bytes], folder, rule_pack, published):
    for name, data in files.items():
        write(folder / name, data)
    raw, rejects = ingest(discover([folder]))
    assert rejects.num_rows == 0
    docs, _ = clean(raw, rule_pack)
    return deduplicate(docs, published)


def test_two_hundred_articles_fed_twice(tmp_path, rule_pack):
    texts = corpus(200)
    first = {name: text.encode() for name, text in texts.items()}
    kept, rejects, signatures = run(first, tmp_path / "one", rule_pack, SIGNATURES.empty_table())
    assert kept.num_rows == 200 and rejects.num_rows == 0

    names = sorted(texts)
    second = dict(first)
    for name in names[:10]:
        second[name] = cp1258(texts[name])
    for name in names[10:20]:
        second[name] = unicodedata.normalize("NFD", texts[name]).encode()
    edited = names[20:30]
    for name in edited:
        second[name] = light_edit(texts[name]).encode()
    kept2, rejects2, _ = run(second, tmp_path / "two", rule_pack, signatures)

    assert kept2.num_rows == 0, "nothing new may be published"
    reasons = rejects2.group_by("reason").aggregate([("doc_id", "count")]).to_pylist()
    assert {r["reason"]: r["doc_id_count"] for r in reasons} == {
        "duplicate": 190,
        "near_duplicate": 10,
    }
    original = dict(zip(kept["source_uri"].to_pylist(), kept["doc_id"].to_pylist(), strict=True))
    for row in rejects2.to_pylist():
        name = row["source_uri"].rsplit("/", 1)[1]
        assert row["duplicate_of"] == original[(tmp_path / "one" / name).as_uri()]


def test_distinct_articles_are_all_kept(tmp_path, rule_pack):
    files = {name: text.encode() for name, text in corpus(20, seed=1).items()}
    kept, rejects, signatures = run(files, tmp_path, rule_pack, SIGNATURES.empty_table())
    assert kept.num_rows == 20 and rejects.num_rows == 0
    assert signatures.num_rows == 20
    assert all(len(v) == 128 for v in signatures["minhash"].to_pylist())
    assert isinstance(signatures, pa.Table)
