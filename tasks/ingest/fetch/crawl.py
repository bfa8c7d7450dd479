"""One crawl of live sources: listings first, then the articles they list.

1. Each source URL is fetched: a feed or sitemap gives its entries (a sitemap index, its
   sitemaps, two levels deep at most); anything else is taken as an article page.
2. The articles, and the URLs that failed last run (fetches table), are fetched by a pool of
   threads (pool.py), each host within its pace (fetcher.py). Results are taken in this
   thread, one at a time.
Every fetch is conditional when the URL was fetched before: 304 means unchanged, and a listing
not modified still yields the articles it listed last time, each asked for conditionally.
Nothing here raises for a URL: each ends as a page, an unchanged URL or a failure with a reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

from vnnews.tasks.ingest.fetch.canonical import clean_url
from vnnews.tasks.ingest.fetch.fetcher import Fetched, Fetcher
from vnnews.tasks.ingest.fetch.ledger import MAX_FAILURES, fetch_row, host_of
from vnnews.tasks.ingest.fetch.listings import Entry, parse_listing
from vnnews.tasks.ingest.fetch.outlets import Outlet
from vnnews.tasks.ingest.fetch.pool import fetch_all
from vnnews.tasks.text.dates import parse_published

MAX_DEPTH = 3  # a source, the sitemaps of an index, and theirs
Progress = Callable[[str, int, int], None]  # host, done, total


@dataclass(frozen=True)
class Target:
    url: str
    outlet: Outlet
    listing: str | None = None  # the feed or sitemap that listed it; None: a given source
    entry: Entry | None = None


@dataclass
class Page:
    target: Target
    fetched: Fetched


@dataclass
class Crawl:
    pages: list[Page] = field(default_factory=list)
    unchanged: list[dict] = field(default_factory=list)  # {"source_uri", "content_hash"}
    failed: list[tuple[Target, Fetched]] = field(default_factory=list)
    fetches: list[dict] = field(default_factory=list)  # FETCHES rows
    hosts: dict[str, Counter] = field(default_factory=dict)  # fetched, not modified, failed


def _newest(entries: list[Entry], n: int) -> list[Entry]:
    """The n newest entries (undated ones after the dated, in listing order)."""
    far_past = datetime.min.replace(tzinfo=UTC)

    def when(entry: Entry) -> datetime:
        return parse_published(entry.published_at) or far_past

    return sorted(entries, key=when, reverse=True)[:n]


class Crawler:
    def __init__(self, fetcher: Fetcher, known: list[dict], max_entries: int,
                 progress: Progress = lambda host, done, total: None,
                 on_page: Callable[[Page], None] | None = None):  # fmt: skip
        self.fetcher = fetcher
        self.crawl = Crawl()
        self.known = {row["url"]: row for row in known}
        self.max_entries = max_entries
        self.progress = progress
        # Pages are handed over as they come, so that a crawl of thousands does not hold every
        # body at once; without a taker they are kept in the Crawl.
        self.on_page = on_page or self.crawl.pages.append

    def run(self, outlets: list[Outlet]) -> Crawl:
        for outlet in outlets:
            if outlet.interval is not None:
                for url in outlet.urls:
                    self.fetcher.intervals[host_of(url)] = outlet.interval
        articles: dict[str, Target] = {}
        level = [Target(url, outlet) for outlet in outlets for url in outlet.urls]
        listings: dict[str, Outlet] = {}
        asked: set[str] = set()  # each URL once, whatever lists it twice (or in a cycle)
        for depth in range(MAX_DEPTH):
            level = list({t.url: t for t in level if t.url not in asked}.values())
            asked.update(t.url for t in level)
            children: list[Target] = []
            for target, got in self._fetch_all(level):
                children += self._listed(target, got, depth, articles, listings)
            level = children
        self._add_retries(articles, listings)
        articles = {url: t for url, t in articles.items() if url not in asked}
        hosts = Counter(host_of(url) for url in articles)
        for host, total in hosts.items():
            self.progress(host, 0, total)
        done: Counter = Counter()
        for target, got in self._fetch_all(articles.values()):
            self._page(target, got)
            host = host_of(target.url)
            done[host] += 1
            self.progress(host, done[host], hosts[host])
        return self.crawl

    def _listed(self, target: Target, got: Fetched, depth: int, articles: dict, listings: dict):
        """What a fetched source or sitemap leads to: its sitemaps (returned), its articles (into
        `articles`). A source that is no listing is an article itself."""
        before = self.known.get(target.url, {})
        if got.not_modified and before.get("kind") == "listing":
            listings[target.url] = target.outlet
            self._record(target, got, "listing")
            # What it listed the last time it was read: asked for since, and not failing.
            listed = [(url, row["kind"]) for url, row in self.known.items()
                      if row["listing"] == target.url and not row["reason"]
                      and row["fetched_at"] >= before["fetched_at"]]  # fmt: skip
            for url in (url for url, kind in listed if kind == "page"):
                articles.setdefault(url, Target(url, target.outlet, target.url))
            return [Target(url, target.outlet, target.url) for url, k in listed if k == "listing"]
        listing = parse_listing(got.body) if got.body and not got.reason else None
        if listing is None:
            if depth == 0:
                self._page(target, got, before.get("kind") or "page")
            else:  # a sitemap index pointed at something that is not a sitemap
                got.reason = got.reason or "not_a_listing"
                self._page(target, got, "listing")
            return []
        listings[target.url] = target.outlet
        self._record(target, got, "listing")
        if listing.kind == "sitemapindex":
            urls = [urljoin(target.url, url) for url in listing.sitemaps]
            return [Target(url, target.outlet, target.url) for url in urls]
        for entry in _newest(listing.entries, self.max_entries):
            url = clean_url(urljoin(target.url, entry.url))  # some feeds link relatively
            articles.setdefault(url, Target(url, target.outlet, target.url, entry))
        return []

    def _add_retries(self, articles: dict, listings: dict) -> None:
        """Articles that failed last time, of the listings fetched now, are asked for again
        even when their listing no longer shows them."""
        for url, row in self.known.items():
            outlet = listings.get(row["listing"])
            again = row["reason"] and (row["failures"] or 0) < MAX_FAILURES
            if again and row["kind"] == "page" and outlet is not None:
                articles.setdefault(url, Target(url, outlet, row["listing"]))

    def _page(self, target: Target, got: Fetched, kind: str = "page") -> None:
        """The end of a URL that is not a listing: a page, unchanged, or failed."""
        counts = self.crawl.hosts.setdefault(host_of(target.url), Counter())
        if got.reason:
            counts["failed"] += 1
            self.crawl.failed.append((target, got))
        elif got.not_modified:
            counts["not modified"] += 1
            before = self.known.get(target.url, {})
            self.crawl.unchanged.append(
                {"source_uri": target.url, "content_hash": before.get("content_hash")}
            )
        else:
            counts["fetched"] += 1
        self._record(target, got, kind)
        if not got.reason and not got.not_modified:
            self.on_page(Page(target, got))

    def _record(self, target: Target, got: Fetched, kind: str) -> None:
        before = self.known.get(target.url, {})
        self.crawl.fetches.append(fetch_row(target.url, target.listing, kind, got, before))

    def _fetch_all(self, targets: Iterable[Target]) -> Iterator[tuple[Target, Fetched]]:
        return fetch_all(self.fetcher, list(targets), self._validators)

    def _validators(self, url: str) -> dict:
        """If-None-Match / If-Modified-Since values from the last fetch that worked."""
        before = self.known.get(url, {})
        if before.get("reason"):  # a failed fetch's validators are not to be trusted
            return {}
        return {"etag": before.get("etag"), "last_modified": before.get("last_modified")}
