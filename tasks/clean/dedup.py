"""Deduplication against this run and everything published before.

Exact duplicates share a normalised-body hash; near duplicates have an estimated Jaccard
similarity of word 3-shingles >= THRESHOLD (MinHash + LSH, datasketch). Either becomes a reject
row whose `duplicate_of` names the document that was kept. Signatures are published, so later
runs compare against them without re-reading old bodies.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from datasketch import MinHash, MinHashLSH

from vnnews.tasks.tables import REJECTS, SIGNATURES, from_rows, reject

NUM_PERM = 128
THRESHOLD = 0.8
SHINGLE = 3
# Published signatures are only comparable with ones made the same way: pin scheme and seed.
SCHEME = "affine32"
SEED = 1


def signature(body: str) -> MinHash:
    words = body.lower().split()
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 1))}
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch([s.encode() for s in shingles])
    return minhash


class Index:
    """Bodies seen so far: exact hashes and an LSH index of signatures."""

    def __init__(self, published: pa.Table):
        self.by_hash: dict[str, str] = {}
        self.signatures: dict[str, MinHash] = {}  # doc_id -> signature of every body seen
        self.lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        for row in published.to_pylist():
            values = np.array(row["minhash"], dtype=np.uint32)
            minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=values, scheme=SCHEME)
            self.add(row["doc_id"], row["body_hash"], minhash)

    def add(self, doc_id: str, body_hash: str, minhash: MinHash) -> None:
        self.by_hash.setdefault(body_hash, doc_id)
        if doc_id not in self.signatures:
            self.signatures[doc_id] = minhash
            self.lsh.insert(doc_id, minhash)

    def match(self, doc_id: str, body_hash: str, minhash: MinHash) -> tuple[str, str, str] | None:
        """(reason, kept doc_id, detail) if this body was seen, else None."""
        if doc_id in self.signatures:
            return "duplicate", doc_id, "the same article was already published"
        if body_hash in self.by_hash:
            return "duplicate", self.by_hash[body_hash], "identical body"
        scored = [(self.signatures[c].jaccard(minhash), c) for c in self.lsh.query(minhash)]
        if scored and (best := max(scored))[0] >= THRESHOLD:
            return "near_duplicate", best[1], f"estimated Jaccard similarity {best[0]:.2f}"
        return None


def deduplicate(documents: pa.Table, published: pa.Table):
    """(kept documents, rejects, signatures of the kept documents)."""
    index = Index(published)
    keep, rejects, signatures = [], [], []
    columns = (documents[c].to_pylist() for c in ("doc_id", "source_uri", "body", "body_hash"))
    for i, (doc_id, uri, body, hashed) in enumerate(zip(*columns, strict=True)):
        minhash = signature(body)
        if seen := index.match(doc_id, hashed, minhash):
            reason, kept, detail = seen
            rejects.append(reject(uri, "clean", reason, detail, doc_id=doc_id, duplicate_of=kept))
            continue
        index.add(doc_id, hashed, minhash)
        keep.append(i)
        values = minhash.hashvalues.astype(np.uint32).tolist()
        signatures.append({"doc_id": doc_id, "body_hash": hashed, "minhash": values})
    return (
        documents.take(pa.array(keep, pa.int64())),
        from_rows(rejects, REJECTS),
        from_rows(signatures, SIGNATURES),
    )


def against_published(documents: pa.Table, published: pa.Table):
    """`deduplicate` against the published signatures, less those of the versions that this
    batch replaces: a new version of an article is no duplicate of its own old text."""
    replaced = pa.array(documents["replaces"].drop_null().unique())
    published = published.filter(pc.invert(pc.is_in(published["doc_id"], replaced)))
    return deduplicate(documents, published)
