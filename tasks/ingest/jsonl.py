"""JSONL exports: one article per line, each record judged on its own.

A file is read as a stream of lines (also through gzip), so one record over `max_doc_bytes` is
one `oversized` reject while the records beside it are read, and a file of any size never sits
in memory whole. Every record that cannot be used is one reject with a reason that says what is
wrong with it: `bad_json` (not JSON, not an object), `missing_body`, `bad_field` (a field of the
wrong type, or text that is not valid Unicode: a lone surrogate such as `"\\ud800"`),
`undecodable` (bytes that are not UTF-8), `oversized`.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from vnnews.tasks.ingest.encoding import DecodeError, decode
from vnnews.tasks.ingest.readers import Article, BadRecord

BODY_KEYS = ("body", "text", "content")  # the first one present holds the article
TEXT_KEYS = ("title", "url", "published_at", "author", "source")
SURROGATE = re.compile("[\ud800-\udfff]")
JSON_TYPES = {
    dict: "an object",
    list: "a list",
    bool: "true/false",
    int: "a number",
    float: "a number",
}


def _field_problem(key: str, value) -> str | None:
    if not isinstance(value, str):
        kind = JSON_TYPES.get(type(value), type(value).__name__)
        shown = json.dumps(value, ensure_ascii=False)
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        return f"`{key}` is {kind} ({shown}), expected a string"
    if m := SURROGATE.search(value):
        return (
            f"`{key}` holds a lone UTF-16 surrogate (\\u{ord(m.group()):04x}) at character "
            f"{m.start()}: not valid Unicode text; fix the exporter's escaping"
        )
    return None


def parse_record(line: str, number: int) -> Article | BadRecord:
    """One JSONL line: `title`, `body` (or `text`, `content`), optional `url`, `published_at`,
    `author`, `source`, all strings."""
    locator = f"L{number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return BadRecord(locator, "bad_json", f"line {number}: {exc.msg} at column {exc.colno}")
    if not isinstance(record, dict):
        kind = JSON_TYPES.get(type(record), "a " + type(record).__name__)
        return BadRecord(locator, "bad_json", f"line {number}: {kind}, not a JSON object")
    body_key = next((k for k in BODY_KEYS if record.get(k) is not None), None)
    for key in (*TEXT_KEYS, *([body_key] if body_key else [])):
        value = record.get(key)
        if value is not None and (problem := _field_problem(key, value)):
            return BadRecord(locator, "bad_field", f"line {number}: {problem}")
    if body_key is None:
        detail = f"line {number}: no `body` or `text` field (keys: {', '.join(record) or 'none'})"
        return BadRecord(locator, "missing_body", detail[:300])
    if not record[body_key].strip():
        return BadRecord(locator, "missing_body", f"line {number}: `{body_key}` is empty")
    optional = {k: record.get(k) or None for k in ("url", "published_at", "author", "source")}
    title = record.get("title") or ""
    return Article(title, record[body_key].split("\n"), locator=locator, **optional)


def read_jsonl(text: str, rules=None) -> Iterator[Article | BadRecord]:
    """The records of a JSONL text already decoded (a UTF-16 file, read whole)."""
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            yield parse_record(line, number)


def is_utf16(head: bytes) -> bool:
    """UTF-16 cannot be split into lines as bytes: such a file is decoded whole instead."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    return len(head) >= 2 and (head[0] == 0) != (head[1] == 0)


def _lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | int]]:
    """(line number, its bytes), or (line number, its size) for a line over `max_bytes`:
    that line is skipped without being held in memory."""
    number = 0
    while line := stream.readline(max_bytes + 1):
        number += 1
        if len(line) <= max_bytes or line.endswith(b"\n"):
            yield number, line
            continue
        size = len(line)
        while (more := stream.readline(1 << 20)) and not more.endswith(b"\n"):
            size += len(more)
        yield number, size + len(more)


def records(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[Article | BadRecord, bytes, str]]:
    """(article or refusal, the record's bytes, its encoding) per non-empty line."""
    for number, line in _lines(stream, max_bytes):
        locator = f"L{number}"
        if isinstance(line, int):
            detail = f"line {number}: {line:,} bytes > cap of {max_bytes:,} (max_doc_bytes)"
            yield BadRecord(locator, "oversized", detail), b"", ""
            continue
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if not line.strip():
            continue
        try:
            decoded = decode(line)
        except DecodeError as exc:
            yield BadRecord(locator, exc.reason, f"line {number}: {exc.detail}"), line, ""
            continue
        yield parse_record(decoded.text, number), line, decoded.encoding
