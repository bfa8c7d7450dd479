"""Ingest: read the files a run found (tasks/ingest/discover.py) into a raw documents table.

Every file or record that cannot be used becomes one `rejects` row with a reason, and the
others are read: unreadable, oversized, undecodable, legacy_encoding, unsupported_type,
unsafe_path, bad_json, bad_field, missing_body, empty_file. Errors are caught per file and per
record: nothing in one input stops the run.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime

from vnnews.tasks.ingest import jsonl, warc
from vnnews.tasks.ingest.discover import (
    ARTICLE_SUFFIXES,
    SourceFile,
    discover,
    not_regular,
    open_regular,
)
from vnnews.tasks.ingest.encoding import DecodeError, decode
from vnnews.tasks.ingest.readers import Article, BadRecord, HtmlRules, read_html, read_txt
from vnnews.tasks.tables import RAW_DOCUMENTS, REJECTS, from_rows, reject
from vnnews.tasks.text.orthography import normalise_line

__all__ = ["SourceFile", "discover", "doc_id_for", "ingest", "read_file"]

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
READERS = {".txt": read_txt, ".html": read_html, ".htm": read_html, ".jsonl": jsonl.read_jsonl}


def doc_id_for(title: str, lines: list[str]) -> str:
    """Stable id of the normalised text: every encoding and normal form of an article agree."""
    normalised = (normalise_line(x) for x in [title, *lines])
    text = "\n".join(line for line in normalised if line)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            data = fh.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise DecodeError("undecodable", f"not a valid gzip file: {exc}") from exc
    if len(data) > max_bytes:
        raise DecodeError("oversized", f"more than {max_bytes:,} bytes once decompressed")
    return data


def _read_bytes(src: SourceFile, max_bytes: int) -> bytes:
    with open_regular(src.path) as fh:
        size = fh.seek(0, io.SEEK_END)
        if size > max_bytes and not src.gzipped:
            raise DecodeError("oversized", f"{size:,} bytes > cap of {max_bytes:,}")
        fh.seek(0)
        data = fh.read()
    return _gunzip(data, max_bytes) if src.gzipped else data


def _whole_file(src: SourceFile, rules: HtmlRules, max_bytes: int) -> Iterator[tuple]:
    """(article or refusal, bytes, encoding) of a file decoded whole: text, HTML, UTF-16 JSONL."""
    data = _read_bytes(src, max_bytes)
    decoded = decode(data)
    if not decoded.text.strip():
        yield BadRecord("", "empty_file", f"{len(data):,} bytes, no text"), data, ""
        return
    for item in READERS[src.kind](decoded.text, rules):
        yield item, data, decoded.encoding


def _jsonl_stream(src: SourceFile, rules: HtmlRules, max_bytes: int) -> Iterator[tuple]:
    """(article or refusal, the record's bytes, encoding) per line of a JSONL export; a UTF-16
    export, which cannot be split into lines as bytes, is decoded whole instead."""
    n = 0
    with open_regular(src.path) as raw:
        stream = io.BufferedReader(gzip.GzipFile(fileobj=raw)) if src.gzipped else raw
        try:
            if not jsonl.is_utf16(stream.peek(4)[:4]):
                for n, item in enumerate(jsonl.records(stream, max_bytes), 1):  # noqa: B007
                    yield item
                return
        except (OSError, EOFError, zlib.error) as exc:  # a damaged or cut .gz stream
            if not src.gzipped:
                raise  # a plain file that cannot be read: `unreadable`
            where = f"after record {n}; the records before it are read" if n else "at its start"
            detail = f"not a valid gzip stream {where}: {exc}"
            yield BadRecord(f"L{n + 1}" if n else "", "undecodable", detail), b"", ""
            return
    yield from _whole_file(src, rules, max_bytes)


def _items(src: SourceFile, rules: HtmlRules, max_bytes: int) -> Iterator[tuple]:
    if src.kind == ".warc":  # gzipped record by record: warcio reads either form
        with open_regular(src.path) as stream:
            yield from warc.read_warc(stream, rules, max_bytes)
    elif src.kind == ".jsonl":
        yield from _jsonl_stream(src, rules, max_bytes)
    else:
        yield from _whole_file(src, rules, max_bytes)


def refusal(src: SourceFile) -> dict | None:
    """The reject of a file that is not to be opened at all, else None."""
    if (what := not_regular(src.path)) is not None:
        detail = f"{src.path.name} is {what}: only regular files are read"
        return reject(src.uri, "ingest", "unsupported_type", detail)
    if src.escapes_root:
        detail = f"resolves to {src.path.resolve()}, outside {src.root}"
        return reject(src.uri, "ingest", "unsafe_path", detail)
    if src.kind not in ARTICLE_SUFFIXES:
        kinds = ", ".join(sorted(ARTICLE_SUFFIXES))
        detail = f"{src.path.name}: supported types are {kinds} (and .gz)"
        return reject(src.uri, "ingest", "unsupported_type", detail)
    return None


def document_row(uri: str, art: Article, data: bytes, encoding: str, now: datetime) -> dict:
    """The RAW_DOCUMENTS row of one article read from `uri`."""
    return {
        "doc_id": doc_id_for(art.title, art.lines),
        "source_uri": uri,
        "title": normalise_line(art.title),
        "raw_text": "\n".join(art.lines),
        "url": art.url,
        "published_at": art.published_at,
        "author": art.author,
        "source": art.source,
        "captions": art.captions,
        # A JSONL record is its own document: hash and size are the record's, not the file's.
        "content_hash": hashlib.sha256(data).hexdigest(),
        "byte_size": len(data),
        "encoding": encoding,
        "ingested_at": now,
    }


def read_file(src: SourceFile, now: datetime, rules: HtmlRules, max_bytes: int):
    """(raw document rows, reject rows) for one file."""
    if (refused := refusal(src)) is not None:
        return [], [refused]
    rows, rejects = [], []
    try:
        for item, data, encoding in _items(src, rules, max_bytes):
            uri = f"{src.uri}#{item.locator}" if item.locator else src.uri
            if isinstance(item, BadRecord):
                rejects.append(reject(uri, "ingest", item.reason, item.detail))
            elif not any(line.strip() for line in item.lines):
                detail = "a title but no text under it" if item.title.strip() else "no text"
                rejects.append(reject(uri, "ingest", "missing_body", detail))
            else:
                try:
                    rows.append(document_row(uri, item, data, encoding, now))
                except Exception as exc:  # one odd record never stops the others
                    detail = f"cannot be read: {type(exc).__name__}: {exc}"
                    rejects.append(reject(uri, "ingest", "unreadable", detail[:500]))
    except OSError as exc:
        return [], [reject(src.uri, "ingest", "unreadable", str(exc.strerror or exc))]
    except DecodeError as exc:
        return [], [reject(src.uri, "ingest", exc.reason, exc.detail)]
    except Exception as exc:  # a malformed file must not stop the run: it becomes a reject
        detail = f"the {src.kind} reader failed: {type(exc).__name__}: {exc}"
        return [], [reject(src.uri, "ingest", "unreadable", detail[:500])]
    if not rows and not rejects:
        rejects.append(reject(src.uri, "ingest", "empty_file", "no records"))
    return rows, rejects


def ingest(
    files: list[SourceFile], rules: HtmlRules | None = None, max_bytes: int = DEFAULT_MAX_BYTES
):
    """Read a batch of files into (raw documents, rejects)."""
    now = datetime.now(UTC)
    docs, rejects = [], []
    for src in files:
        rows, bad = read_file(src, now, rules or HtmlRules(), max_bytes)
        docs.extend(rows)
        rejects.extend(bad)
    return from_rows(docs, RAW_DOCUMENTS), from_rows(rejects, REJECTS)
