"""What the fetcher may do: one frozen record, filled from settings, shared by every request."""

from __future__ import annotations

from dataclasses import dataclass

USER_AGENT = "vnnews/0.1 (+https://github.com/vnnews/vnnews; news corpus builder)"


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str = USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0  # between two chunks of one response
    total_timeout: float = 60.0  # for one response, however it trickles in
    max_bytes: int = 5_000_000  # on the wire and again after decompression
    max_redirects: int = 5
    retries: int = 3  # after the first try, on connection errors, 429 and 5xx
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    max_wait: float = 60.0  # the longest Retry-After honoured
    min_interval: float = 1.0  # seconds between two requests to one host
    per_host: int = 2  # requests in flight to one host
    workers: int = 8  # requests in flight in all
    # Hosts or networks that may be private (loopback, LAN, link-local): for tests and intranets.
    allow_private: tuple[str, ...] = ()
