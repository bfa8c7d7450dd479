"""One polite, bounded HTTP GET at a time (httpx).

Per request: the address check (addresses.py), robots.txt (robots.py), at most one request per
`min_interval` to a host, conditional GET (ETag / Last-Modified), retries with exponential
backoff on connection errors, 429 and 5xx (Retry-After honoured up to `max_wait`), timeouts
for connecting, between chunks and in total, `max_bytes` on the wire and after decompression,
and at most `max_redirects` redirects, each checked like the first URL. A failure is a result
with a `reason` (the reject reasons of the run), never an exception.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from vnnews.tasks.ingest.fetch.addresses import refusal
from vnnews.tasks.ingest.fetch.body import Inflater, TooLarge, retry_after
from vnnews.tasks.ingest.fetch.policy import FetchPolicy
from vnnews.tasks.ingest.fetch.robots import Robots

RETRY_STATUS = {429, 500, 502, 503, 504}
REDIRECT_STATUS = {301, 302, 303, 307, 308}


@dataclass
class Fetched:
    url: str  # as asked for
    final_url: str | None = None  # after redirects
    status: int | None = None
    body: bytes | None = None
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    reason: str | None = None  # why it failed: http_404, timeout, too_large, ...
    attempts: int = 0
    headers: dict = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    def __init__(self, policy: FetchPolicy | None = None):
        self.policy = policy or FetchPolicy()
        p = self.policy
        timeout = httpx.Timeout(p.connect_timeout, read=p.read_timeout, write=p.read_timeout)
        self.client = httpx.Client(
            timeout=timeout,
            follow_redirects=False,
            # Only what Inflater bounds: no brotli or zstd, whatever is installed.
            headers={"User-Agent": p.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self.robots = Robots()
        self.intervals: dict[str, float] = {}  # host -> its own min_interval (sources.toml)
        self._next_slot: dict[str, float] = {}
        # get() is called from several threads (crawl.py): the pacing slots and robots.txt are
        # shared, so each is decided under a lock.
        self._pace_lock = threading.Lock()
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        result = Fetched(url)
        seen = {url}
        for _ in range(self.policy.max_redirects + 1):
            if reason := self._refusal(url):
                result.reason = reason
                return result
            headers = {}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            self._request(url, headers, result)
            if result.reason or result.status not in REDIRECT_STATUS:
                result.final_url = url
                return result
            target = urljoin(url, result.headers.get("location", ""))
            if target in seen:
                result.reason = "redirect_loop"
                return result
            seen.add(target)
            url, etag, last_modified = target, None, None
        result.reason = "redirect_loop"  # too many
        return result

    def _refusal(self, url: str) -> str | None:
        if reason := refusal(url, self.policy.allow_private):
            return reason
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
        with self._robots_lock:  # asked once per origin, whichever thread comes first
            if not self.robots.known(origin):
                robots = Fetched(origin + "/robots.txt")
                self._request(robots.url, {}, robots)
                text = (robots.body or b"").decode("utf-8", "replace")
                # A status says what the site answered (404: no robots.txt, all allowed);
                # without one (timeout, refused connection) nothing is known.
                answered = robots.reason is None or robots.reason.startswith("http_")
                self.robots.learn(origin, robots.status if answered else None, text)
        if not self.robots.allows(origin, url, self.policy.user_agent):
            return "robots_disallowed"
        return None

    def _request(self, url: str, headers: dict, result: Fetched) -> None:
        """GET into `result`, retrying what a retry can fix."""
        p = self.policy
        for attempt in range(p.retries + 1):
            self._pace(urlsplit(url).netloc)
            result.attempts += 1
            wait = p.backoff * 2**attempt
            try:
                self._once(url, headers, result)
            except httpx.TimeoutException:
                result.reason = "timeout"
            except TooLarge:
                result.reason, result.body = "too_large", None
                return
            except httpx.HTTPError:
                result.reason = "connection_error"
            else:
                if result.status not in RETRY_STATUS:
                    return
                result.reason = f"http_{result.status}"
                wait = max(wait, retry_after(result.headers.get("retry-after")) or 0)
            if attempt == p.retries or wait > p.max_wait:
                return
            time.sleep(wait)

    def _once(self, url: str, headers: dict, result: Fetched) -> None:
        p = self.policy
        deadline = time.monotonic() + p.total_timeout
        with self.client.stream("GET", url, headers=headers) as response:
            result.status = response.status_code
            result.headers = {k.lower(): v for k, v in response.headers.items()}
            result.content_type = result.headers.get("content-type", "")
            result.etag = result.headers.get("etag")
            result.last_modified = result.headers.get("last-modified")
            result.reason = None if response.status_code < 400 else f"http_{response.status_code}"
            declared = int(result.headers.get("content-length") or 0)
            if declared > p.max_bytes and "content-encoding" not in result.headers:
                raise TooLarge
            inflate = Inflater(result.headers.get("content-encoding", ""), p.max_bytes)
            wire = 0
            for chunk in response.iter_raw():
                wire += len(chunk)
                if wire > p.max_bytes:
                    raise TooLarge  # on the wire
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("total timeout")
                inflate.feed(chunk)
            result.body = inflate.body() if response.status_code != 304 else None

    def _pace(self, host: str) -> None:
        """At most one request per min_interval to a host: each caller takes the next slot."""
        interval = self.intervals.get(host, self.policy.min_interval)
        with self._pace_lock:
            now = time.monotonic()
            slot = max(self._next_slot.get(host, now), now)
            self._next_slot[host] = slot + interval
        if slot > now:
            time.sleep(slot - now)
