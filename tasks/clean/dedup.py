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

from vnnews.tasks.clean.earlier import Earlier
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
    """Bodies seen so far: the earlier signatures (tasks/clean/earlier.py), then the part's own
    documents as they are kept, in exact hashes and an LSH index of signatures."""

    def __init__(self, published: pa.Table, documents: pa.Table):
        self.lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        self.earlier = Earlier(published, self.lsh.hashranges, NUM_PERM)
        self.by_hash: dict[str, str] = {}  # the part's own
        self.signatures: dict[str, MinHash] = {}
        self.seen_before = self.earlier.has_doc(documents["doc_id"])
        self.hashed_before = self.earlier.same_body(documents["body_hash"])

    def scored_before(self, minhashes: list[MinHash]) -> list[list[tuple[float, str]]]:
        matrix = np.array([m.hashvalues for m in minhashes], dtype=np.uint32)
        return self.earlier.scored(matrix.reshape(len(minhashes), NUM_PERM))

    def add(self, doc_id: str, body_hash: str, minhash: MinHash) -> None:
        self.by_hash.setdefault(body_hash, doc_id)
        self.signatures[doc_id] = minhash
        self.lsh.insert(doc_id, minhash)

    def match(
        self, i: int, doc_id: str, body_hash: str, minhash: MinHash, before: list
    ) -> tuple[str, str, str] | None:
        """(reason, kept doc_id, detail) if the part's `i`th body was seen, else None;
        `before` scores it against the earlier signatures that share a band with it."""
        if self.seen_before[i] or doc_id in self.signatures:
            return "duplicate", doc_id, "the same article was already published"
        if kept := self.hashed_before[i] or self.by_hash.get(body_hash):
            return "duplicate", kept, "identical body"
        scored = before + [
            (self.signatures[c].jaccard(minhash), c) for c in self.lsh.query(minhash)
        ]
        if scored and (best := max(scored))[0] >= THRESHOLD:
            return "near_duplicate", best[1], f"estimated Jaccard similarity {best[0]:.2f}"
        return None


def deduplicate(documents: pa.Table, published: pa.Table):
    """(kept documents, rejects, signatures of the kept documents)."""
    index = Index(published, documents)
    minhashes = [signature(body) for body in documents["body"].to_pylist()]
    before = index.scored_before(minhashes)
    keep, rejects, signatures = [], [], []
    columns = (documents[c].to_pylist() for c in ("doc_id", "source_uri", "body_hash"))
    for i, (doc_id, uri, hashed) in enumerate(zip(*columns, strict=True)):
        if seen := index.match(i, doc_id, hashed, minhashes[i], before[i]):
            reason, kept, detail = seen
            rejects.append(reject(uri, "clean", reason, detail, doc_id=doc_id, duplicate_of=kept))
            continue
        index.add(doc_id, hashed, minhashes[i])
        keep.append(i)
        values = minhashes[i].hashvalues.astype(np.uint32).tolist()
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
