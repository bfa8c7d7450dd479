"""Feeds and sitemaps as outlets publish them: what each lists, with its metadata."""

from vnnews.tasks.ingest.fetch.listings import parse_listing

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Tin mới</title>
<item><title>Giá lúa tăng</title><link>https://bao.vn/gia-lua.html</link>
<pubDate>Wed, 02 Dec 2026 08:00:00 +0700</pubDate><dc:creator>Minh Anh</dc:creator></item>
<item><title>Không có đường dẫn</title></item>
<item><guid>https://bao.vn/chi-guid.html</guid></item>
</channel></rss>""".encode()

ATOM = """<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<entry><title>Lũ về</title><link rel="alternate" href="https://bao.vn/lu.html"/>
<link rel="enclosure" href="https://bao.vn/lu.jpg"/><published>2026-12-01T10:00:00Z</published>
<author><name>Lan</name></author></entry></feed>""".encode()

NEWS_SITEMAP = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://bao.vn/a.html</loc><news:news><news:publication_date>2026-12-02T07:00:00+07:00
</news:publication_date><news:title>Tin A</news:title></news:news></url>
<url><loc>https://bao.vn/b.html</loc><lastmod>2026-12-01</lastmod></url></urlset>"""

INDEX = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://bao.vn/sitemap-1.xml</loc></sitemap>
<sitemap><loc>https://bao.vn/sitemap-2.xml</loc></sitemap></sitemapindex>"""


def test_rss_items_with_a_link_or_guid_and_their_metadata():
    listing = parse_listing(RSS)
    assert listing.kind == "rss"
    first, second = listing.entries
    assert (first.url, first.title, first.author) == (
        "https://bao.vn/gia-lua.html",
        "Giá lúa tăng",
        "Minh Anh",
    )
    assert first.published_at == "2026-12-02T08:00:00+07:00"  # RFC 822 rewritten as ISO
    assert second.url == "https://bao.vn/chi-guid.html"


def test_atom_entries_take_their_alternate_link():
    (entry,) = parse_listing(ATOM).entries
    assert (entry.url, entry.title, entry.author) == ("https://bao.vn/lu.html", "Lũ về", "Lan")
    assert entry.published_at == "2026-12-01T10:00:00Z"


def test_google_news_sitemaps_give_titles_and_dates():
    a, b = parse_listing(NEWS_SITEMAP).entries
    assert (a.url, a.title, a.published_at) == (
        "https://bao.vn/a.html",
        "Tin A",
        "2026-12-02T07:00:00+07:00",
    )
    assert (b.url, b.title, b.published_at) == ("https://bao.vn/b.html", None, "2026-12-01")


def test_a_sitemap_index_points_to_sitemaps():
    listing = parse_listing(INDEX)
    assert listing.kind == "sitemapindex" and listing.entries == []
    assert listing.sitemaps == ["https://bao.vn/sitemap-1.xml", "https://bao.vn/sitemap-2.xml"]


def test_what_is_not_a_listing_is_none():
    assert parse_listing(b"<html><body>trang</body></html>") is None
    assert parse_listing(b"<rss><channel><item>") is None  # cut off
    assert parse_listing(b"") is None


def test_a_feed_with_bare_ampersands_is_read_all_the_same():
    feed = (
        b"<rss><channel><item><title>Gia & lua</title>"
        b"<link>https://bao.vn/a.html?id=1&cat=2</link></item></channel></rss>"
    )
    listing = parse_listing(feed)
    assert [(e.title, e.url) for e in listing.entries] == [
        ("Gia & lua", "https://bao.vn/a.html?id=1&cat=2")
    ]
    assert parse_listing(b"<rss><channel><item>&amp; &lt;") is None  # broken otherwise: none
