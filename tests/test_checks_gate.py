"""The validation gate, end to end: a real flow run with one defect injected into a stage's
output. The right expectation fails, no data is published, the run is recorded as failed with
its validation results and quarantined rows, and the report and Data Docs name the failure."""

from __future__ import annotations

import shutil

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from tests.conftest import SEEDS
from vnnews.flows.pipeline import pipeline
from vnnews.tasks.clean import clean as clean_module
from vnnews.tasks.extract import extract as extract_module
from vnnews.tasks.ingest import ingest as ingest_module
from vnnews.tasks.lake import catalog
from vnnews.tasks.nlp import tokenise as tokenise_module
from vnnews.tasks.settings import load_settings

SEED_A, SEED_B = sorted(p.name for p in SEEDS.glob("*.txt"))
DATA_TABLES = ("documents", "sentences", "tokens", "entities", "keywords", "rejects", "files")
XSS = "<script>alert(1)</script>"


def sql(settings, query, params=None):
    return catalog.query(settings, query, params)[1]


@pytest.fixture(scope="module")
def baseline(prefect_harness, tmp_path_factory):
    """A lake that published seed A; the defect runs add seed B."""
    root = tmp_path_factory.mktemp("gate")
    (root / "a").mkdir()
    shutil.copy(SEEDS / SEED_A, root / "a" / SEED_A)
    state = pipeline(sources=[str(root / "a")], data_dir=str(root / "data"), return_state=True)
    assert state.is_completed() and state.result().status == "published", state
    return root


def data_tables(settings):
    return {t: sorted(map(repr, sql(settings, f"SELECT * FROM {t}"))) for t in DATA_TABLES}


def set_column(table, name, values):
    return table.set_column(table.schema.get_field_index(name), name, values)


def null_doc_ids(ingest):
    def wrapper(*args, **kwargs):
        raw, rejects = ingest(*args, **kwargs)
        return set_column(raw, "doc_id", pa.nulls(raw.num_rows, pa.string())), rejects

    return wrapper


def see_also_line(clean):
    def wrapper(*args, **kwargs):
        documents, removed = clean(*args, **kwargs)
        bodies = [b + f"\nXem thêm: {XSS}" for b in documents["body"].to_pylist()]
        return set_column(documents, "body", pa.array(bodies)), removed

    return wrapper


def empty_sentence(tokenise_parallel):
    def wrapper(documents, workers, budget=None, aside=False):
        sentences, tokens, rejects = tokenise_parallel(documents, workers, budget, aside)
        row = {"doc_id": documents["doc_id"][0].as_py(), "sent_idx": 99, "text": "", "start": 0}
        extra = pa.Table.from_pylist([{**row, "end": 0}], schema=sentences.schema)
        return pa.concat_tables([sentences, extra]), tokens, rejects

    return wrapper


def shifted_entity(extract):
    def wrapper(*args, **kwargs):
        found, rejects = extract(*args, **kwargs)
        starts = found["entities"]["start"]
        found["entities"] = set_column(found["entities"], "start", pc.add(starts, 1))
        return found, rejects

    return wrapper


DEFECTS = {
    "null-doc-id": (ingest_module, "ingest", null_doc_ids, "ingest", "doc_id"),
    "boilerplate-line": (clean_module, "clean", see_also_line, "clean", "boilerplate_line"),
    "empty-sentence": (
        tokenise_module,
        "tokenise_parallel",
        empty_sentence,
        "tokenise",
        "n_tokens",
    ),
    "entity-offsets": (extract_module, "extract", shifted_entity, "extract", "text_at_offsets"),
}


