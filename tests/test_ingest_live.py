"""Live sources without a flow: feeds, sitemap indexes, single pages and sources.toml outlets,
crawled from a real local outlet (tests/live_site.py) and read into raw documents."""

import re

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from tests.fixture_check import UNSEEN
from vnnews.tasks.ingest.discover import discover
from vnnews.tasks.ingest.fetch.canonical import canonical_url
from vnnews.tasks.ingest.fetch.live import fetch_live
from vnnews.tasks.ingest.fetch.outlets import Outlet, SourcesFileError, from_url, load_outlets
from vnnews.tasks.ingest.fetch.policy import FetchPolicy
from vnnews.tasks.ingest.ingest import ingest
from vnnews.tasks.ingest.readers import HtmlRules
from vnnews.tasks.tables import FETCHES

LOCAL = FetchPolicy(allow_private=("127.0.0.1",), min_interval=0.0, backoff=0.05)


def fetch(outlets, known=None, policy=LOCAL, max_entries=1000, progress=lambda *_: None):
    known = FETCHES.empty_table() if known is None else known
    return fetch_live(outlets, policy, known, HtmlRules(), max_entries, progress)


def columns(table, key, value) -> dict:
    return dict(zip(table[key].to_pylist(), table[value].to_pylist(), strict=True))


def test_a_feed_gives_its_articles_with_the_feeds_dates(outlet):
    paths = outlet.add_folder(UNSEEN / "cand")
    seen = []
    got = fetch([from_url(outlet.feed(paths))], progress=lambda *args: seen.append(args))
    assert got.raw.num_rows == len(paths) == 6
    host = outlet.url("")[7:]
    assert seen[0] == (host, 0, 6) and seen[-1] == (host, 6, 6) and len(seen) == 7
    assert set(got.raw["source_uri"].to_pylist()) == {outlet.url(p) for p in paths}
    assert got.hosts == {host: {"fetched": 6}}
    assert got.fetches.num_rows == 7  # the feed and its six articles
    kinds = columns(got.fetches, "url", "kind")
    assert kinds[outlet.url("/feed.xml")] == "listing"


def test_failures_are_rejects_with_reasons_and_robots_txt_is_obeyed(outlet):
    paths = outlet.add_folder(UNSEEN / "cand", limit=1)
    outlet.extra["/plain.txt"] = (200, b"just text", "text/plain")
    feed = outlet.feed([*paths, "/gone.html", "/private/secret.html", "/plain.txt"])
    metadata = "http://169.254.169.254/latest/meta-data/"  # a cloud's metadata endpoint
    rss = outlet.extra["/feed.xml"][1].replace(
        b"</channel>", f"<item><link>{metadata}</link></item></channel>".encode()
    )
    outlet.extra["/feed.xml"] = (200, rss, "application/rss+xml")
    got = fetch([from_url(feed)])
    reasons = columns(got.rejects, "source_uri", "reason")
    assert reasons == {
        outlet.url("/gone.html"): "http_404",
        outlet.url("/private/secret.html"): "robots_disallowed",
        outlet.url("/plain.txt"): "not_html",
        metadata: "private_address",
    }
    assert not [path for path, _ in outlet.log if path.startswith("/private/")]
    assert got.raw.num_rows == 1


def test_a_missing_robots_txt_allows_all_and_a_rule_for_our_agent_is_obeyed(outlet):
    outlet.robots = None  # 404
    paths = outlet.add_folder(UNSEEN / "cand", limit=1)
    assert fetch([from_url(outlet.feed(paths))]).raw.num_rows == 1
    outlet.robots = b"User-agent: vnnews\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    refused = fetch([from_url(outlet.url("/feed.xml"))])  # a rule for our user agent
    assert refused.rejects["reason"].to_pylist() == ["robots_disallowed"]


