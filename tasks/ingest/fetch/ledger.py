"""What the lake remembers of each URL (the `fetches` table): the validators that make the next
fetch conditional, and how many runs in a row it failed."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from urllib.parse import urlsplit

from vnnews.tasks.ingest.fetch.fetcher import Fetched

MAX_FAILURES = 5  # runs in a row a URL may fail before later runs stop asking for it


def host_of(url: str) -> str:
    return urlsplit(url).netloc


def fetch_row(url: str, listing: str | None, kind: str, got: Fetched, before: dict) -> dict:
    """The FETCHES row of one URL after this fetch; `before` is its row from the last run."""
    failed = got.reason is not None
    if got.body is not None and not failed:
        content_hash = hashlib.sha256(got.body).hexdigest()
    else:
        content_hash = before.get("content_hash")
    return {
        "url": url,
        "host": host_of(url),
        "listing": listing,
        "kind": kind,
        "status": got.status,
        # A 304 may leave its validators out: the last ones still hold.
        "etag": got.etag or before.get("etag"),
        "last_modified": got.last_modified or before.get("last_modified"),
        "content_hash": content_hash,
        "fetched_at": datetime.now(UTC),
        "reason": got.reason,
        "failures": (before.get("failures") or 0) + 1 if failed else 0,
    }
