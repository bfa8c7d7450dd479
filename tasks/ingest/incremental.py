"""What a run can skip, and what it replaces.

Two cheap checks keep a re-run from paying for what is already published:
1. a file whose bytes hash as when it was last read is not read again (`files` table);
2. an article whose (source_uri, doc_id) is published is dropped before cleaning: doc_id hashes
   the normalised text, so a file that was only re-encoded (cp1258, NFD) is still unchanged.
An article whose text changed at a published source_uri is a new version: it `replaces` the
old doc_id, whose rows the publish deletes in the same snapshot (time travel keeps them).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

import pyarrow as pa

from vnnews.tasks.ingest.discover import SourceFile, open_regular
from vnnews.tasks.tables import FILES, from_rows


def file_hash(src: SourceFile) -> str | None:
    """sha256 of the file's bytes as stored (None if it cannot be read, or is no regular file:
    ingest reports why). A FIFO or a device is never read: it would never end."""
    digest = hashlib.sha256()
    try:
        with open_regular(src.path) as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _known(published: pa.Table) -> dict[str, tuple[str, int]]:
    """source_uri -> (file_hash, n_items) of the files published."""
    columns = (published[c].to_pylist() for c in ("source_uri", "file_hash", "n_items"))
    return {uri: (digest, n) for uri, digest, n in zip(*columns, strict=True)}


def all_unchanged(files: Iterable[SourceFile], published: pa.Table) -> tuple[int, list] | None:
    """(items of the files, their manifest rows) when every file is published with the same
    bytes; None at the first file that is not, without hashing the files after it."""
    known, n_items, manifest = _known(published), 0, []
    for src in files:
        last = known.get(src.uri)
        if last is None or (digest := file_hash(src)) is None or digest != last[0]:
            return None
        n_items += last[1]
        manifest.append({"source_uri": src.uri, "content_hash": digest})
    return n_items, manifest


def unchanged_files(files: list[SourceFile], published: pa.Table):
    """(files to read, their hashes by uri, items of the skipped files, manifest of skipped)."""
    known = _known(published)
    changed, hashes, skipped_items, skipped = [], {}, 0, []
    for src in files:
        digest = hashes[src.uri] = file_hash(src)
        last = known.get(src.uri)
        if digest is not None and last is not None and last[0] == digest:
            skipped_items += last[1]
            skipped.append({"source_uri": src.uri, "content_hash": digest})
        else:
            changed.append(src)
    return changed, hashes, skipped_items, skipped


def file_of(source_uri: str) -> str:
    """'file:///a/b.jsonl#L3' -> 'file:///a/b.jsonl'."""
    return source_uri.partition("#")[0]


def file_ledger(files: list[SourceFile], hashes: dict, item_uris: Iterable[str]) -> pa.Table:
    """One FILES row per file read: its hash, size and how many items it yielded."""
    items = Counter(file_of(uri) for uri in item_uris)
    rows = []
    for src in files:
        if hashes.get(src.uri) is None:
            continue  # unreadable: nothing to remember, it is read (and refused) again
        size = src.path.stat().st_size
        rows.append(
            {
                "source_uri": src.uri,
                "file_hash": hashes[src.uri],
                "byte_size": size,
                "n_items": items[src.uri],
            }
        )
    return from_rows(rows, FILES)


def drop_published(raw: pa.Table, published: pa.Table) -> pa.Table:
    """Raw documents not already published as they are, each with the doc_id it `replaces`."""
    pairs = list(
        zip(published["source_uri"].to_pylist(), published["doc_id"].to_pylist(), strict=True)
    )
    seen, current = set(pairs), dict(pairs)
    keep, replaces = [], []
    uris, ids = raw["source_uri"].to_pylist(), raw["doc_id"].to_pylist()
    for i, key in enumerate(zip(uris, ids, strict=True)):
        if key not in seen:
            keep.append(i)
            replaces.append(current.get(key[0]))
    fresh = raw.take(pa.array(keep, pa.int64()))
    column = fresh.schema.get_field_index("replaces")
    return fresh.set_column(column, "replaces", pa.array(replaces, pa.string()))
