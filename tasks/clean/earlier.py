"""The signatures a part is compared with (the lake's and the run's earlier parts), as arrays.

datasketch's MinHashLSH keeps Python objects per document and band. That suits the documents of
one part, but the earlier signatures grow with the run and the lake, and rebuilding such an
index for every part made a run's memory and its clean time grow part after part. Here they are
one uint32 matrix and, per LSH band, a sorted array of band keys: a part's documents find their
candidates with one binary search per band. A candidate shares a whole band with the document,
value for value, as in datasketch (the key only narrows the search), so the answers are the
same as an LSH index of every earlier signature would give.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

FNV_OFFSET, FNV_PRIME = np.uint64(0xCBF29CE484222325), np.uint64(0x100000001B3)


def band_keys(block: np.ndarray) -> np.ndarray:
    """One 64-bit key per row of a band's values (FNV-1a over the row's values)."""
    keys = np.full(block.shape[0], FNV_OFFSET, dtype=np.uint64)
    for column in block.T:
        keys ^= column.astype(np.uint64)
        keys *= FNV_PRIME  # wraps around, as a hash should
    return keys


def signature_matrix(minhash: pa.ChunkedArray | pa.Array, num_perm: int) -> np.ndarray:
    """The `minhash` lists as an (n, num_perm) uint32 matrix."""
    lists = minhash.combine_chunks() if isinstance(minhash, pa.ChunkedArray) else minhash
    lengths = pc.min_max(pc.list_value_length(lists))
    if lists.null_count or (
        len(lists) and {lengths["min"].as_py(), lengths["max"].as_py()} != {num_perm}
    ):
        raise ValueError(f"every signature must hold {num_perm} values")
    values = lists.flatten().to_numpy(zero_copy_only=False).astype(np.uint32, copy=False)
    return values.reshape(len(lists), num_perm)


class Earlier:
    """Earlier signatures (SIGNATURES rows, in the order they were seen)."""

    def __init__(self, signatures: pa.Table, bands: list[tuple[int, int]], num_perm: int):
        # The same body hash may be on several rows: the first one seen is the one kept.
        self.body_hashes, self.owners = signatures["body_hash"], signatures["doc_id"]
        # A doc_id is indexed with its first signature, as datasketch's insert would.
        numbered = signatures.select(["doc_id"]).append_column(
            "row", pa.array(np.arange(signatures.num_rows))
        )
        first = numbered.group_by("doc_id", use_threads=False).aggregate([("row", "min")])
        rows = np.sort(first["row_min"].to_numpy())
        self.doc_ids = signatures["doc_id"].take(pa.array(rows)).combine_chunks()
        self.matrix = signature_matrix(signatures["minhash"].take(pa.array(rows)), num_perm)
        self.bands = []  # per band: (its columns, row order by key, the keys in that order)
        for start, end in bands:
            keys = band_keys(self.matrix[:, start:end])
            order = np.argsort(keys, kind="stable")
            self.bands.append((slice(start, end), order, keys[order]))

    def has_doc(self, doc_ids: pa.Array) -> list[bool]:
        return pc.is_in(doc_ids, value_set=self.doc_ids).to_pylist()

    def same_body(self, body_hashes: pa.Array) -> list[str | None]:
        """For each body hash, the doc_id first seen with it, or None."""
        found = pc.index_in(body_hashes, value_set=self.body_hashes.combine_chunks())
        return self.owners.combine_chunks().take(found).to_pylist()

    def scored(self, queries: np.ndarray) -> list[list[tuple[float, str]]]:
        """For each query signature, (estimated Jaccard similarity, doc_id) of every earlier
        signature that shares a band with it."""
        answers: list[list[tuple[float, str]]] = [[] for _ in range(len(queries))]
        if not len(queries) or not len(self.matrix):
            return answers
        pairs = [self._sharing(queries, *band) for band in self.bands]
        query, row = (np.concatenate(p) for p in zip(*pairs, strict=True))
        unique = np.unique(query.astype(np.int64) * len(self.matrix) + row)
        query, row = unique // len(self.matrix), unique % len(self.matrix)
        same = np.count_nonzero(queries[query] == self.matrix[row], axis=1) / queries.shape[1]
        names = self.doc_ids.take(pa.array(row)).to_pylist()
        for q, score, name in zip(query.tolist(), same.tolist(), names, strict=True):
            answers[q].append((score, name))
        return answers

    def _sharing(self, queries: np.ndarray, band: slice, order: np.ndarray, keys: np.ndarray):
        """(query index, earlier row) of the pairs whose values in `band` are equal."""
        wanted = band_keys(queries[:, band])
        low, high = np.searchsorted(keys, wanted, "left"), np.searchsorted(keys, wanted, "right")
        counts = high - low
        query = np.repeat(np.arange(len(queries)), counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        row = order[np.repeat(low, counts) + offsets]
        equal = (queries[query][:, band] == self.matrix[row][:, band]).all(axis=1)
        return query[equal], row[equal]
