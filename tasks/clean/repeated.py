"""Lines an outlet repeats across its articles: its furniture, learned from the corpus.

A line that appears word for word in several different articles of one outlet (the footer, a
subscribe prompt, the "Most read" label, a reporter-less credit) is page furniture whatever it
says, the C4 / cc_net idea. Counting happens over the whole run before any batch is cleaned (a
batch sees too few articles, and the result must not depend on the batch size) plus the articles
already published, whose line hashes the lake keeps in `line_hashes`.

An article is counted once per distinct title, so two copies of one story (a re-crawl, a syndicated
text) do not make each other's paragraphs furniture.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.compute as pc

from vnnews.tasks.tables import LINE_HASHES
from vnnews.tasks.text.orthography import normalise_line

# The published counts for this run's lines: $1 the run's line hashes, $2 the doc_ids this run
# replaces (their new version is counted in the run already).
PUBLISHED_COUNTS = """
    SELECT outlet, line_hash, count(DISTINCT doc_id)::BIGINT AS n FROM line_hashes
    WHERE line_hash IN (SELECT unnest($1::BIGINT[]))
      AND doc_id NOT IN (SELECT unnest($2::VARCHAR[]))
    GROUP BY outlet, line_hash
"""
COUNTS = pa.schema([("outlet", pa.string()), ("line_hash", pa.int64()), ("n", pa.int64())])


@dataclass(frozen=True)
class Repeated:
    """Thresholds (the rule pack's [repeated_line] table)."""

    min_documents: int = 3  # distinct articles of one outlet a line must appear in
    max_chars: int = 300  # longer lines are prose often enough to be left to the rules


def outlet_of(row: Mapping) -> str:
    """Who published a raw document: the host of its URL, else its source, else its folder.

    A folder of saved pages is usually one crawl of one site; mixed folders still work, as the
    thresholds count articles, not shares."""
    if row.get("url") and (host := urlsplit(row["url"]).hostname):
        return host.removeprefix("www.")
    if row.get("source"):
        return row["source"].strip().lower()
    uri = (row.get("source_uri") or "").split("#", 1)[0]
    return uri.rsplit("/", 1)[0]


def line_key(line: str) -> int:
    """A 64-bit hash of a normalised line (signed, to fit a BIGINT)."""
    digest = hashlib.blake2b(line.casefold().encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def document_lines(raw_text: str, repeated: Repeated) -> set[int]:
    # Normalising is most of the cost, and it at most halves a line (NFD marks, runs of spaces):
    # a raw line over twice the limit cannot qualify.
    short = (line for line in raw_text.splitlines() if len(line) <= 2 * repeated.max_chars)
    lines = (normalise_line(line) for line in short)
    return {line_key(line) for line in lines if line and len(line) <= repeated.max_chars}


def line_hashes(raw: pa.Table, repeated: Repeated) -> pa.Table:
    """One row per (document, distinct short line): what the lake keeps to count against."""
    rows = []
    for row in raw.select(["doc_id", "source_uri", "url", "source", "raw_text"]).to_pylist():
        outlet = outlet_of(row)
        rows += [
            {"doc_id": row["doc_id"], "outlet": outlet, "line_hash": key}
            for key in sorted(document_lines(row["raw_text"] or "", repeated))
        ]
    return pa.Table.from_pylist(rows, schema=LINE_HASHES)


def counts(hashes: pa.Table, keys: list[int]) -> pa.Table:
    """COUNTS of `keys` among line hashes already in hand (a run's earlier parts)."""
    if hashes.num_rows == 0:
        return COUNTS.empty_table()
    found = hashes.filter(pc.is_in(hashes["line_hash"], pa.array(keys, pa.int64())))
    grouped = found.group_by(["outlet", "line_hash"]).aggregate([("doc_id", "count_distinct")])
    n = grouped["doc_id_count_distinct"]
    return pa.table({"outlet": grouped["outlet"], "line_hash": grouped["line_hash"], "n": n}).cast(
        COUNTS
    )


def furniture(
    raw: pa.Table, hashes: pa.Table, published: pa.Table, repeated: Repeated
) -> dict[str, frozenset[int]]:
    """{outlet: hashes of its lines seen in at least min_documents distinct articles}."""
    title_of = {
        row["doc_id"]: " ".join((row["title"] or row["doc_id"]).casefold().split())
        for row in raw.select(["doc_id", "title"]).to_pylist()
    }
    titles: dict[tuple[str, int], set[str]] = defaultdict(set)
    for row in hashes.to_pylist():
        titles[row["outlet"], row["line_hash"]].add(title_of[row["doc_id"]])
    counts = Counter({key: len(seen) for key, seen in titles.items()})
    for row in published.to_pylist():
        counts[row["outlet"], row["line_hash"]] += row["n"]
    found: dict[str, set[int]] = defaultdict(set)
    for (outlet, key), n in counts.items():
        if n >= repeated.min_documents:
            found[outlet].add(key)
    return {outlet: frozenset(keys) for outlet, keys in found.items()}
