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
from typing import NamedTuple

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


class Published(NamedTuple):
    """A file as it was last read (a row of the `files` table)."""

    file_hash: str
    n_items: int
    byte_size: int


def _known(published: pa.Table) -> dict[str, Published]:
    """source_uri -> the file as it was last read."""
    columns = (published[c].to_pylist() for c in ("source_uri", *Published._fields))
    return {uri: Published(*row) for uri, *row in zip(*columns, strict=True)}


def _size(src: SourceFile) -> int | None:
    try:
        return src.path.stat().st_size
    except OSError:
        return None


def all_unchanged(files: Iterable[SourceFile], published: pa.Table) -> tuple[int, list] | None:
    """(items of the files, their manifest rows) when every file is published with the same
    bytes; else None. A file never read or of another size is found before any file is hashed:
    a run that has work pays a walk and a stat per file for asking, and reads no file twice."""
    known = _known(published)
    pairs = [(src, known.get(src.uri)) for src in files]
    if any(last is None or _size(src) != last.byte_size for src, last in pairs):
        return None
    n_items, manifest = 0, []
    for src, last in pairs:
        if (digest := file_hash(src)) is None or digest != last.file_hash:
            return None
        n_items += last.n_items
        manifest.append({"source_uri": src.uri, "content_hash": digest})
    return n_items, manifest


def unchanged_files(files: list[SourceFile], published: pa.Table):
    """(files to read, their hashes by uri, items of the skipped files, manifest of skipped)."""
    known = _known(published)
    changed, hashes, skipped_items, skipped = [], {}, 0, []
    for src in files:
        digest = hashes[src.uri] = file_hash(src)
        last = known.get(src.uri)
        if digest is not None and last is not None and last.file_hash == digest:
            skipped_items += last.n_items
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
