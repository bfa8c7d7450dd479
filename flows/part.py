"""One part of a run: what ingest read of it, then its tables as the stages make them.

Two parts can be under way at once: the NLP of one runs on the workers while the flow reads
and cleans the next (flows/pipeline.py), so each part keeps its own tables.
"""

from __future__ import annotations

import time

import pyarrow as pa

from vnnews.tasks import tables
from vnnews.tasks.checks import gate


class Part:
    """What ingest has read of the part (raw batches, refused items, files), then its tables."""

    def __init__(self, number: int):
        self.number = number
        self.started = time.perf_counter()  # ingest's clock for this part
        self.read: list[pa.Table] = []  # raw documents, batch by batch
        self.refused: list[dict] = []
        self.files: list = []
        self.hashes: dict[str, str | None] = {}  # file uri -> its content hash
        self.raw = tables.RAW_DOCUMENTS.empty_table()  # the new ones, past the ingest gate
        self.documents = tables.DOCUMENTS.empty_table()
        self.sentences = tables.SENTENCES.empty_table()
        self.tokens = tables.TOKENS.empty_table()
        self.mentions: dict[str, pa.Table] = {}
        self.tokenised: list[tuple[pa.Table, pa.Table, pa.Table]] = []  # per batch
        self.futures: list[tuple] = []  # (batch, tokenise future, extract future)
        self.submitted = 0.0  # when its NLP was handed to the workers (then: tokenise was in)
        self.handed = 0.0  # when its NLP was handed to the workers

    def add(self, raw: pa.Table, refused: list[dict], files: list, hashes: dict) -> None:
        self.read.append(raw)
        self.refused += refused
        self.files += files
        self.hashes.update(hashes)

    @property
    def n_documents(self) -> int:
        return sum(t.num_rows for t in self.read)

    def drop(self, doc_ids: set[str]) -> None:
        """Documents rejected or quarantined after clean leave every table of the part."""
        if not doc_ids:
            return
        for name in ("documents", "sentences", "tokens"):
            setattr(self, name, gate.without(getattr(self, name), "doc_id", doc_ids))
        self.mentions = {n: gate.without(t, "doc_id", doc_ids) for n, t in self.mentions.items()}
        self.tokenised = [
            tuple(gate.without(t, "doc_id", doc_ids) for t in batch) for batch in self.tokenised
        ]

    def by_document(self) -> dict[str, pa.Table]:
        """The tables staged once the part is judged."""
        return {"documents": self.documents, "sentences": self.sentences,
                "tokens": self.tokens, **self.mentions}  # fmt: skip
