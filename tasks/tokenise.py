"""Tokenise: clean bodies -> sentences and words with POS, chunk and NER tags (via tasks.nlp).

One pass per sentence: the NER tags the extract stage needs are computed here with the POS tags,
from the same segmentation, instead of segmenting and tagging the sentence a second time.
"""

from __future__ import annotations

import pyarrow as pa

from tasks import nlp, parallel
from tasks.tables import SENTENCES, TOKENS, concat, from_rows


def _shift(offset: int | None, by: int | None) -> int | None:
    """offset moved by `by`; None when either is unknown (-1 means unknown too)."""
    if offset is None or by is None or offset < 0:
        return None
    return offset + by


def split_sentences(doc_id: str, body: str) -> list[dict]:
    """Sentence rows of one body; offsets point into the body, paragraphs never merge."""
    rows, base = [], 0
    for paragraph in body.split("\n"):
        for span in nlp.sentences(paragraph):
            rows.append(
                {
                    "doc_id": doc_id,
                    "sent_idx": len(rows),
                    "text": span.text,
                    "start": _shift(span.start, base),
                    "end": _shift(span.end, base),
                }
            )
        base += len(paragraph) + 1
    return rows


def tokenise(documents: pa.Table) -> tuple[pa.Table, pa.Table]:
    """A batch of clean documents -> (sentences, tokens), in this process."""
    sentence_rows, token_rows = [], []
    for doc_id, body in zip(
        documents["doc_id"].to_pylist(), documents["body"].to_pylist(), strict=True
    ):
        for sent in split_sentences(doc_id, body):
            sentence_rows.append(sent)
            for tok_idx, word in enumerate(nlp.analyse(sent["text"])):
                token_rows.append(
                    {
                        "doc_id": doc_id,
                        "sent_idx": sent["sent_idx"],
                        "tok_idx": tok_idx,
                        "word": word.text,
                        "pos": word.pos,
                        "chunk": word.chunk,
                        "ner": word.ner,
                        "start": _shift(word.start, sent["start"]),
                        "end": _shift(word.end, sent["start"]),
                    }
                )
    return from_rows(sentence_rows, SENTENCES), from_rows(token_rows, TOKENS)


def tokenise_parallel(documents: pa.Table, workers: int) -> tuple[pa.Table, pa.Table]:
    """The same as `tokenise`, with the documents split over `workers` processes."""
    parts = parallel.map_tables(tokenise, documents, workers)
    return concat([p[0] for p in parts], SENTENCES), concat([p[1] for p in parts], TOKENS)
