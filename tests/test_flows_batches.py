"""A run split into many batches publishes exactly what one batch does: dedup, keywords and
rejects look across batch boundaries."""

import shutil

import pyarrow as pa

from benchmarks.corpus import corpus
from tests.conftest import SEEDS
from vnnews.flows.pipeline import pipeline
from vnnews.tasks.lake import catalog
from vnnews.tasks.settings import load_settings
from vnnews.tasks.tables import PUBLISHED

# Differ from run to run by design: when, which run, and the Data Docs page (filed by run).
VOLATILE = {"run_id", "docs_page"}


def sources(root):
    src = root / "src"
    src.mkdir()
    for name, text in corpus(18, seed=23).items():
        (src / name).write_text(text, encoding="utf-8")
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, src / seed.name)
    # The same article again, named to sort last: in another batch than the first copy.
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], src / "zz_copy.txt")
    (src / "zz_short.txt").write_text("Tin ngắn.\nQuá ngắn.\n", encoding="utf-8")
    return src


def content(data_dir) -> dict[str, list]:
    settings = load_settings(data_dir=data_dir)
    out = {}
    for table, schema in PUBLISHED.items():
        columns = [
            f'"{f.name}"'
            for f in schema
            if f.name not in VOLATILE and not pa.types.is_timestamp(f.type)
        ]
        sql = f"SELECT {', '.join(columns)} FROM {table} ORDER BY ALL"
        out[table] = catalog.query(settings, sql)[1]
    return out


def test_many_batches_publish_what_one_batch_does(prefect_harness, tmp_path, monkeypatch, caplog):
    src = sources(tmp_path)
    results = {}
    for size in (500, 4):
        monkeypatch.setenv("VNNEWS_BATCH_SIZE", str(size))
        data_dir = tmp_path / f"data-{size}"
        state = pipeline(sources=[str(src)], data_dir=str(data_dir), return_state=True)
        summary = state.result()
        assert summary.status == "published", summary.blocked
        results[size] = (content(data_dir), summary)
    (one, one_summary), (many, many_summary) = results[500], results[4]
    logged = caplog.text
    # 22 files, 4 a batch: ingest walks the sources as it reads, so it counts without a total.
    assert "ingest batch 1:" in logged and "ingest batch 6:" in logged
    assert "ingest batch 7:" not in logged
    assert "tokenise batch 5/5" in logged  # the 20 documents left after clean
    assert many_summary.n_published == one_summary.n_published == 20
    assert sorted(many_summary.drops.items()) == sorted(one_summary.drops.items())
    assert set(dict(one_summary.drops)) == {("clean", "duplicate"), ("clean", "too_short")}
    assert one["documents"] and one["entities"] and one["keywords"]
    for table in PUBLISHED:
        assert many[table] == one[table], table


def test_parts_end_where_the_files_to_read_do(prefect_harness, tmp_path, monkeypatch):
    """Parts of 8: the 8 articles published before sort last, so after the 8 new ones fill a
    part, only unchanged files are left: no second, empty part for them."""
    src = tmp_path / "src"
    src.mkdir()
    articles = sorted(corpus(16, seed=5).items())
    monkeypatch.setenv("VNNEWS_BATCH_SIZE", "8")
    monkeypatch.setenv("VNNEWS_PART_SIZE", "8")
    for batch in (articles[8:], articles[:8]):
        for name, text in batch:
            (src / name).write_text(text, encoding="utf-8")
        summary = pipeline(sources=[str(src)], data_dir=str(tmp_path / "data"))
        assert summary.status == "published" and summary.n_published == 8
    assert summary.n_unchanged == 8
    assert [key for key in summary.validations if key.startswith("ingest")] == ["ingest"]
