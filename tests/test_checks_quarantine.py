"""A bad row never stops the good ones: real flow runs over 40 articles, with one stage's output
broken for some of them. One odd document is quarantined (with its text) and the rest publish;
a stage broken for 30% of its documents blocks the run."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from benchmarks.corpus import corpus
from tests.conftest import write
from vnnews.flows.cli.console import print_summary
from vnnews.flows.pipeline import pipeline
from vnnews.tasks.lake import catalog
from vnnews.tasks.nlp import tokenise as tokenise_module
from vnnews.tasks.settings import load_settings

N_DOCS = 40
DATA_TABLES = ("documents", "sentences", "tokens", "entities", "keywords", "signatures")


def sql(settings, query, params=None):
    return catalog.query(settings, query, params)[1]


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    folder = tmp_path_factory.mktemp("articles")
    for name, text in corpus(N_DOCS, seed=11).items():
        write(folder / name, text)
    return folder


def shifted_tokens(tokenise_parallel, n_bad: int):
    """Tokenise as usual, then move every token of the run's first `n_bad` documents one
    character right: their words no longer re-join their sentences' text."""
    left = [n_bad]

    def wrapper(documents, workers, budget=None, aside=False):
        sentences, tokens, rejects = tokenise_parallel(documents, workers, budget, aside)
        bad = documents["doc_id"].to_pylist()[: left[0]]
        left[0] -= len(bad)
        hit = pc.is_in(tokens["doc_id"], value_set=pa.array(bad, pa.string()))
        for name in ("start", "end"):
            moved = pc.if_else(hit, pc.add(tokens[name], 1), tokens[name])
            tokens = tokens.set_column(tokens.schema.get_field_index(name), name, moved)
        return sentences, tokens, rejects

    return wrapper


def run_with_defect(articles, tmp_path, monkeypatch, n_bad: int):
    data_dir = tmp_path / "data"
    # Batches of 16: the defect lands in some batches and not others.
    monkeypatch.setenv("VNNEWS_BATCH_SIZE", "16")
    original = tokenise_module.tokenise_parallel
    with monkeypatch.context() as patch:
        patch.setattr(tokenise_module, "tokenise_parallel", shifted_tokens(original, n_bad))
        state = pipeline(sources=[str(articles)], data_dir=str(data_dir), return_state=True)
    return load_settings(data_dir=data_dir), state


def test_one_bad_document_is_quarantined_and_the_rest_publish(
    prefect_harness, articles, tmp_path, monkeypatch, capsys
):
    settings, state = run_with_defect(articles, tmp_path, monkeypatch, n_bad=1)
    assert state.is_completed()
    summary = state.result()
    assert summary.status == "published" and summary.n_quarantined == 1
    assert "quarantine" in summary.validations["tokenise"].describe()
    print_summary(summary)  # what `vnnews run` prints
    assert "quarantine: 1 document(s) kept out" in capsys.readouterr().out
    ((status, n_in, published, quarantined, rejected),) = sql(
        settings, "SELECT status, n_in, n_published, n_quarantined, n_rejected FROM runs"
    )
    assert (status, n_in, published, quarantined, rejected) == ("published", 40, 39, 1, 1)

    rejects = sql(settings, "SELECT doc_id, stage, reason, detail FROM rejects")
    assert {(stage, reason) for _, stage, reason, _ in rejects} == {("tokenise", "failed_check")}
    assert all("words_rejoin_text" in detail for *_, detail in rejects)
    bad = {doc_id for doc_id, *_ in rejects}
    for table in DATA_TABLES:
        ids = {row[0] for row in sql(settings, f"SELECT DISTINCT doc_id FROM {table}")}
        assert ids and not ids & bad, f"a quarantined document is in {table}"

    rows = sql(
        settings,
        "SELECT q.doc_id, q.source_uri, q.row_key, q.excerpt, q.value FROM quarantine q",
    )
    assert {r[0] for r in rows} == bad and all(r[1].startswith("file://") for r in rows)
    for _, uri, row_key, excerpt, value in rows:
        assert value == "False" and '"sent_idx"' in row_key
        # The excerpt is the text of the sentence that failed, as the article has it.
        article = Path(uri.removeprefix("file://")).read_text(encoding="utf-8")
        assert excerpt and len(excerpt) <= 300 and excerpt in article

    page = (settings.reports_dir / "runs").glob("*.html")
    html = next(page).read_text()
    assert "1 document quarantined" in html and rows[0][3][:40] in html


def test_a_stage_broken_for_thirty_percent_blocks_the_run(
    prefect_harness, articles, tmp_path, monkeypatch, webhook
):
    monkeypatch.setenv("VNNEWS_NOTIFY_URL", webhook.url)
    settings, state = run_with_defect(articles, tmp_path, monkeypatch, n_bad=12)
    assert state.is_failed()
    summary = state.result(raise_on_failure=False)
    assert summary.status == "failed" and summary.blocked_by == ["tokenise"]
    assert "words_rejoin_text" in summary.blocked["tokenise"]
    ((status, published),) = sql(settings, "SELECT status, n_published FROM runs")
    assert (status, published) == ("failed", 0)
    for table in ("documents", "sentences", "tokens"):
        assert sql(settings, f"SELECT count(*) FROM {table}") == [(0,)], f"{table} published"
    quarantined = sql(settings, "SELECT count(DISTINCT doc_id) FROM quarantine")[0][0]
    assert quarantined == 12, "a blocked run still names every failing row"
    failed = sql(settings, 'SELECT stage, "column" FROM validation_results WHERE NOT success')
    assert failed == [("tokenise", "words_rejoin_text")]
    # The webhook of settings.notify_url heard of it, with what an on-call person needs.
    (note,) = webhook.received
    assert note["type"] == "application/json" and note["run_id"] == summary.run_id
    assert note["status"] == "blocked" and "words_rejoin_text" in note["blocked"]["tokenise"]
    assert note["counts"]["in"] == N_DOCS and note["counts"]["published"] == 0
    assert note["data_dir"] == str(settings.data_dir) and note["report"].endswith(".html")
