"""Many URLs fetched at once: a pool of `workers` threads, at most `per_host` requests in flight
to one host, and the hosts taking turns in the queue, so that threads waiting on one host's
pace (fetcher.py) do not leave the others idle."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

from vnnews.tasks.ingest.fetch.fetcher import Fetched, Fetcher
from vnnews.tasks.ingest.fetch.ledger import host_of


class HasUrl(Protocol):
    url: str


T = TypeVar("T", bound=HasUrl)


def by_turns(targets: list[T]) -> list[T]:
    """One of each host's, then the next of each: a, b, c, a, b, a."""
    queues: dict[str, list[T]] = {}
    for target in targets:
        queues.setdefault(host_of(target.url), []).append(target)
    turns = []
    for i in range(max(map(len, queues.values()), default=0)):
        turns += [queue[i] for queue in queues.values() if i < len(queue)]
    return turns


def fetch_all(
    fetcher: Fetcher, targets: list[T], validators: Callable[[str], dict]
) -> Iterator[tuple[T, Fetched]]:
    """(target, what its GET gave) for every target, in the order of by_turns; `validators`
    gives each URL's etag and last_modified for a conditional GET."""
    targets = by_turns(targets)
    if not targets:
        return
    policy = fetcher.policy
    slots = {
        host: threading.Semaphore(policy.per_host)
        for host in map(host_of, (t.url for t in targets))
    }

    def one(target: T) -> tuple[T, Fetched]:
        with slots[host_of(target.url)]:
            return target, fetcher.get(target.url, **validators(target.url))

    with ThreadPoolExecutor(max_workers=min(policy.workers, len(targets))) as pool:
        yield from pool.map(one, targets)
