"""A response body under a byte cap, decompressed step by step, and how long a server asks us to
wait (Retry-After)."""

from __future__ import annotations

import email.utils
import time
import zlib

import httpx


class TooLarge(Exception):
    pass


class Inflater:
    """The body, decompressed by us with a bound on every step: a gzip bomb stops at max_bytes
    instead of inflating a whole chunk into memory first."""

    def __init__(self, encoding: str, max_bytes: int):
        encoding = encoding.strip().lower()
        if encoding in ("gzip", "x-gzip", "deflate"):
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header
        elif encoding in ("", "identity"):
            self._zlib = None
        else:
            raise httpx.DecodingError(f"unsupported content-encoding {encoding!r}")
        self.max_bytes = max_bytes
        self._parts: list[bytes] = []
        self._size = 0

    def _add(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self.max_bytes:
            raise TooLarge
        self._parts.append(data)

    def feed(self, chunk: bytes) -> None:
        if self._zlib is None:
            self._add(chunk)
            return
        data = chunk
        while data:
            out = self._zlib.decompress(data, self.max_bytes - self._size + 1)
            self._add(out)
            data = self._zlib.unconsumed_tail

    def body(self) -> bytes:
        if self._zlib is not None:
            self._add(self._zlib.flush())
        return b"".join(self._parts)


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: a number, or an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
