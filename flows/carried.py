"""What a run carries from part to part.

A part's documents, sentences, tokens and mentions go to Parquet (tasks/lake/staging.py) once
extract has judged them. What stays in memory is what later parts look up, so that they see the
run's earlier parts as if those were already published (near-duplicate signatures, repeated
lines, keyword document frequencies), and what publish needs besides the staged tables.

A part's signatures and line hashes are carried from its clean gate on, while its NLP still
runs, so that the next part can be cleaned meanwhile; a document dropped later leaves them
(`drop`), and the next part is then cleaned again (flows/pipeline.py).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from vnnews.tasks import tables
from vnnews.tasks.checks import gate
from vnnews.tasks.extract import keywords as kw
from vnnews.tasks.lake.staging import Staging


class Carried:
    """The staged parts of one run, and what of them stays in memory."""

    def __init__(self, staging: Staging):
        self.staging = staging
        self._signatures: list[pa.Table] = []
        self._lines: list[pa.Table] = []
        self.term_df = tables.TERM_DF.empty_table()
        self.n_keyworded = 0  # documents given keywords
        self.replaced: list[str] = []  # doc_ids of the older versions the run replaces
        self.n_documents = 0  # documents staged

    def signatures(self) -> pa.Table:
        return tables.concat(self._signatures, tables.SIGNATURES)

    def line_hashes(self) -> pa.Table:
        return tables.concat(self._lines, tables.LINE_HASHES)

    def df(self) -> tuple[pa.Table, int]:
        """(term_df rows, documents given keywords) of the earlier parts."""
        return self.term_df, self.n_keyworded

    def add_keywords(self, keywords: pa.Table, term_df: pa.Table, n_replaced: int) -> None:
        self.term_df = kw.merge_df(self.term_df, term_df)
        self.n_keyworded += len(pc.unique(keywords["doc_id"])) - n_replaced

    def look_up(self, signatures: pa.Table, lines: pa.Table) -> None:
        """A cleaned part's signatures and line hashes, for the parts after it."""
        self._signatures.append(signatures)
        self._lines.append(lines)

    def drop(self, doc_ids: set[str]) -> None:
        """Documents dropped after their clean gate no longer count against later parts."""
        if doc_ids:
            self._signatures = [gate.without(t, "doc_id", doc_ids) for t in self._signatures]
            self._lines = [gate.without(t, "doc_id", doc_ids) for t in self._lines]

    def stage(self, part: int, by_document: dict[str, pa.Table]) -> None:
        """A judged part: its per-document tables to Parquet."""
        self.staging.add(part, by_document)
        documents = by_document["documents"]
        self.n_documents += documents.num_rows
        self.replaced += documents["replaces"].drop_null().to_pylist()
