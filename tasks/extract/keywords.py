"""Keywords: TF-IDF of noun phrases (keyphrases.py) over the whole published corpus.

Document frequencies are published per run (`term_df`: term, df); the corpus-wide frequency of a
term is the sum over runs, so each run only adds its own documents' counts.
"""

from __future__ import annotations

import math
from collections import Counter

import pyarrow as pa

from vnnews.tasks.extract.keyphrases import Phrases, phrases
from vnnews.tasks.tables import KEYWORDS, TERM_DF, from_rows

# What the published corpus contributes, in SQL over the lake's tables.
PUBLISHED_DF = "SELECT term, sum(df)::BIGINT AS df FROM term_df GROUP BY term"
PUBLISHED_DOCS = "SELECT count(DISTINCT doc_id)::BIGINT AS n FROM keywords"
COUNT = pa.schema([("n", pa.int64())])
TOP_K = 10
# A one-word common noun is a weak keyword: it scores at this weight (a one-syllable one, "giá",
# "nước", only if it occurs twice), and once the corpus is large enough to tell, it is dropped
# when more than GENERIC_SHARE of documents use it ("doanh nghiệp", "khu vực").
SINGLE_NOUN_WEIGHT = 0.5
GENERIC_SHARE = 0.1
MIN_DOCS_TO_TELL = 50


def terms(tokens: pa.Table, stopwords: frozenset[str]) -> dict[str, Phrases]:
    """doc_id -> its candidate phrases (keys in lower case)."""
    return phrases(tokens, stopwords)


def _weight(key: str, found: Phrases, df: int, n: int) -> float:
    if key not in found.single:
        return 1.0
    if " " not in key and found.counts[key] < 2:  # "mức", "giới" said once in passing
        return 0.0
    if n >= MIN_DOCS_TO_TELL and df / n > GENERIC_SHARE:
        return 0.0
    return SINGLE_NOUN_WEIGHT


def keywords(tokens: pa.Table, published_df: pa.Table, n_published: int, stopwords: frozenset[str]):
    """(keywords of this batch's documents, this batch's term_df rows)."""
    by_doc = terms(tokens, stopwords)
    batch_df = Counter(t for found in by_doc.values() for t in found.counts)
    df = Counter(
        dict(zip(published_df["term"].to_pylist(), published_df["df"].to_pylist(), strict=True))
    )
    df.update(batch_df)
    n = n_published + len(by_doc)
    rows = []
    for doc_id, found in by_doc.items():
        total = sum(found.counts.values())
        scored = []
        for key, count in found.counts.items():
            weight = _weight(key, found, df[key], n)
            if weight:
                idf = math.log((1 + n) / (1 + df[key])) + 1
                scored.append(((count / total) * idf * weight, key))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        for rank, (score, key) in enumerate(scored[:TOP_K], 1):
            term = found.written(key)
            rows.append({"doc_id": doc_id, "rank": rank, "term": term, "score": round(score, 6)})
    df_rows = [{"term": t, "df": c} for t, c in sorted(batch_df.items())]
    return from_rows(rows, KEYWORDS), from_rows(df_rows, TERM_DF)


def retired_df(tokens: pa.Table, stopwords: frozenset[str]) -> pa.Table:
    """Negative term_df rows that take back the counts of replaced documents."""
    counts = Counter(t for found in terms(tokens, stopwords).values() for t in found.counts)
    return from_rows([{"term": t, "df": -c} for t, c in sorted(counts.items())], TERM_DF)


def merge_df(*tables: pa.Table) -> pa.Table:
    """Sum document frequencies by term; terms that reach zero drop out."""
    total: Counter = Counter()
    for table in tables:
        for term, df in zip(table["term"].to_pylist(), table["df"].to_pylist(), strict=True):
            total[term] += df
    return from_rows([{"term": t, "df": c} for t, c in sorted(total.items()) if c], TERM_DF)


def against_published(
    tokens: pa.Table,
    stopwords: frozenset[str],
    published_df: pa.Table,
    n_published: int,
    replaced_tokens: pa.Table,
    n_replaced: int,
) -> tuple[pa.Table, pa.Table]:
    """(keywords, term_df rows) of a run: TF-IDF against everything published so far, less the
    `n_replaced` versions this run replaces, whose counts its term_df rows take back."""
    retired = retired_df(replaced_tokens, stopwords)
    published_df = merge_df(published_df, retired)
    found, batch_df = keywords(tokens, published_df, n_published - n_replaced, stopwords)
    return found, merge_df(batch_df, retired)
