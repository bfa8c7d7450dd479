"""A runaway document is a `too_complex` reject, never a stuck run, and the others go on."""

from __future__ import annotations

import pyarrow as pa

from vnnews.tasks.budget import Budget
from vnnews.tasks.extract.extract import extract
from vnnews.tasks.extract.gazetteer import Gazetteer
from vnnews.tasks.nlp.tokenise import tokenise
from vnnews.tasks.settings import PROJECT_ROOT
from vnnews.tasks.tables import DOCUMENTS

SHORT = "Hà Nội mưa lớn. Nhiều tuyến phố ngập sâu."
LONG = " ".join(["Người dân Hà Nội đi làm sớm hơn thường lệ."] * 40)


def docs(**bodies: str) -> pa.Table:
    rows = [{"doc_id": k, "source_uri": f"file:///{k}.txt", "body": b} for k, b in bodies.items()]
    return pa.Table.from_pylist(rows, schema=DOCUMENTS)


def test_a_body_over_max_chars_is_rejected_before_any_work():
    sentences, tokens, rejects = tokenise(docs(short=SHORT, long=LONG), Budget(max_chars=500))
    assert set(sentences["doc_id"].to_pylist()) == {"short"}
    (reject,) = rejects.to_pylist()
    assert (reject["doc_id"], reject["stage"], reject["reason"]) == (
        "long",
        "tokenise",
        "too_complex",
    )
    assert reject["source_uri"] == "file:///long.txt"
    assert f"{len(LONG):,} characters > max_doc_chars=500" in reject["detail"]


def test_the_clock_stops_a_document_between_sentences():
    _, tokens, rejects = tokenise(docs(long=LONG), Budget(seconds=0))
    assert tokens.num_rows == 0
    assert (
        "took over max_doc_seconds=0 s (stopped after sentence 1 of 40)"
        in rejects["detail"][0].as_py()
    )


def test_extract_has_the_same_budget():
    documents = docs(short=SHORT, long=LONG)
    sentences, tokens, _ = tokenise(documents)
    gazetteer = Gazetteer.load(PROJECT_ROOT / "seeds" / "gazetteers")
    found, rejects = extract(documents, sentences, tokens, gazetteer, Budget(max_chars=500))
    assert set(found["entities"]["doc_id"].to_pylist()) == {"short"}
    assert rejects.to_pylist()[0]["stage"] == "extract"


def test_batch_commands_say_which_texts_were_over_budget():
    from vnnews.tasks.batch import extract_records, tokenize_records

    records = [{"doc_id": "short", "body": SHORT}, {"doc_id": "long", "body": LONG}]
    out = {r["id"]: r for r in tokenize_records(records, 1, Budget(max_chars=500))}
    assert "error" not in out["short"] and out["short"]["sentences"]
    assert out["long"]["error"].startswith("too_complex: ") and not out["long"]["sentences"]
    gazetteers = PROJECT_ROOT / "seeds" / "gazetteers"
    out = {r["id"]: r for r in extract_records(records, 1, gazetteers, Budget(max_chars=500))}
    assert out["short"]["entities"] and out["long"]["error"].startswith("too_complex: ")
