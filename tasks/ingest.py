"""Ingest: turn source files into a raw documents table, and unreadable files into rejects."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from tasks.tables import RAW_DOCUMENTS, REJECTS, from_rows, reject

ARTICLE_SUFFIXES = (".txt",)


@dataclass(frozen=True)
class SourceFile:
    path: Path
    key: str  # path relative to the source root it was found under: stable across machines

    @property
    def uri(self) -> str:
        return self.path.resolve().as_uri()


def discover(sources: list[Path]) -> list[SourceFile]:
    """Article files under the given files and directories, sorted, each listed once."""
    found: dict[Path, SourceFile] = {}
    for source in sources:
        source = Path(source)
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                if path.is_file() and path.suffix.lower() in ARTICLE_SUFFIXES:
                    key = path.relative_to(source).as_posix()
                    found.setdefault(path.resolve(), SourceFile(path, key))
        elif source.exists():
            found.setdefault(source.resolve(), SourceFile(source, source.name))
        else:
            raise FileNotFoundError(
                f"Source {source} does not exist. Pass an existing file or directory to --source."
            )
    return list(found.values())


def doc_id_for(key: str, text: str) -> str:
    """Stable id: the same file name and the same (NFC) text always give the same id."""
    payload = f"{key}\n{unicodedata.normalize('NFC', text)}".encode()
    return hashlib.sha256(payload).hexdigest()[:16]


def decode(data: bytes) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM). Raises UnicodeDecodeError on anything else."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    return data.decode("utf-8"), "utf-8"


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def read_file(src: SourceFile, now: datetime) -> tuple[dict | None, dict | None]:
    """One raw document row, or one reject row saying why the file cannot be used."""
    try:
        data = src.path.read_bytes()
    except OSError as exc:
        return None, reject(src.uri, "ingest", "unreadable", f"{exc.strerror or exc}")
    try:
        text, encoding = decode(data)
    except UnicodeDecodeError as exc:
        detail = f"invalid UTF-8 at byte {exc.start}; re-save the file as UTF-8"
        return None, reject(src.uri, "ingest", "undecodable", detail)
    if not text.strip():
        return None, reject(src.uri, "ingest", "empty_file", f"{len(data)} bytes, no text")
    row = {
        "doc_id": doc_id_for(src.key, text),
        "source_uri": src.uri,
        "title": unicodedata.normalize("NFC", first_line(text)).replace("\xa0", " "),
        "raw_text": text,
        "content_hash": hashlib.sha256(data).hexdigest(),
        "byte_size": len(data),
        "encoding": encoding,
        "ingested_at": now,
    }
    return row, None


def ingest(files: list[SourceFile]) -> tuple[pa.Table, pa.Table]:
    """Read a batch of files into (raw documents, rejects)."""
    now = datetime.now(UTC)
    docs, rejects = [], []
    for src in files:
        row, bad = read_file(src, now)
        if row is not None:
            docs.append(row)
        if bad is not None:
            rejects.append(bad)
    return from_rows(docs, RAW_DOCUMENTS), from_rows(rejects, REJECTS)