def blocked_run(baseline, tmp_path, monkeypatch, defect):
    module, name, inject, stage, column = DEFECTS[defect]
    data = tmp_path / "data"
    shutil.copytree(baseline / "data", data)
    (tmp_path / "b").mkdir()
    shutil.copy(SEEDS / SEED_B, tmp_path / "b" / SEED_B)
    settings = load_settings(data_dir=data)
    before = data_tables(settings)
    sources = [str(baseline / "a"), str(tmp_path / "b")]
    with monkeypatch.context() as patch:
        patch.setattr(module, name, inject(getattr(module, name)))
        state = pipeline(sources=sources, data_dir=str(data), return_state=True)
    return settings, state, before, sources, stage, column


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_a_defect_blocks_the_run_and_is_named(baseline, tmp_path, monkeypatch, defect):
    settings, state, before, _, stage, column = blocked_run(baseline, tmp_path, monkeypatch, defect)
    assert state.is_failed()
    summary = state.result(raise_on_failure=False)
    assert summary.status == "failed" and summary.blocked_by == [stage]
    assert {f.column for f in summary.validations[stage].failed_critical} == {column}

    assert data_tables(settings) == before, "a blocked run must not change any data table"
    ((status, snapshot),) = sql(
        settings, "SELECT status, snapshot_id FROM runs WHERE run_id = ?", [summary.run_id]
    )
    assert status == "failed" and snapshot == summary.snapshot_id
    failed = sql(
        settings,
        'SELECT stage, "column", snapshot_id FROM validation_results '
        "WHERE run_id = ? AND NOT success",
        [summary.run_id],
    )
    assert failed == [(stage, column, snapshot)]
    judged = sql(
        settings,
        "SELECT DISTINCT stage FROM validation_results WHERE run_id = ?",
        [summary.run_id],
    )
    assert len(judged) == list(summary.validations).index(stage) + 1
    quarantined = sql(
        settings,
        'SELECT doc_id, source_uri, "column" FROM quarantine WHERE run_id = ?',
        [summary.run_id],
    )
    assert quarantined and {q[2] for q in quarantined} == {column}
    assert all(SEED_B in (q[1] or "") or q[0] for q in quarantined)

    page = (settings.reports_dir / "runs" / f"{summary.run_id}.html").read_text()
    assert "Nothing was published" in page and column in page
    docs = settings.data_docs_dir / summary.validations[stage].docs_page
    assert column in docs.read_text()


def test_the_next_clean_run_publishes_what_was_blocked(baseline, tmp_path, monkeypatch):
    settings, _, _, sources, _, _ = blocked_run(baseline, tmp_path, monkeypatch, "boilerplate-line")
    state = pipeline(sources=sources, data_dir=str(settings.data_dir), return_state=True)
    assert state.is_completed()
    assert sql(settings, "SELECT count(*) FROM documents") == [(2,)]
    assert sql(
        settings, "SELECT count(*) FROM quarantine WHERE run_id = ?", [state.result().run_id]
    ) == [(0,)]
    statuses = sql(settings, "SELECT status FROM runs ORDER BY snapshot_id")
    assert statuses == [("published",), ("failed",), ("published",)]
    # The flow run carries the funnel as a Prefect markdown artifact.
    from prefect.artifacts import Artifact

    artifact = Artifact.get("vnnews-funnel")
    assert state.result().run_id in artifact.description
    assert "| publish | 2 | 1 |" in artifact.data  # seed A unchanged, seed B published


@pytest.fixture(scope="module")
def xss_run(baseline, tmp_path_factory):
    """A blocked run whose failing sample is a line with a <script> tag in it."""
    monkeypatch = pytest.MonkeyPatch()
    try:
        settings, state, *_ = blocked_run(
            baseline, tmp_path_factory.mktemp("xss"), monkeypatch, "boilerplate-line"
        )
    finally:
        monkeypatch.undo()
    return settings, state.result(raise_on_failure=False)


def test_article_text_is_escaped_in_the_report_and_the_data_docs(xss_run):
    settings, summary = xss_run
    page = (settings.reports_dir / "runs" / f"{summary.run_id}.html").read_text()
    docs = (settings.data_docs_dir / summary.validations["clean"].docs_page).read_text()
    for html in (page, docs):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert XSS not in html
