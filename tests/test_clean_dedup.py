"""Exact and near duplicates, within a run and against signatures published by earlier runs."""

import hashlib
import random
import unicodedata

import numpy as np
import pyarrow as pa
from datasketch import MinHash, MinHashLSH

from benchmarks.corpus import corpus, cp1258, light_edit
from tests.conftest import write
from vnnews.tasks.clean.clean import clean
from vnnews.tasks.clean.dedup import NUM_PERM, SCHEME, SEED, THRESHOLD, deduplicate, signature
from vnnews.tasks.ingest.ingest import discover, ingest
from vnnews.tasks.tables import SIGNATURES


def run(files: dict[str, bytes], folder, rule_pack, published):
    for name, data in files.items():
        write(folder / name, data)
    raw, rejects = ingest(discover([folder]))
    assert rejects.num_rows == 0
    docs, _ = clean(raw, rule_pack)
    return deduplicate(docs, published)


def test_two_hundred_articles_fed_twice(tmp_path, rule_pack):
    texts = corpus(200)
    first = {name: text.encode() for name, text in texts.items()}
    kept, rejects, signatures = run(first, tmp_path / "one", rule_pack, SIGNATURES.empty_table())
    assert kept.num_rows == 200 and rejects.num_rows == 0

    names = sorted(texts)
    second = dict(first)
    for name in names[:10]:
        second[name] = cp1258(texts[name])
    for name in names[10:20]:
        second[name] = unicodedata.normalize("NFD", texts[name]).encode()
    edited = names[20:30]
    for name in edited:
        second[name] = light_edit(texts[name]).encode()
    kept2, rejects2, _ = run(second, tmp_path / "two", rule_pack, signatures)

    assert kept2.num_rows == 0, "nothing new may be published"
    reasons = rejects2.group_by("reason").aggregate([("doc_id", "count")]).to_pylist()
    assert {r["reason"]: r["doc_id_count"] for r in reasons} == {
        "duplicate": 190,
        "near_duplicate": 10,
    }
    original = dict(zip(kept["source_uri"].to_pylist(), kept["doc_id"].to_pylist(), strict=True))
    for row in rejects2.to_pylist():
        name = row["source_uri"].rsplit("/", 1)[1]
        assert row["duplicate_of"] == original[(tmp_path / "one" / name).as_uri()]


def test_distinct_articles_are_all_kept(tmp_path, rule_pack):
    files = {name: text.encode() for name, text in corpus(20, seed=1).items()}
    kept, rejects, signatures = run(files, tmp_path, rule_pack, SIGNATURES.empty_table())
    assert kept.num_rows == 20 and rejects.num_rows == 0
    assert signatures.num_rows == 20
    assert all(len(v) == 128 for v in signatures["minhash"].to_pylist())
    assert isinstance(signatures, pa.Table)


def _edited(text: str, rng: random.Random, n_words: int) -> str:
    words = text.split(" ")
    for i in rng.sample(range(len(words)), n_words):
        words[i] = rng.choice(["thêm", "bớt", "mới", "cũ", "nay"])
    return " ".join(words)


def _documents(bodies: list[tuple[str, str]]) -> pa.Table:
    ids, texts = zip(*bodies, strict=True)
    hashes = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
    uris = [f"file:///{i}.txt" for i in ids]
    return pa.table({"doc_id": ids, "source_uri": uris, "body": texts, "body_hash": hashes})


def _every_signature_in_one_lsh(documents: pa.Table, published: pa.Table) -> list:
    """What datasketch answers with every earlier signature inserted into one MinHashLSH:
    (reason, duplicate_of, detail) per document, None for a kept one."""
    lsh, signatures, by_hash = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM), {}, {}

    def add(doc_id, body_hash, minhash):
        by_hash.setdefault(body_hash, doc_id)
        if doc_id not in signatures:
            signatures[doc_id] = minhash
            lsh.insert(doc_id, minhash)

    for row in published.to_pylist():
        values = np.array(row["minhash"], dtype=np.uint32)
        add(row["doc_id"], row["body_hash"],
            MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=values, scheme=SCHEME))  # fmt: skip
    answers = []
    for row in documents.to_pylist():
        minhash = signature(row["body"])
        if row["doc_id"] in signatures:
            answers.append(("duplicate", row["doc_id"], "the same article was already published"))
        elif row["body_hash"] in by_hash:
            answers.append(("duplicate", by_hash[row["body_hash"]], "identical body"))
        elif (s := [(signatures[c].jaccard(minhash), c) for c in lsh.query(minhash)]) and max(s)[
            0
        ] >= THRESHOLD:
            best = max(s)
            answers.append(
                ("near_duplicate", best[1], f"estimated Jaccard similarity {best[0]:.2f}")
            )
        else:
            add(row["doc_id"], row["body_hash"], minhash)
            answers.append(None)
    return answers


def test_the_earlier_signatures_as_arrays_answer_as_one_lsh_of_them_all():
    """Published rows with a repeated doc_id and repeated bodies, then a part with copies,
    edits of 1 to 8 words (around the threshold) of published and of its own documents, and
    a reused doc_id: every answer is the one datasketch gives with everything in one index."""
    rng, texts = random.Random(3), list(corpus(260, seed=5).values())
    old = [(f"p{i}", t) for i, t in enumerate(texts[:200])]
    old += [("p3", _edited(texts[3], rng, 2)), ("p200", texts[7])]  # doc_id and body again
    old += [(f"q{i}", _edited(texts[i], rng, rng.randint(1, 8))) for i in range(40)]
    published = _signatures(old)
    new = [(f"n{i}", t) for i, t in enumerate(texts[200:])]
    new += [
        (f"e{i}", _edited(texts[rng.randrange(260)], rng, rng.randint(1, 8))) for i in range(150)
    ]
    new += [("p5", "Bài khác hẳn " + texts[250]), ("c1", texts[11]), ("c2", texts[205])]
    new += [("x3", _edited(texts[3], rng, 1))]  # scored against p3's first signature
    documents = _documents(new)

    kept, rejects, _ = deduplicate(documents, published)

    expected = _every_signature_in_one_lsh(documents, published)
    by_doc = {
        r["doc_id"]: (r["reason"], r["duplicate_of"], r["detail"]) for r in rejects.to_pylist()
    }
    assert [by_doc.get(doc_id) for doc_id in documents["doc_id"].to_pylist()] == expected
    assert kept.num_rows == expected.count(None)
    reasons = {a[0] for a in expected if a}
    assert reasons == {"duplicate", "near_duplicate"}, "the corpus must exercise both"
    assert sum(a is None for a in expected[60:210]) > 10, "some edits must stay below the threshold"


def _signatures(rows: list[tuple[str, str]]) -> pa.Table:
    """SIGNATURES rows for every body, repeats included (deduplicate would drop them)."""
    documents = _documents(rows)
    values = [
        signature(b).hashvalues.astype(np.uint32).tolist() for b in documents["body"].to_pylist()
    ]
    return pa.table(
        {"doc_id": documents["doc_id"], "body_hash": documents["body_hash"], "minhash": values},
        schema=SIGNATURES,
    )
