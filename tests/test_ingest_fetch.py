"""The fetcher against a real local news site (tests/news_site.py): robots.txt, pacing,
conditional GET, retries, timeouts, byte caps, redirects and private addresses."""

import time

from tests.news_site import ETAG, MODIFIED, PAGE
from vnnews.tasks.ingest.fetch.body import retry_after
from vnnews.tasks.ingest.fetch.fetcher import Fetcher
from vnnews.tasks.ingest.fetch.policy import FetchPolicy

LOCAL = FetchPolicy(
    allow_private=("127.0.0.1",),
    min_interval=0.0,
    backoff=0.1,
    read_timeout=1.0,
    max_bytes=2_000_000,
)


def fetch(site, path, policy=LOCAL, **conditional):
    with Fetcher(policy) as fetcher:
        return fetcher.get(site.url(path), **conditional)


def test_a_page_is_fetched_with_our_user_agent_after_robots_txt(site):
    got = fetch(site, "/page.html")
    assert (got.status, got.body, got.etag, got.reason) == (200, PAGE, ETAG, None)
    assert site.hits["/robots.txt"] == 1
    assert site.headers_seen["/page.html"]["User-Agent"].startswith("vnnews/")


def test_a_path_robots_txt_disallows_is_never_requested(site):
    got = fetch(site, "/private/secret.html")
    assert got.reason == "robots_disallowed" and got.body is None
    assert site.hits["/private/secret.html"] == 0


def test_an_unchanged_page_is_not_downloaded_again(site):
    assert fetch(site, "/page.html", etag=ETAG).not_modified
    assert site.headers_seen["/page.html"]["If-None-Match"] == ETAG
    dated = fetch(site, "/dated.html", last_modified=MODIFIED)
    assert dated.not_modified and dated.body is None


def test_errors_a_retry_fixes_are_retried(site):
    flaky = fetch(site, "/flaky.html")
    assert (flaky.status, flaky.reason, flaky.attempts) == (200, None, 2)
    started = time.monotonic()
    busy = fetch(site, "/busy.html")
    assert (busy.status, busy.attempts) == (200, 2)
    assert time.monotonic() - started >= 1.0  # Retry-After: 1 was honoured


def test_failures_are_results_with_a_reason(site):
    assert fetch(site, "/missing.html").reason == "http_404"
    assert site.hits["/missing.html"] == 1  # a 404 is not retried
    assert fetch(site, "/slow.html").reason == "timeout"
    assert fetch(site, "/loop-a").reason == "redirect_loop"


def test_redirects_are_followed_and_each_hop_checked(site):
    moved = fetch(site, "/moved")
    assert moved.status == 200 and moved.final_url == site.url("/page.html")
    assert fetch(site, "/to-metadata").reason == "private_address"


def test_a_gzip_bomb_and_a_huge_page_stop_at_the_byte_cap(site):
    started = time.monotonic()
    bomb = fetch(site, "/bomb.html")
    assert (bomb.reason, bomb.body) == ("too_large", None)
    huge = fetch(site, "/huge.html")
    assert (huge.reason, huge.body) == ("too_large", None)
    assert time.monotonic() - started < 10


def test_private_addresses_are_refused_unless_allowed(site):
    got = fetch(site, "/page.html", policy=FetchPolicy())
    assert got.reason == "private_address"
    assert sum(site.hits.values()) == 0  # not even robots.txt was asked for
    with Fetcher(FetchPolicy()) as fetcher:
        assert fetcher.get("ftp://example.com/a").reason == "bad_url"
        assert fetcher.get("http://example.com:port/a").reason == "bad_url"


def test_requests_to_one_host_are_paced(site):
    policy = FetchPolicy(allow_private=("127.0.0.1",), min_interval=0.3)
    started = time.monotonic()
    with Fetcher(policy) as fetcher:
        for _ in range(3):  # robots.txt and three pages: four requests, three waits
            assert fetcher.get(site.url("/page.html")).status == 200
    assert time.monotonic() - started >= 0.9


def test_retry_after_reads_seconds_and_dates():
    assert retry_after("5") == 5.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert retry_after("soon") is None and retry_after(None) is None