def test_a_sitemap_index_leads_to_its_sitemaps_and_a_page_url_is_one_article(outlet):
    paths = outlet.add_folder(UNSEEN / "laodong")
    first = outlet.sitemap(paths[:3], "/sitemap-1.xml")
    second = outlet.sitemap(paths[3:], "/sitemap-2.xml")
    index = (
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{first}</loc></sitemap><sitemap><loc>{second}</loc></sitemap>"
        f"<sitemap><loc>{first}</loc></sitemap></sitemapindex>"  # listed twice: asked once
    )
    outlet.extra["/sitemap_index.xml"] = (200, index.encode(), "application/xml")
    got = fetch([from_url(outlet.url("/sitemap_index.xml")), from_url(outlet.url(paths[0]))])
    assert sorted(got.raw["source_uri"].to_pylist()) == sorted(outlet.url(p) for p in paths)
    assert [p for p, _ in outlet.log].count("/sitemap-1.xml") == 1
    assert [p for p, _ in outlet.log].count(paths[0]) == 1


def test_a_second_crawl_asks_conditionally_and_retries_what_failed(outlet):
    paths = outlet.add_folder(UNSEEN / "plo", limit=3)
    feed = outlet.feed([*paths, "/later.html"])
    first = fetch([from_url(feed)])
    assert first.rejects["reason"].to_pylist() == ["http_404"]
    outlet.pages["/later.html"] = outlet.pages[paths[0]].replace(b"</body>", b"<p>x</p></body>")
    outlet.feed(paths, "/feed.xml")  # the feed no longer lists the page that failed
    outlet.log.clear()
    second = fetch([from_url(feed)], known=first.fetches)
    assert len(second.unchanged) == 3 and second.rejects.num_rows == 0
    assert second.raw["source_uri"].to_pylist() == [outlet.url("/later.html")]
    # The feed was asked for conditionally too (it changed, so it came back whole).
    assert outlet.downloads() == ["/robots.txt", "/later.html"]
    failures = columns(second.fetches, "url", "failures")
    assert failures[outlet.url("/later.html")] == 0


def test_the_listing_fills_what_the_page_leaves_out(outlet):
    outlet.pages["/bare.html"] = (
        "<html><body><p>Giá lúa tại miền Tây tăng mạnh trong tuần qua nhờ nhu cầu xuất khẩu.</p>"
        "</body></html>"
    ).encode()
    news = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
        f"<loc>{outlet.url('/bare.html?utm_source=rss#top')}</loc><news:news><news:publication>"
        "<news:name>Báo Mẫu</news:name></news:publication><news:publication_date>"
        "2025-12-01T08:00:00+07:00</news:publication_date><news:title>Giá lúa tăng"
        "</news:title></news:news></url></urlset>"
    )
    outlet.extra["/news.xml"] = (200, news.encode(), "application/xml")
    row = fetch([from_url(outlet.url("/news.xml"))]).raw.to_pylist()[0]
    assert row["source_uri"] == outlet.url("/bare.html")  # canonical: no tracking, no fragment
    assert (row["title"], row["source"]) == ("Giá lúa tăng", "Báo Mẫu")
    assert row["published_at"] == "2025-12-01T08:00:00+07:00"


def test_canonical_urls_stay_on_the_host_they_were_fetched_from():
    page = "https://baomau.vn/a.html?utm_medium=x&id=3"
    assert canonical_url(page, "/bai-viet-3.html") == "https://baomau.vn/bai-viet-3.html"
    assert canonical_url(page, "https://other.vn/a.html") == "https://baomau.vn/a.html?id=3"
    assert canonical_url(page, "https://baomau.vn/") == "https://baomau.vn/a.html?id=3"
    assert canonical_url(page, None) == "https://baomau.vn/a.html?id=3"


def test_one_row_per_url_whatever_the_pages_claim(outlet):
    page = outlet.add_folder(UNSEEN / "cand", limit=2)
    first, second = (outlet.pages[p] for p in page)
    claim = b'<link rel="canonical" href="/bai-chung.html">'  # two articles, one claim
    outlet.pages["/x.html"] = first.replace(b"<head>", b"<head>" + claim)
    outlet.pages["/y.html"] = second.replace(b"<head>", b"<head>" + claim)
    outlet.redirects = {"/old.html": "/x.html"}
    feed = outlet.feed(["/x.html", "/y.html", "/old.html", "/x.html?utm_source=rss"])
    got = fetch([from_url(feed)])
    assert sorted(got.raw["source_uri"].to_pylist()) == [
        outlet.url("/x.html"),
        outlet.url("/y.html"),
    ]
    assert got.rejects.to_pylist()[0] | {"detail": None} == {
        "source_uri": outlet.url("/old.html"), "doc_id": got.raw["doc_id"][0].as_py(),
        "stage": "ingest", "reason": "duplicate", "detail": None, "duplicate_of": None,
    }  # fmt: skip
    assert [path for path, _ in outlet.log].count("/x.html") == 2  # once listed, once redirected


