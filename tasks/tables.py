"""Arrow schemas of every table the pipeline passes between stages and publishes.

These schemas are the single source of truth: the lake creates its tables from them.
"""

from __future__ import annotations

import pyarrow as pa

CAPTION = pa.struct([("text", pa.string()), ("credit", pa.string())])

RAW_DOCUMENTS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("source_uri", pa.string()),
        ("title", pa.string()),
        ("raw_text", pa.string()),
        ("url", pa.string()),
        ("published_at", pa.string()),
        ("author", pa.string()),
        ("source", pa.string()),
        ("captions", pa.list_(CAPTION)),
        ("content_hash", pa.string()),
        ("byte_size", pa.int64()),
        ("encoding", pa.string()),
        ("ingested_at", pa.timestamp("us", tz="UTC")),
        ("replaces", pa.string()),
    ]
)

DOCUMENTS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("source_uri", pa.string()),
        ("title", pa.string()),
        ("body", pa.string()),
        ("source", pa.string()),
        ("author", pa.string()),
        ("published_at", pa.timestamp("us", tz="UTC")),
        ("url", pa.string()),
        ("captions", pa.list_(CAPTION)),
        ("body_hash", pa.string()),
        ("content_hash", pa.string()),
        ("byte_size", pa.int64()),
        ("encoding", pa.string()),
        ("ingested_at", pa.timestamp("us", tz="UTC")),
        # The doc_id of the earlier version from the same source_uri that this one replaced.
        ("replaces", pa.string()),
    ]
)

SENTENCES = pa.schema(
    [
        ("doc_id", pa.string()),
        ("sent_idx", pa.int32()),
        ("text", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
    ]
)

TOKENS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("sent_idx", pa.int32()),
        ("tok_idx", pa.int32()),
        ("word", pa.string()),
        ("pos", pa.string()),
        ("chunk", pa.string()),
        ("ner", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
    ]
)

