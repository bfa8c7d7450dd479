"""Keywords: TF-IDF of content words over the whole published corpus.

Document frequencies are published per run (`term_df`: term, df); the corpus-wide frequency of a
term is the sum over runs, so each run only adds its own documents' counts.
"""

from __future__ import annotations

import math
from collections import Counter

import pyarrow as pa

from vnnews.tasks.tables import KEYWORDS, TERM_DF, from_rows

# What the published corpus contributes, in SQL over the lake's tables.
PUBLISHED_DF = "SELECT term, sum(df)::BIGINT AS df FROM term_df GROUP BY term"
PUBLISHED_DOCS = "SELECT count(DISTINCT doc_id)::BIGINT AS n FROM keywords"
COUNT = pa.schema([("n", pa.int64())])
CONTENT_POS = {"N", "Np", "V", "A", "Ny", "Nb", "Vb"}
TOP_K = 10


def terms(tokens: pa.Table, stopwords: frozenset[str]) -> dict[str, Counter]:
    """doc_id -> term counts of its content words (lower case, no stopwords, no numbers)."""
    out: dict[str, Counter] = {}
    for doc_id, word, pos in zip(
        *(tokens[c].to_pylist() for c in ("doc_id", "word", "pos")), strict=True
    ):
        term = word.lower()
        if pos in CONTENT_POS and term not in stopwords and any(c.isalpha() for c in term):
            out.setdefault(doc_id, Counter())[term] += 1
    return out


def keywords(tokens: pa.Table, published_df: pa.Table, n_published: int, stopwords: frozenset[str]):
    """(keywords of this batch's documents, this batch's term_df rows)."""
    by_doc = terms(tokens, stopwords)
    batch_df = Counter(t for counts in by_doc.values() for t in counts)
    df = Counter(
        dict(zip(published_df["term"].to_pylist(), published_df["df"].to_pylist(), strict=True))
    )
    df.update(batch_df)
    n = n_published + len(by_doc)
    rows = []
    for doc_id, counts in by_doc.items():
        total = sum(counts.values())
        scored = sorted(
            ((c / total) * (math.log((1 + n) / (1 + df[t])) + 1), t) for t, c in counts.items()
        )
        for rank, (score, term) in enumerate(reversed(scored[-TOP_K:]), 1):
            rows.append({"doc_id": doc_id, "rank": rank, "term": term, "score": round(score, 6)})
    df_rows = [{"term": t, "df": c} for t, c in sorted(batch_df.items())]
    return from_rows(rows, KEYWORDS), from_rows(df_rows, TERM_DF)


def retired_df(tokens: pa.Table, stopwords: frozenset[str]) -> pa.Table:
    """Negative term_df rows that take back the counts of replaced documents."""
    counts = Counter(t for doc in terms(tokens, stopwords).values() for t in doc)
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
