"""A run split into many batches publishes exactly what one batch does: dedup, keywords and
rejects look across batch boundaries."""

import shutil
import unicodedata

import pyarrow as pa
import pyarrow.compute as pc

from benchmarks.corpus import corpus
from tests.conftest import SEEDS
from vnnews.flows.pipeline import pipeline
from vnnews.tasks.clean import clean as clean_module
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


def test_a_part_is_cleaned_again_when_the_part_before_loses_documents(
    prefect_harness, tmp_path, monkeypatch
):
    """Part 2 is cleaned while part 1's NLP runs, against part 1's documents. Tokenise then
    rejects part 1's long article (over max_doc_chars), so part 2's shorter copy of it is no
    duplicate after all: part 2 is cleaned again and the copy publishes, as it would if the
    parts had run one after the other."""
    src = tmp_path / "src"
    src.mkdir()
    (_, text), *others = sorted(corpus(3, seed=7).items())
    longer = text.rstrip() + "\n\nBản tin được cập nhật thêm vào buổi chiều cùng ngày.\n"
    files = {"a_long.txt": longer, "b.txt": others[0][1], "c.txt": others[1][1], "d_copy.txt": text}
    for name, body in files.items():
        (src / name).write_text(body, encoding="utf-8")
    monkeypatch.setenv("VNNEWS_BATCH_SIZE", "2")
    monkeypatch.setenv("VNNEWS_PART_SIZE", "2")
    monkeypatch.setenv("VNNEWS_WORKERS", "1")
    monkeypatch.setenv("VNNEWS_MAX_DOC_CHARS", str(len(text) + 10))
    summary = pipeline(sources=[str(src)], data_dir=str(tmp_path / "data"))
    assert "clean (part 2)" in summary.validations
    settings = load_settings(data_dir=tmp_path / "data")
    rejects = catalog.query(settings, "SELECT source_uri, stage, reason FROM rejects")[1]
    assert [(uri.rsplit("/", 1)[-1], stage, why) for uri, stage, why in rejects] == [
        ("a_long.txt", "tokenise", "too_complex")
    ]
    published = catalog.query(settings, "SELECT source_uri FROM documents ORDER BY ALL")[1]
    assert [uri.rsplit("/", 1)[-1] for (uri,) in published] == ["b.txt", "c.txt", "d_copy.txt"]
    # The copy went to the workers with part 2, after part 2 was cleaned again.
    analysed = (
        "SELECT count(DISTINCT doc_id) FROM tokens WHERE doc_id IN (SELECT doc_id FROM documents)"
    )
    assert catalog.query(settings, analysed)[1] == [(3,)]


def task_runs(flow_run_id) -> dict[str, list]:
    """The flow run's task runs by task name ('ingest', 'tokenise', ...), in start order."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    by_task: dict[str, list] = {}
    for run in sorted(runs, key=lambda r: r.start_time):
        by_task.setdefault(run.name.rsplit("-", 1)[0], []).append(run)
    return by_task


def test_the_next_part_is_read_while_the_workers_tokenise(prefect_harness, tmp_path, monkeypatch):
    """Parts of 20 in batches of 10, one worker: part 2's files are read while part 1's
    tokenise tasks are still running in the worker process, not after them."""
    src = tmp_path / "src"
    src.mkdir()
    for name, text in corpus(40, seed=11).items():
        (src / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("VNNEWS_BATCH_SIZE", "10")
    monkeypatch.setenv("VNNEWS_PART_SIZE", "20")
    monkeypatch.setenv("VNNEWS_WORKERS", "1")
    state = pipeline(sources=[str(src)], data_dir=str(tmp_path / "data"), return_state=True)
    assert state.result().n_published == 40
    runs = task_runs(state.state_details.flow_run_id)
    assert len(runs["ingest"]) == 4 and len(runs["tokenise"]) == 4
    part_2_read = runs["ingest"][2].start_time
    part_1_tokenised = max(run.end_time for run in runs["tokenise"][:2])
    assert part_2_read < part_1_tokenised


def test_a_document_quarantined_at_clean_in_a_later_part_is_left_out(
    prefect_harness, tmp_path, monkeypatch
):
    """While part 1's NLP runs on the worker, clean's gate quarantines a document of part 2
    (its body is not NFC): it is left out of every table, and the other 41 publish."""
    src = tmp_path / "src"
    src.mkdir()
    for name, text in corpus(42, seed=17).items():
        (src / name).write_text(text, encoding="utf-8")
    odd = sorted(src.iterdir())[-1].name  # in the last part
    original = clean_module.clean_and_filter

    def decomposed(raw, pack, furniture):
        documents, rejects, removed = original(raw, pack, furniture)
        hit = pc.ends_with(documents["source_uri"], odd).to_pylist()
        bodies = [unicodedata.normalize("NFD", b) if h else b for b, h in
                  zip(documents["body"].to_pylist(), hit, strict=True)]  # fmt: skip
        body = documents.schema.get_field_index("body")
        return documents.set_column(body, "body", pa.array(bodies)), rejects, removed

    monkeypatch.setattr(clean_module, "clean_and_filter", decomposed)
    # Parts of 21: one document in 21 is under the 5% a check may fail before it blocks.
    monkeypatch.setenv("VNNEWS_BATCH_SIZE", "11")
    monkeypatch.setenv("VNNEWS_PART_SIZE", "21")
    monkeypatch.setenv("VNNEWS_WORKERS", "1")
    summary = pipeline(sources=[str(src)], data_dir=str(tmp_path / "data"))
    assert summary.n_published == 41 and summary.n_quarantined == 1
    settings = load_settings(data_dir=tmp_path / "data")
    (quarantined,) = catalog.query(settings, "SELECT DISTINCT doc_id FROM quarantine")[1]
    for table in ("documents", "sentences", "tokens", "entities"):
        ids = {i for (i,) in catalog.query(settings, f"SELECT DISTINCT doc_id FROM {table}")[1]}
        assert quarantined[0] not in ids and (table == "entities" or len(ids) == 41), table
