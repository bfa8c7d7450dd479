"""Full-text search over a published snapshot: `search()` here, and the SQL table macro
`search('…')` that `vnnews sql` and `vnnews.connect()` offer, both ranked by one query.

A query is not segmented (no model to load): its runs of 1 to 3 syllables are all tried, as
written and folded, and whichever are terms of the index (`search_index`) count.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

from vnnews.tasks.lake.history import parse_time
from vnnews.tasks.lake.literal import quoted
from vnnews.tasks.lake.search_index import SYLLABLE, build, fold
from vnnews.tasks.settings import Settings

INDEX = "search_index"  # the name the index file is attached under
# The ranking, given the query's terms. `search()` below adds the snippets through Python
# functions; Python code calls `search_ranked` itself (a Python function run by DuckDB costs
# 0.5 s of loading pandas).
RANKED = f"""
CREATE OR REPLACE TEMP MACRO search_ranked(terms, k, source, since, until) AS TABLE
WITH hits AS (
    SELECT unnest(p.docids) AS docid, unnest(p.weights) AS weight FROM {INDEX}.postings p
    WHERE p.term IN (SELECT unnest(terms))),
scored AS (SELECT docid, sum(weight) AS score FROM hits GROUP BY docid),
best AS (
    SELECT s.docid, s.score, d.doc_id FROM scored s JOIN {INDEX}.docs d USING (docid)
    WHERE (source IS NULL OR d.source ILIKE '%' || source || '%'
           OR d.source_uri ILIKE '%' || source || '%')
      AND (since IS NULL OR d.published_at >= since::TIMESTAMPTZ)
      AND (until IS NULL OR d.published_at < until::TIMESTAMPTZ + INTERVAL 1 DAY)
    ORDER BY s.score DESC, d.doc_id LIMIT k)
SELECT d.doc_id, d.source_uri, d.title, d.published_at, round(b.score, 4) AS score, d.body
FROM best b JOIN {INDEX}.docs d ON d.docid = b.docid
ORDER BY b.score DESC, d.doc_id"""
# Filters are optional arguments: `search('giá lúa', k := 5, source := 'vnexpress',
# since := '2025-10-01', until := '2025-10-31')`.
MACRO = """
CREATE OR REPLACE TEMP MACRO search(q, k := 10, source := NULL, since := NULL, until := NULL)
AS TABLE
SELECT * EXCLUDE (body), search_snippet(body, q) AS snippet
FROM search_ranked(search_terms(q), k, source, since, until)"""
COLUMNS = ("doc_id", "source_uri", "title", "published_at", "score", "snippet")


@dataclass
class Hit:
    doc_id: str
    source_uri: str
    title: str
    published_at: object
    score: float
    snippet: str


def query_terms(query: str) -> list[str]:
    """Every run of 1 to 3 syllables, joined as the index joins words, exact and folded."""
    syllables = SYLLABLE.findall(query.lower())
    grams = ["_".join(syllables[i : i + n]) for n in (1, 2, 3) for i in range(len(syllables))
             if i + n <= len(syllables)]  # fmt: skip
    return list(dict.fromkeys([*grams, *map(fold, grams)]))


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


def attach(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Attach the index at `path` read-only and define `search()` on `con`."""
    con.execute(f"ATTACH {quoted(path)} AS {INDEX} (READ_ONLY)")
    con.create_function("search_terms", query_terms, ["VARCHAR"], "VARCHAR[]")
    con.create_function("search_snippet", lambda body, q: snippet(body, q), ["VARCHAR", "VARCHAR"],
                        "VARCHAR")  # fmt: skip
    define(con)


def define(con: duckdb.DuckDBPyConnection) -> None:
    """The macros, on `con` or a cursor of it: temporary macros belong to one connection, while
    the index and the Python functions belong to the database they share."""
    con.execute(RANKED)
    con.execute(MACRO)


def _moment(value: str | None, name: str) -> str | None:
    """A filter's date or time, as DuckDB casts it (UnknownVersion naming the forms taken)."""
    return None if value is None else parse_time(value, f"--{name}").isoformat()


_open: dict[Path, duckdb.DuckDBPyConnection] = {}
_lock = threading.Lock()


def search(settings: Settings, snapshot: int, query: str, limit: int = 10,
           source: str | None = None, since: str | None = None,
           until: str | None = None) -> list[Hit]:  # fmt: skip
    """The best `limit` documents for `query`. The index's connection stays open for the
    next search in this process (a notebook's, a benchmark's)."""
    since, until = (_moment(v, name) for v, name in ((since, "since"), (until, "until")))
    if not query_terms(query):
        return []
    path = build(settings, snapshot)
    with _lock:
        if path not in _open:
            _open[path] = con = duckdb.connect()
            attach(con, path)
        # Literals, not parameters: binding any parameter makes DuckDB import pandas (0.5 s).
        terms = "[" + ", ".join(map(quoted, query_terms(query))) + "]"
        text = [quoted(v) if v is not None else "NULL" for v in (source, since, until)]
        sql = f"SELECT * FROM search_ranked({terms}, {int(limit)}, {', '.join(text)})"
        rows = _open[path].execute(sql).fetchall()
    return [Hit(*row[:-1], snippet(row[-1], query)) for row in rows]
