"""Keywords before and after noun phrases, side by side, on articles no keyword rule was tuned on.

    .venv/bin/python -m benchmarks.keywords_side_by_side [N_SHOWN]

The corpus is every distinct article in the gold of tests/unseen and tests/heldout (53 hand-written
news articles); all of them count for document frequencies, the first N_SHOWN (10) are printed.
"Words" is the earlier method: TF-IDF of single content words (nouns, verbs, adjectives), lower
case. "Phrases" is tasks/extract/keywords.py. Also printed: how many terms of each method are a
verb or adjective, one common noun, or a name in lower case.
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter

import pyarrow as pa

from tests.fixture_check import HELDOUT, UNSEEN
from vnnews.tasks.extract.gazetteer import Gazetteer
from vnnews.tasks.extract.keywords import keywords
from vnnews.tasks.nlp.tokenise import tokenise
from vnnews.tasks.settings import PROJECT_ROOT
from vnnews.tasks.tables import DOCUMENTS, TERM_DF

OLD_POS = {"N", "Np", "V", "A", "Ny", "Nb", "Vb"}


def corpus() -> pa.Table:
    seen, rows = set(), []
    for root in (UNSEEN, HELDOUT):
        gold = json.loads((root / "expected.json").read_text(encoding="utf-8"))["documents"]
        for want in gold.values():
            if want["title"] not in seen:
                seen.add(want["title"])
                rows.append({"doc_id": f"d{len(rows):02d}", "title": want["title"],
                             "body": "\n".join(want["body"])})  # fmt: skip
    full = [{name: row.get(name) for name in DOCUMENTS.names} for row in rows]
    return pa.Table.from_pylist(full, schema=DOCUMENTS)


def words_tfidf(tokens: pa.Table, stopwords) -> dict[str, list[tuple[str, str]]]:
    """The earlier method: (term, pos) per document, best first."""
    by_doc: dict[str, Counter] = {}
    pos_of = {}
    columns = (tokens[c].to_pylist() for c in ("doc_id", "word", "pos"))
    for doc_id, word, pos in zip(*columns, strict=True):
        term = word.lower()
        if pos in OLD_POS and term not in stopwords and any(c.isalpha() for c in term):
            by_doc.setdefault(doc_id, Counter())[term] += 1
            pos_of[term] = pos
    df = Counter(t for c in by_doc.values() for t in c)
    n = len(by_doc)
    out = {}
    for doc_id, counts in by_doc.items():
        total = sum(counts.values())
        scored = sorted(
            ((c / total) * (math.log((1 + n) / (1 + df[t])) + 1), t) for t, c in counts.items()
        )
        out[doc_id] = [(t, pos_of[t]) for _, t in reversed(scored[-10:])]
    return out


def main() -> int:
    shown = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    docs = corpus()
    _, tokens, _ = tokenise(docs)
    stopwords = Gazetteer.load(PROJECT_ROOT / "seeds" / "gazetteers").stopwords
    old = words_tfidf(tokens, stopwords)
    new, _ = keywords(tokens, TERM_DF.empty_table(), 0, stopwords)
    phrases: dict[str, list[str]] = {}
    for row in new.to_pylist():
        phrases.setdefault(row["doc_id"], []).append(row["term"])
    titles = dict(zip(docs["doc_id"].to_pylist(), docs["title"].to_pylist(), strict=True))
    tagged = zip(tokens["word"].to_pylist(), tokens["pos"].to_pylist(), strict=True)
    nouns = {word.lower() for word, pos in tagged if pos == "N"}
    counts = Counter()
    for doc_id in sorted(titles):
        was = old.get(doc_id, [])
        counts["words: verbs and adjectives"] += sum(pos in {"V", "A", "Vb"} for _, pos in was)
        counts["words: one common noun"] += sum(pos == "N" for _, pos in was)
        counts["words: a name in lower case"] += sum(pos == "Np" for _, pos in was)
        counts["phrases: one common noun"] += sum(t in nouns for t in phrases.get(doc_id, []))
    print(f"{len(titles)} articles; keyword lists of the first {shown}, before | after\n")
    for doc_id in sorted(titles)[:shown]:
        print(f"{titles[doc_id]}")
        print("  words:   " + ", ".join(t for t, _ in old.get(doc_id, [])))
        print("  phrases: " + ", ".join(phrases.get(doc_id, [])))
    print()
    for name, value in counts.items():
        print(f"{name}: {value} of {10 * len(titles)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
