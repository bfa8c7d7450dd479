"""Ingest: find article files, decode them, and read them into a raw documents table.

Every file that cannot be used becomes a `rejects` row with a reason: unreadable, oversized,
undecodable, legacy_encoding, unsupported_type, unsafe_path, bad_json, missing_body, empty_file.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import io
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tasks.encoding import DecodeError, decode
from tasks.orthography import normalise_line
from tasks.readers import READERS, Article, BadRecord, HtmlRules
from tasks.tables import RAW_DOCUMENTS, REJECTS, from_rows, reject

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class SourceFile:
    path: Path
    root: Path  # the directory it was found under (or its own folder when given directly)

    @property
    def uri(self) -> str:
        return self.path.absolute().as_uri()

    @property
    def kind(self) -> str:
        """The reader suffix: `.txt`, `.html`, `.jsonl` (also for `a.jsonl.gz`)."""
        name = self.path.name.lower()
        return Path(name.removesuffix(".gz")).suffix

    @property
    def escapes_root(self) -> bool:
        return not self.path.resolve().is_relative_to(self.root.resolve())


def _is_article(path: Path) -> bool:
    return path.is_file() and SourceFile(path, path.parent).kind in READERS


def discover(sources: list[Path]) -> list[SourceFile]:
    """Article files under the given files, directories and globs, sorted, each listed once."""
    found: dict[Path, SourceFile] = {}

    def add(path: Path, root: Path) -> None:
        found.setdefault(path.resolve(), SourceFile(path, root))

    for source in map(Path, sources):
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                if _is_article(path):
                    add(path, source)
        elif source.exists():
            add(source, source.parent)
        elif matches := sorted(glob.glob(str(source), recursive=True)):
            for match in map(Path, matches):
                if _is_article(match):
                    add(match, match.parent)
        else:
            raise FileNotFoundError(
                f"Source {source} does not exist. Pass an existing file, directory or glob."
            )
    return list(found.values())


def doc_id_for(title: str, lines: list[str]) -> str:
    """Stable id of the normalised text: every encoding and normal form of an article agree."""
    normalised = (normalise_line(x) for x in [title, *lines])
    text = "\n".join(line for line in normalised if line)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _read_bytes(src: SourceFile, max_bytes: int) -> bytes:
    if src.path.stat().st_size > max_bytes and not src.path.name.lower().endswith(".gz"):
        raise DecodeError("oversized", f"{src.path.stat().st_size} bytes > cap of {max_bytes}")
    data = src.path.read_bytes()
    if src.path.name.lower().endswith(".gz"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
                data = fh.read(max_bytes + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise DecodeError("undecodable", f"not a valid gzip file: {exc}") from exc
        if len(data) > max_bytes:
            raise DecodeError("oversized", f"more than {max_bytes} bytes once decompressed")
    return data


def _row(src: SourceFile, art: Article, data: bytes, encoding: str, now: datetime) -> dict:
    uri = f"{src.uri}#{art.locator}" if art.locator else src.uri
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
        "content_hash": hashlib.sha256(data).hexdigest(),
        "byte_size": len(data),
        "encoding": encoding,
        "ingested_at": now,
    }


def read_file(src: SourceFile, now: datetime, rules: HtmlRules, max_bytes: int):
    """(raw document rows, reject rows) for one file."""
    if src.escapes_root:
        detail = f"resolves to {src.path.resolve()}, outside {src.root}"
        return [], [reject(src.uri, "ingest", "unsafe_path", detail)]
    if src.kind not in READERS:
        detail = f"{src.path.name}: supported types are {', '.join(sorted(READERS))} (and .gz)"
        return [], [reject(src.uri, "ingest", "unsupported_type", detail)]
    try:
        data = _read_bytes(src, max_bytes)
        decoded = decode(data)
    except OSError as exc:
        return [], [reject(src.uri, "ingest", "unreadable", str(exc.strerror or exc))]
    except DecodeError as exc:
        return [], [reject(src.uri, "ingest", exc.reason, exc.detail)]
    if not decoded.text.strip():
        return [], [reject(src.uri, "ingest", "empty_file", f"{len(data)} bytes, no text")]
    rows, rejects = [], []
    try:
        items = list(READERS[src.kind](decoded.text, rules))
    except Exception as exc:  # a malformed file must not stop the run: it becomes a reject
        detail = f"the {src.kind} reader failed: {type(exc).__name__}: {exc}"
        return [], [reject(src.uri, "ingest", "unreadable", detail[:500])]
    for item in items:
        if isinstance(item, BadRecord):
            uri = f"{src.uri}#{item.locator}" if item.locator else src.uri
            rejects.append(reject(uri, "ingest", item.reason, item.detail))
        else:
            # A JSONL line is its own document: hash and size are the record's, not the file's.
            own = data if not item.locator else "\n".join([item.title, *item.lines]).encode()
            rows.append(_row(src, item, own, decoded.encoding, now))
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