ENTITIES = pa.schema(
    [
        ("doc_id", pa.string()),
        ("sent_idx", pa.int32()),
        ("type", pa.string()),
        ("text", pa.string()),
        ("normalized", pa.string()),
        ("entity_id", pa.string()),  # one name per entity: aliases and short forms merged
        ("title", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("method", pa.string()),
    ]
)

REJECTS = pa.schema(
    [
        ("source_uri", pa.string()),
        ("doc_id", pa.string()),
        ("stage", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("duplicate_of", pa.string()),
    ]
)

DATES = pa.schema(
    [
        ("doc_id", pa.string()),
        ("sent_idx", pa.int32()),
        ("text", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("value", pa.date32()),
        ("precision", pa.string()),
        ("day", pa.int32()),
        ("month", pa.int32()),
        ("year", pa.int32()),
        ("relative", pa.bool_()),
    ]
)

QUANTITIES = pa.schema(
    [
        ("doc_id", pa.string()),
        ("sent_idx", pa.int32()),
        ("text", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("kind", pa.string()),
    ]
)

QUOTES = pa.schema(
    [
        ("doc_id", pa.string()),
        ("text", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("speaker", pa.string()),
        ("verb", pa.string()),
    ]
)

KEYWORDS = pa.schema(
    [("doc_id", pa.string()), ("rank", pa.int32()), ("term", pa.string()), ("score", pa.float64())]
)

TERM_DF = pa.schema([("term", pa.string()), ("df", pa.int64())])

SIGNATURES = pa.schema(
    [
        ("doc_id", pa.string()),
        ("body_hash", pa.string()),
        ("minhash", pa.list_(pa.uint32())),
    ]
)

# One row per published document and distinct short line of its raw text: how often an outlet
# repeats a line across articles (clean's `repeated_line`), counted against later runs.
LINE_HASHES = pa.schema(
    [("doc_id", pa.string()), ("outlet", pa.string()), ("line_hash", pa.int64())]
)

# One row per input file as last read: a file whose bytes hash the same is skipped before
# decoding. `n_items` counts what it yielded (articles and refused records alike).
FILES = pa.schema(
    [
        ("source_uri", pa.string()),
        ("file_hash", pa.string()),
        ("byte_size", pa.int64()),
        ("n_items", pa.int64()),
    ]
)

# One row per URL of a live source as last fetched (tasks/ingest/fetch/crawl.py): the validators
# that make the next fetch a conditional GET, and why it failed; a failed URL is fetched again
# by the next run, until it has failed MAX_FAILURES runs in a row.
FETCHES = pa.schema(
    [
        ("url", pa.string()),
        ("host", pa.string()),
        ("listing", pa.string()),  # the feed or sitemap that listed it; null: a given source
        ("kind", pa.string()),  # listing or page
        ("status", pa.int32()),
        ("etag", pa.string()),
        ("last_modified", pa.string()),
        ("content_hash", pa.string()),
        ("fetched_at", pa.timestamp("us", tz="UTC")),
        ("reason", pa.string()),  # null when it was fetched (or not modified)
        ("failures", pa.int32()),  # runs in a row it failed
    ]
)

RUNS = pa.schema(
    [
        ("run_id", pa.string()),
        ("snapshot_id", pa.int64()),
        ("started_at", pa.timestamp("us", tz="UTC")),
        ("finished_at", pa.timestamp("us", tz="UTC")),
        ("status", pa.string()),
        ("n_in", pa.int64()),
        ("n_published", pa.int64()),
        ("n_rejected", pa.int64()),
        ("n_unchanged", pa.int64()),
        ("n_replaced", pa.int64()),
        ("n_quarantined", pa.int64()),  # documents that failed a row check, kept out
        ("sources", pa.list_(pa.string())),
        ("stage_counts", pa.string()),
        ("versions", pa.string()),
        ("settings", pa.string()),
        ("code_revision", pa.string()),
        (
            "manifest",
            pa.list_(pa.struct([("source_uri", pa.string()), ("content_hash", pa.string())])),
        ),
    ]
)

# One row per expectation per stage per run: what GX judged, on which snapshot.
VALIDATION_RESULTS = pa.schema(
    [
        ("snapshot_id", pa.int64()),  # the snapshot this run committed (data, or only its record)
        ("stage", pa.string()),
        ("expectation", pa.string()),
        ("column", pa.string()),
        ("severity", pa.string()),
        ("success", pa.bool_()),
        ("observed_value", pa.string()),
        ("unexpected_count", pa.int64()),
        ("unexpected_percent", pa.float64()),
        ("sample", pa.string()),  # JSON list of up to 10 failing values
        ("notes", pa.string()),  # what the expectation guards against
        ("docs_page", pa.string()),  # the Data Docs page, relative to the Data Docs folder
    ]
)

# The rows a critical expectation named. Their documents were kept out of the run (rejects,
# reason failed_check), or, when the stage looked broken, the run published no data at all.
QUARANTINE = pa.schema(
    [
        ("stage", pa.string()),
        ("expectation", pa.string()),
        ("column", pa.string()),
        ("doc_id", pa.string()),
        ("source_uri", pa.string()),
        ("row_key", pa.string()),  # JSON: the columns that locate the row (sent_idx, start, ...)
        ("value", pa.string()),  # the failing value, up to 2,000 characters
        ("excerpt", pa.string()),  # up to 300 characters of the offending text
    ]
)

# What identifies an already-published article: its source and its normalised text.
PUBLISHED_KEYS = pa.schema([("source_uri", pa.string()), ("doc_id", pa.string())])

# Tables published per run; each gets a run_id column in the lake.
PUBLISHED = {
    "documents": DOCUMENTS,
    "sentences": SENTENCES,
    "tokens": TOKENS,
    "entities": ENTITIES,
    "dates": DATES,
    "quantities": QUANTITIES,
    "quotes": QUOTES,
    "keywords": KEYWORDS,
    "term_df": TERM_DF,
    "rejects": REJECTS,
    "signatures": SIGNATURES,
    "line_hashes": LINE_HASHES,
    "files": FILES,
    "fetches": FETCHES,
    "validation_results": VALIDATION_RESULTS,
    "quarantine": QUARANTINE,
}

# The key of each table a run assembles from several stages' parts: no two rows of one run may
# share it (the publish suite). Sentences and tokens are held unique by the tokenise suite and
# mentions by the extract suite, on the very tables that are published; keywords and term_df are
# unique by construction (ranks, counter keys).
KEYS = {
    "documents": ("doc_id",),
    "signatures": ("doc_id",),
    "files": ("source_uri",),
    "fetches": ("url",),
}

# Tables keyed by document: a new version of an article deletes the old version's rows there.
BY_DOCUMENT = (
    "documents",
    "sentences",
    "tokens",
    "entities",
    "dates",
    "quantities",
    "quotes",
    "keywords",
    "signatures",
    "line_hashes",
)


def from_rows(rows: list[dict], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema)


def concat(tables: list[pa.Table], schema: pa.Schema) -> pa.Table:
    return pa.concat_tables(tables) if tables else schema.empty_table()


def reject(source_uri, stage, reason, detail="", doc_id=None, duplicate_of=None) -> dict:
    return {
        "source_uri": source_uri,
        "doc_id": doc_id,
        "stage": stage,
        "reason": reason,
        "detail": detail,
        "duplicate_of": duplicate_of,
    }
