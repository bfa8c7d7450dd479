"""Live sources into the run's tables: crawl (crawl.py), then read every fetched page
(pages.py). What one URL does never stops the others: a failed fetch or an unreadable page is
one reject row with its reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyarrow as pa

from vnnews.tasks.ingest.fetch.canonical import clean_url, one_per_url
from vnnews.tasks.ingest.fetch.crawl import Crawler, Page, Progress
from vnnews.tasks.ingest.fetch.fetcher import Fetcher
from vnnews.tasks.ingest.fetch.outlets import Outlet
from vnnews.tasks.ingest.fetch.pages import failure, read_page
from vnnews.tasks.ingest.fetch.policy import FetchPolicy
from vnnews.tasks.ingest.readers import HtmlRules
from vnnews.tasks.tables import FETCHES, RAW_DOCUMENTS, REJECTS, from_rows, reject


@dataclass
class Fetched:
    raw: pa.Table  # RAW_DOCUMENTS of the pages read
    rejects: pa.Table
    fetches: pa.Table  # FETCHES: every URL asked for, as it ended
    unchanged: list[dict] = field(default_factory=list)  # 304s: manifest rows
    hosts: dict[str, dict[str, int]] = field(default_factory=dict)  # fetched, not modified, failed


def fetch_live(outlets: list[Outlet], policy: FetchPolicy, known: pa.Table, rules: HtmlRules,
               max_entries: int, progress: Progress = lambda *_: None) -> Fetched:  # fmt: skip
    """Fetch every outlet's listings and articles (conditional GET against `known`, the
    published fetches table) and read the pages."""
    now = datetime.now(UTC)
    named, rejects = [], []  # (row, URL asked for, URL fetched), rejects

    def read(page: Page) -> None:
        try:
            good, bad = read_page(page, rules, now)
        except Exception as exc:  # one odd page never stops the others
            detail = f"cannot be read: {type(exc).__name__}: {exc}"
            good, bad = [], [reject(page.target.url, "ingest", "unreadable", detail[:500])]
        fetched = clean_url(page.fetched.final_url or page.target.url)
        named.extend((row, page.target.url, fetched) for row in good)
        rejects.extend(bad)
        page.fetched.body = None  # read: the text is in the row now

    with Fetcher(policy) as fetcher:
        crawler = Crawler(fetcher, known.to_pylist(), max_entries, progress, on_page=read)
        crawl = crawler.run(outlets)
    rejects += [failure(target, got) for target, got in crawl.failed]
    rows, twice = one_per_url(named)
    rejects += twice
    return Fetched(
        raw=from_rows(rows, RAW_DOCUMENTS),
        rejects=from_rows(rejects, REJECTS),
        # One row per URL: the last word on one asked for twice (a source its own feed lists).
        fetches=from_rows(list({r["url"]: r for r in crawl.fetches}.values()), FETCHES),
        unchanged=crawl.unchanged,
        hosts={host: dict(counts) for host, counts in sorted(crawl.hosts.items())},
    )
