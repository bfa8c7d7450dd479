"""Web archives (`.warc`, `.warc.gz`, as Common Crawl publishes them): each HTML response record
with status 200 is one saved page, read by the same HTML reader and rule pack. Request, metadata
and revisit records, redirects and non-HTML responses hold no article and are passed over.

Read record by record (warcio), never whole: a WARC file is often a gigabyte. Each record's
body is capped at max_bytes (`oversized`); a damaged record stops the file there, with the
records before it read (`undecodable`).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from vnnews.tasks.ingest.encoding import DecodeError, decode_declared
from vnnews.tasks.ingest.readers import BadRecord, HtmlRules, is_html_type, read_html

RECORD_TYPES = {"warcinfo", "response", "resource", "request", "metadata", "revisit",
                "conversion", "continuation"}  # fmt: skip


def _html_response(record) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    kind = record.http_headers.get_header("Content-Type") or ""
    return record.http_headers.get_statuscode() == "200" and is_html_type(kind)


def _records(stream: BinaryIO) -> Iterator:
    """The records of a WARC file. warcio ends a cut file quietly, at the cut record: a record
    whose declared length was not all there is an error here."""
    previous, records = None, ArchiveIterator(stream)
    for record in records:
        if previous is not None:  # the iterator has read the rest of it by now
            _whole(previous)
        if record.rec_type not in RECORD_TYPES:  # warcio's reading of headers cut short
            raise EOFError(f"the file ends inside a record's headers, at byte {records.offset:,}")
        yield record
        previous = record
    if previous is not None:
        _whole(previous)
    size = os.fstat(stream.fileno()).st_size
    if records.offset < size or not _ends_whole(stream, size):
        raise EOFError(f"the file ends inside a record's headers, at byte {records.offset:,}")


def _ends_whole(stream: BinaryIO, size: int) -> bool:
    """Every WARC record ends with a blank line; a plain file cut in a request record's headers
    gets past warcio's checks. (A gzipped one is cut inside a member: the length check sees it.)"""
    stream.seek(0)
    if stream.read(2) == b"\x1f\x8b" or size == 0:
        return True
    stream.seek(size - 4)
    return stream.read(4) == b"\r\n\r\n"


def _whole(record) -> None:
    if getattr(record.raw_stream, "limit", 0) > 0:
        url = record.rec_headers.get_header("WARC-Target-URI")
        raise EOFError(f"the file ends inside {f'the record of {url}' if url else 'a record'}")


def _pages(stream: BinaryIO, rules: HtmlRules, max_bytes: int) -> Iterator[tuple]:
    captures: Counter = Counter()  # a URL captured twice in one file is two records
    for record in _records(stream):
        if not _html_response(record):
            continue
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        captures[url] += 1
        locator = url if captures[url] == 1 else f"{url}#{captures[url]}"
        body = record.content_stream().read(max_bytes + 1)
        if len(body) <= max_bytes:
            _whole(record)  # a page cut short is no page: the file ends here
        else:
            detail = f"record body over the cap of {max_bytes:,}"
            yield BadRecord(locator, "oversized", detail), b"", ""
            continue
        try:
            decoded = decode_declared(body, record.http_headers.get_header("Content-Type") or "")
        except DecodeError as exc:
            yield BadRecord(locator, exc.reason, exc.detail), body, ""
            continue
        for item in read_html(decoded.text, rules):
            item.locator = locator
            if not isinstance(item, BadRecord):
                item.url = item.url or url
            yield item, body, decoded.encoding


def read_warc(stream: BinaryIO, rules: HtmlRules, max_bytes: int) -> Iterator[tuple]:
    """(article or refusal, the record's body, encoding) per HTML page of a WARC file; the
    locator of each is the page's URL (`URL#2` for its second capture in the file)."""
    n = 0
    try:
        for n, item in enumerate(_pages(stream, rules, max_bytes), 1):  # noqa: B007
            yield item
    except (ArchiveLoadFailed, EOFError, ValueError, AttributeError) as exc:  # warcio on garbage
        where = f"after page {n}; the pages before it are read" if n else "at its start"
        yield BadRecord("", "undecodable", f"not a valid WARC file {where}: {exc}"), b"", ""
