"""Extract: named entities per sentence, with char offsets into the clean body."""

from __future__ import annotations

import pyarrow as pa

from tasks import nlp
from tasks.entities import find_entities
from tasks.gazetteer import Gazetteer
from tasks.tables import ENTITIES, from_rows


def extract(sentences: pa.Table, gaz: Gazetteer) -> pa.Table:
    """A batch of sentences (with body offsets) -> entities."""
    rows = []
    for sent in sentences.to_pylist():
        if sent["start"] is None:
            continue  # offsets into the body are unknown, so no span could point back
        words = nlp.tag_entities(sent["text"])
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
