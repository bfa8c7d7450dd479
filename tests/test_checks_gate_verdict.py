"""The verdict after a stage's checks (tasks/checks/gate.py), on findings as the checkpoint
gives them: who is quarantined, and when the stage is judged broken."""

from __future__ import annotations

import pyarrow as pa

from vnnews.tasks.checks.findings import Finding, StageValidation
from vnnews.tasks.checks.gate import judge, rejects, without
from vnnews.tasks.checks.quarantine import Texts, quarantine_table
from vnnews.tasks.tables import DOCUMENTS

REJOIN = "expect_column_values_to_be_in_set"


def row_check(rows, success=True, percent=1.0):
    return Finding(
        "tokenise",
        REJOIN,
        "words_rejoin_text",
        "critical",
        success,
        unexpected_count=len(rows),
        unexpected_percent=percent,
        rows=rows,
        mostly=0.95,
    )


def bad(doc_id, sent_idx=0):
    return {"doc_id": doc_id, "sent_idx": sent_idx, "words_rejoin_text": False}


def test_rows_named_by_a_passing_row_check_are_quarantined():
    finding = row_check([bad("a", 1), bad("a", 4), bad("b")])
    verdict = judge(StageValidation("tokenise", [finding]), n_documents=100, max_share=0.05)
    assert verdict.blocked is None
    assert verdict.documents == {"a", "b"}


def test_a_failed_check_blocks_and_says_why():
    finding = row_check([bad("a")] * 30, success=False, percent=30.0)
    verdict = judge(StageValidation("tokenise", [finding]), n_documents=100, max_share=0.05)
    assert "words_rejoin_text" in verdict.blocked and "30.0% of rows, 5% allowed" in verdict.blocked


def test_too_many_documents_to_quarantine_block_though_every_check_passed():
    finding = row_check([bad(str(i)) for i in range(6)])
    verdict = judge(StageValidation("tokenise", [finding]), n_documents=100, max_share=0.05)
    assert "6 of 100 documents (6%)" in verdict.blocked
    assert judge(StageValidation("tokenise", [finding]), 200, 0.05).blocked is None


def test_warnings_never_quarantine():
    warning = Finding("tokenise", "x", "unknown_pos", "warning", False, unexpected_count=1)
    warning = Finding(**{**vars(warning), "rows": [{"doc_id": "a", "unknown_pos": "NOUN"}]})
    verdict = judge(StageValidation("tokenise", [warning]), 10, 0.05)
    assert verdict.blocked is None and not verdict.documents


def test_at_ingest_a_document_is_named_by_its_source():
    finding = Finding(
        "ingest",
        "expect_column_values_to_be_between",
        "raw_chars",
        "critical",
        True,
        unexpected_count=1,
        rows=[{"doc_id": None, "source_uri": "file:///x.txt", "raw_chars": 0}],
        mostly=0.95,
    )
    verdict = judge(StageValidation("ingest", [finding]), 100, 0.05)
    assert verdict.documents == {"file:///x.txt"}
    (reject,) = rejects(verdict, Texts({})).to_pylist()
    assert (reject["source_uri"], reject["reason"], reject["doc_id"]) == (
        "file:///x.txt",
        "failed_check",
        None,
    )


def test_rejects_and_quarantine_rows_carry_where_and_the_text():
    documents = pa.Table.from_pylist(
        [{"doc_id": "a", "source_uri": "file:///a.txt", "body": "Câu một.\nCâu hai sai."}],
        schema=DOCUMENTS,
    )
    sentences = pa.table(
        {"doc_id": ["a", "a"], "sent_idx": [0, 1], "text": ["Câu một.", "Câu hai sai."]}
    )
    validation = StageValidation("tokenise", [row_check([bad("a", 1)])])
    texts = Texts({"documents": documents, "sentences": sentences})
    verdict = judge(validation, 10, 0.05)
    (reject,) = rejects(verdict, texts).to_pylist()
    assert reject["source_uri"] == "file:///a.txt" and reject["stage"] == "tokenise"
    assert reject["detail"] == f'{REJOIN}(words_rejoin_text) = False at {{"sent_idx": 1}}'
    (row,) = quarantine_table(validation, texts).to_pylist()
    assert row["excerpt"] == "Câu hai sai." and row["row_key"] == '{"sent_idx": 1}'


def test_without_drops_only_the_named_rows():
    table = pa.table({"doc_id": ["a", "b", None, "a"], "n": [1, 2, 3, 4]})
    assert without(table, "doc_id", {"a"})["n"].to_pylist() == [2, 3]
    assert without(table, "doc_id", set()) is table
