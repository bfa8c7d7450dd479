"""Extract: named entities per sentence, with char offsets into the clean body.

Works from the tokens the tokenise stage tagged (POS, chunk, NER BIO tags): no second pass of
the taggers.
"""

from __future__ import annotations

from itertools import groupby

import pyarrow as pa

from tasks.entities import find_entities
from tasks.gazetteer import Gazetteer
from tasks.nlp import Word
from tasks.tables import ENTITIES, from_rows


def _words(tokens: list[dict], base: int) -> list[Word]:
    """Token rows of one sentence as Words with offsets relative to the sentence."""
    return [
        Word(
            t["word"],
            t["pos"],
            None if t["start"] is None else t["start"] - base,
            None if t["end"] is None else t["end"] - base,
            chunk=t["chunk"] or "",
            ner=t["ner"] or "O",
        )
        for t in tokens
    ]


def extract(sentences: pa.Table, tokens: pa.Table, gaz: Gazetteer) -> pa.Table:
    """A batch of sentences (with body offsets) and their tokens -> entities."""
    by_sentence = {
        key: list(group)
        for key, group in groupby(tokens.to_pylist(), key=lambda t: (t["doc_id"], t["sent_idx"]))
    }
    rows = []
    for sent in sentences.to_pylist():
        if sent["start"] is None:
            continue  # offsets into the body are unknown, so no span could point back
        words = _words(by_sentence.get((sent["doc_id"], sent["sent_idx"]), []), sent["start"])
        for ent in find_entities(sent["text"], words, gaz):
            rows.append(
                {
                    "doc_id": sent["doc_id"],
                    "sent_idx": sent["sent_idx"],
                    "type": ent.type,
                    "text": sent["text"][ent.start : ent.end],
                    "start": sent["start"] + ent.start,
                    "end": sent["start"] + ent.end,
                    "method": ent.method,
                }
            )
    return from_rows(rows, ENTITIES)
