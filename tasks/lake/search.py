"""Full-text search over a published snapshot (DuckDB's fts extension, BM25).

The index is built once per snapshot, on the first search of it, into
`<data dir>/search/snapshot-N.duckdb` (a later snapshot gets its own; older files are removed).
Each document's title and body are indexed as terms of three kinds:
- its syllables, and each two neighbouring ones (`giá`, `lúa`, `giá_lúa`): a query's words
  count more when they stand together, as in a phrase;
- its words of several syllables as underthesea segmented them (`thành_phố_hồ_chí_minh`), so
  that a name is one term however long;
and each term twice: as written, and folded (no tone marks, đ as d: `gia_lua`) for queries typed
without diacritics. A query is not segmented (no model to load): its runs of 1 to 3 syllables
are all tried, in both forms, and whichever are terms count.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from vnnews.tasks.lake import catalog, extensions
from vnnews.tasks.settings import Settings

SYLLABLE = re.compile(r"[^\W_]+")
FOLD = "replace(strip_accents(lower({x})), 'đ', 'd')"
DOCS = """
    SELECT d.doc_id, d.title, d.source_uri, d.source, d.url, d.published_at, d.body,
           coalesce(w.words, '') AS words
    FROM documents d LEFT JOIN (
        SELECT doc_id, string_agg(replace(lower(word), ' ', '_'), ' ') AS words
        FROM tokens WHERE contains(word, ' ') GROUP BY doc_id) w USING (doc_id)"""
INDEX = (
    "PRAGMA create_fts_index('docs', 'doc_id', 'words', 'folded', stemmer = 'none', "
    "stopwords = 'none', ignore = '[^\\p{L}\\p{N}_]+', strip_accents = 0, lower = 1)"
)


def fold(text: str) -> str:
    """'Đảng Cộng sản' -> 'dang cong san'."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def terms(title: str, body: str, words: str) -> str:
    """The document's terms: syllables, neighbouring pairs, segmented words (see above)."""
    syllables = SYLLABLE.findall(f"{title}\n{body}".lower())
    pairs = [f"{a}_{b}" for a, b in zip(syllables, syllables[1:], strict=False)]
    return " ".join([*syllables, *pairs]) + " " + words


def query_terms(query: str) -> list[str]:
    """Every run of 1 to 3 syllables, joined as the index joins words, exact and folded."""
    syllables = SYLLABLE.findall(query.lower())
    grams = ["_".join(syllables[i : i + n]) for n in (1, 2, 3) for i in range(len(syllables))
             if i + n <= len(syllables)]  # fmt: skip
    return list(dict.fromkeys([*grams, *map(fold, grams)]))


def index_path(settings: Settings, snapshot: int) -> Path:
    return settings.data_dir / "search" / f"snapshot-{snapshot}.duckdb"


def build(settings: Settings, snapshot: int) -> Path:
    """The index of `snapshot`, built if missing; written aside and renamed into place, so
    that two searches at once never see half an index."""
    path = index_path(settings, snapshot)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    lake = catalog.connect(settings, read_only=True, snapshot=snapshot)
    try:
        docs = lake.execute(DOCS).fetch_arrow_table()
    finally:
        lake.close()
    indexed = [
        terms(*row)
        for row in zip(*(docs[c].to_pylist() for c in ("title", "body", "words")), strict=True)
    ]
    docs = docs.set_column(
        docs.schema.get_field_index("words"), "words", pa.array(indexed, pa.string())
    )
    fd, scratch = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    os.unlink(scratch)  # DuckDB creates the file itself
    con = _connect(scratch)
    try:
        con.register("_docs", docs)
        con.execute(f"CREATE TABLE docs AS SELECT *, {FOLD.format(x='words')} AS folded FROM _docs")
        con.execute(INDEX)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(scratch, path)
    for old in path.parent.glob("snapshot-*.duckdb"):
        if old != path:
            old.unlink(missing_ok=True)
    return path


def _connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    con = extensions.connect()
    extensions.load(con, "fts")
    con.execute(f"ATTACH '{path}' AS search {'(READ_ONLY)' if read_only else ''}")
    con.execute("USE search")
    return con


@dataclass
class Hit:
    doc_id: str
    source_uri: str
    title: str
    published_at: object
    source: str | None
    score: float
    snippet: str


def search(settings: Settings, snapshot: int, query: str, limit: int = 10,
           source: str | None = None, since: str | None = None,
           until: str | None = None) -> list[Hit]:  # fmt: skip
    """The best `limit` documents for `query`, by BM25 over both fields."""
    terms = query_terms(query)
    if not terms:
        return []
    con = _connect(build(settings, snapshot), read_only=True)
    try:
        where, params = ["score IS NOT NULL"], [" ".join(terms)]
        if source:
            where.append("(source ILIKE ? OR source_uri ILIKE ?)")
            params += [f"%{source}%", f"%{source}%"]
        if since:
            where.append("published_at >= ?::TIMESTAMPTZ")
            params.append(since)
        if until:
            where.append("published_at < ?::TIMESTAMPTZ + INTERVAL 1 DAY")
            params.append(until)
        sql = (
            "SELECT * FROM (SELECT doc_id, source_uri, title, published_at, source, body, "
            "fts_main_docs.match_bm25(doc_id, ?) AS score FROM docs) "
            f"WHERE {' AND '.join(where)} ORDER BY score DESC, doc_id LIMIT {int(limit)}"
        )
        rows = con.execute(sql, params).fetchall()
    finally:
        con.close()
    return [Hit(d, u, t, p, s, round(score, 4), snippet(body, query))
            for d, u, t, p, s, body, score in rows]  # fmt: skip


def snippet(body: str, query: str, width: int = 200) -> str:
    """The sentence of `body` holding most of the query's syllables, each marked «like this»."""
    wanted = {fold(s) for s in SYLLABLE.findall(query)}
    sentences = re.split(r"(?<=[.!?…])\s+|\n", body or "")
    best = max(sentences, key=lambda s: sum(fold(w) in wanted for w in SYLLABLE.findall(s)),
               default="")  # fmt: skip
    text = best if len(best) <= width else best[: width - 1] + "…"
    return SYLLABLE.sub(
        lambda m: f"«{m.group(0)}»" if fold(m.group(0)) in wanted else m.group(0), text
    )
