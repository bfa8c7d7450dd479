"""Views for the questions every analyst asks, written into the lake by the first publish (and
again when their definitions change), so that `vnnews sql`, plain DuckDB and time travel to any
later snapshot all see them.

A day is the Vietnamese calendar day of `published_at` (UTC+7 all year: no daylight saving), so
an article published at 06:00 in Hà Nội counts for that morning, not for the UTC evening before.
"""

from __future__ import annotations

import hashlib

import duckdb

from vnnews.tasks.lake.literal import quoted

# Hà Nội's day from the instant's microseconds (+7 h = 25,200,000,000 µs): adding an INTERVAL
# to a TIMESTAMPTZ goes through ICU's calendar row by row, twice as slow over a month.
DAY = "CAST(make_timestamp(epoch_us(d.published_at) + 25200000000) AS DATE)"

VIEWS = {
    # Every entity mention with its document's date, outlet and address.
    "mentions": f"""
        SELECT e.doc_id, e.sent_idx, e.type, e.text, e.entity_id, e.title AS person_title,
               e.start, e."end", e.method, d.title, d.source, d.source_uri, d.url,
               d.published_at, {DAY} AS day
        FROM entities e JOIN documents d USING (doc_id)""",
    # Two entities named in one document; each pair once (entity_a < entity_b).
    "entity_cooccurrence": """
        WITH named AS (SELECT DISTINCT doc_id, type, entity_id FROM entities)
        SELECT a.entity_id AS entity_a, a.type AS type_a, b.entity_id AS entity_b,
               b.type AS type_b, count(*) AS documents
        FROM named a JOIN named b ON a.doc_id = b.doc_id AND a.entity_id < b.entity_id
        GROUP BY ALL""",
    # How many documents had a keyword per day, and how strongly.
    "keyword_trends": f"""
        SELECT {DAY} AS day, k.term, count(*) AS documents, avg(k.score) AS mean_score
        FROM keywords k JOIN documents d USING (doc_id)
        WHERE d.published_at IS NOT NULL GROUP BY ALL""",
    # The corpus in one row.
    "corpus_stats": """
        SELECT (SELECT count(*) FROM documents) AS documents,
               (SELECT count(*) FROM sentences) AS sentences,
               (SELECT count(*) FROM tokens) AS tokens,
               (SELECT count(*) FROM entities) AS entity_mentions,
               (SELECT count(DISTINCT entity_id) FROM entities) AS entities,
               (SELECT count(DISTINCT source) FROM documents) AS sources,
               (SELECT min(published_at) FROM documents) AS first_published,
               (SELECT max(published_at) FROM documents) AS last_published,
               (SELECT count(*) FROM rejects) AS rejects,
               (SELECT count(*) FROM runs) AS runs""",
}


# Which definitions a lake holds. Views are written only when these change: each write is a
# schema change, and DuckLake merges no files across schema changes (`vnnews maintain`).
VERSION = hashlib.sha256(repr(sorted(VIEWS.items())).encode()).hexdigest()[:12]
MARKER = "views_version"


def create_views(con: duckdb.DuckDBPyConnection, lake: str) -> None:
    """(Re)create every view inside the open publish transaction when the lake holds other
    definitions (or none); in order, as they build on each other."""
    found = "SELECT count(*) FROM duckdb_views() WHERE database_name = ? AND view_name = ?"
    current = (
        con.execute(found, [lake, MARKER]).fetchone()[0]
        and con.execute(f"SELECT version FROM {lake}.{MARKER}").fetchone()[0]
    )
    if current == VERSION:
        return
    for name, sql in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW {lake}.{name} AS {sql}")
    con.execute(f"CREATE OR REPLACE VIEW {lake}.{MARKER} AS SELECT {quoted(VERSION)} AS version")
