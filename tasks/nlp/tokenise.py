"""Tokenise: clean bodies -> sentences and words with POS, chunk and NER tags (via the adapter).

One pass per sentence: the NER tags the extract stage needs are computed here with the POS tags,
from the same segmentation, instead of segmenting and tagging the sentence a second time. Each
document works within its budget (tasks/budget.py): one that overruns is a `too_complex`
reject, and the others go on.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pyarrow as pa

from vnnews.tasks.budget import Budget, TooComplex
from vnnews.tasks.nlp import adapter, parallel
from vnnews.tasks.tables import REJECTS, SENTENCES, TOKENS, concat, from_rows, reject


def split_sentences(doc_id: str, body: str) -> list[dict]:
    """Sentence rows of one body; offsets point into the body, paragraphs never merge."""
    rows, base = [], 0
    for paragraph in body.split("\n"):
        for span in adapter.sentences(paragraph):
            rows.append(
                {
                    "doc_id": doc_id,
                    "sent_idx": len(rows),
                    "text": span.text,
                    "start": span.start + base,
                    "end": span.end + base,
                }
            )
        base += len(paragraph) + 1
    return rows


def tokenise_document(doc_id: str, body: str, budget: Budget) -> tuple[list[dict], list[dict]]:
    """(sentence rows, token rows) of one body; TooComplex when it overruns its budget."""
    clock = budget.start("tokenise", body)
    sentences = split_sentences(doc_id, body)
    tokens = []
    for sent in sentences:
        for tok_idx, word in enumerate(adapter.analyse(sent["text"])):
            tokens.append(
                {
                    "doc_id": doc_id,
                    "sent_idx": sent["sent_idx"],
                    "tok_idx": tok_idx,
                    "word": word.text,
                    "pos": word.pos,
                    "chunk": word.chunk,
                    "ner": word.ner,
                    "start": word.start + sent["start"],
                    "end": word.end + sent["start"],
                }
            )
        clock.check(sent["sent_idx"] + 1, len(sentences))
    return sentences, tokens


def tokenise(documents: pa.Table, budget: Budget | None = None):
    """A batch of clean documents -> (sentences, tokens, rejects), in this process."""
    budget = budget or Budget()
    sentence_rows, token_rows, rejects = [], [], []
    columns = (documents[c].to_pylist() for c in ("doc_id", "source_uri", "body"))
    for doc_id, uri, body in zip(*columns, strict=True):
        try:
            sentences, tokens = tokenise_document(doc_id, body, budget)
        except TooComplex as exc:
            rejects.append(reject(uri, "tokenise", "too_complex", str(exc), doc_id=doc_id))
            continue
        sentence_rows += sentences
        token_rows += tokens
    return (
        from_rows(sentence_rows, SENTENCES),
        from_rows(token_rows, TOKENS),
        from_rows(rejects, REJECTS),
    )


def tokenise_parallel(
    documents: pa.Table, workers: int, budget: Budget | None = None, aside: bool = False
):
    """The same as `tokenise`, with the documents split over `workers` processes (and in a
    process of its own when `aside`: tasks/nlp/parallel.py)."""
    return tokenise_started(documents, workers, budget, aside)()


def tokenise_started(
    documents: pa.Table, workers: int, budget: Budget | None = None, aside: bool = False
) -> Callable[[], tuple[pa.Table, pa.Table, pa.Table]]:
    """tokenise_parallel in two halves: the documents go to the workers now, and the function
    returned waits for their answers."""
    parts = parallel.submit_tables(partial(tokenise, budget=budget), documents, workers, aside)
    return partial(_joined, parts)


def _joined(parts) -> tuple[pa.Table, pa.Table, pa.Table]:
    parts = list(parts)
    return tuple(
        concat([p[i] for p in parts], schema)
        for i, schema in enumerate((SENTENCES, TOKENS, REJECTS))
    )


def warm_up(workers: int, aside: bool = False) -> None:
    """Start the NLP worker processes and load their models ahead of the first batch."""
    parallel.warm_up(workers, adapter.load_models, aside)