def test_fetched_pages_read_as_the_same_pages_saved(outlet):
    """The reader is the reader: a page over HTTP gives the very text of the file."""
    paths = outlet.add_folder(UNSEEN)
    got = fetch([from_url(outlet.sitemap(paths))])
    saved, _ = ingest([f for f in discover([UNSEEN]) if f.kind == ".html"])
    by_path = {uri.split("/tests/unseen", 1)[1]: text for uri, text in _texts(saved)}
    fetched = {uri.split(":", 2)[2].split("/", 1)[1]: text for uri, text in _texts(got.raw)}
    assert len(by_path) == len(paths) == 60
    assert fetched == {path.lstrip("/"): text for path, text in by_path.items()}


def _texts(table):
    return zip(table["source_uri"].to_pylist(), table["raw_text"].to_pylist(), strict=True)


def test_an_outlets_html_hints_and_interval_apply(outlet, tmp_path):
    outlet.pages["/hinted.html"] = (
        "<html><body><div class='story'><p>Người dân Hà Nội đổ về hồ Gươm đón năm mới.</p>"
        "<div class='ad'>Quảng cáo: mua ngay hôm nay</div></div>"
        "<div>Tin khác không liên quan đến bài viết này</div></body></html>"
    ).encode()
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[outlet]]\nname = "Mẫu"\npages = ["{outlet.url("/hinted.html")}"]\n'
        f'feeds = ["{outlet.url("/gone.xml")}"]\ninterval = 0.5\n'
        'content = ["div.story"]\ndrop = ["div.ad"]\n',
        encoding="utf-8",
    )
    outlets = load_outlets(sources)
    assert outlets == [
        Outlet("Mẫu", (outlet.url("/gone.xml"), outlet.url("/hinted.html")), 0.5,
               ("div.story",), ("div.ad",))
    ]  # fmt: skip
    got = fetch(outlets)
    text = got.raw["raw_text"][0].as_py()
    assert text.strip() == "Người dân Hà Nội đổ về hồ Gươm đón năm mới."
    times = outlet.request_times
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.45  # robots.txt, the feed and the page, half a second apart


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("[[outlet]]\nname = 'x'\n", "give at least one of feeds, sitemaps, pages"),
        ("[[outlet]]\nfeeds = ['ftp://x/feed']\n", "not http(s) URLs"),
        ("[[outlet]]\nfeeds = ['https://x.vn/rss']\nrate = 2\n", "unknown keys ['rate']"),
        ("[[outlet]]\nfeeds = ['https://x.vn/rss']\ninterval = 'fast'\n", "must be seconds"),
        ("name = 'x'\n", "no [[outlet]] tables"),
        ("[[outlet]\n", "not valid TOML"),
    ],
)
def test_a_bad_sources_file_is_named_with_the_fix(tmp_path, text, complaint):
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourcesFileError, match=re.escape(complaint)) as caught:
        load_outlets(path)
    assert str(path) in str(caught.value)


def published(known: pa.Table, fetched: pa.Table) -> pa.Table:
    """The fetches table after a run: its rows replace those of the same URLs."""
    kept = known.filter(pc.invert(pc.is_in(known["url"], fetched["url"])))
    return pa.concat_tables([kept, fetched])


def test_a_feed_not_modified_yields_what_it_listed_last_time_only(outlet):
    paths = outlet.add_folder(UNSEEN / "qdnd", limit=3)
    feed = outlet.feed(paths)
    first = fetch([from_url(feed)])
    outlet.feed(paths[:1])  # the feed moves on: two articles drop off it
    second = fetch([from_url(feed)], known=first.fetches)
    known = published(first.fetches, second.fetches)
    outlet.log.clear()
    third = fetch([from_url(feed)], known=known)
    assert [path for path, _ in outlet.log] == ["/robots.txt", "/feed.xml", paths[0]]
    assert outlet.downloads() == ["/robots.txt"]  # the feed and its article: 304s
    assert len(third.unchanged) == 1
