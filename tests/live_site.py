"""A news outlet on 127.0.0.1 for the live-source tests: robots.txt, an RSS feed, a sitemap index
with a Google News sitemap, article pages that answer conditional GETs, and pages that fail.
Every 200 carries an ETag and honours If-None-Match. Every request is logged with its headers,
so a test can tell a conditional GET from a download.

Pages are saved fixture pages (tests/unseen and the other sets), served as a site would: under
/<outlet>/<file>.html with an ETag and a Last-Modified date.
"""

from __future__ import annotations

import hashlib
import time
from email.utils import formatdate
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.local_server import serving
from tests.news_site import Handler as SiteHandler

MODIFIED = formatdate(1_764_000_000, usegmt=True)


class Outlet(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        self.pages: dict[str, bytes] = {}  # path -> HTML
        self.extra: dict[str, tuple[int, bytes, str]] = {}  # path -> (status, body, type)
        self.log: list[tuple[str, dict]] = []  # (path, request headers)
        self.request_times: list[float] = []  # time.monotonic() of each request
        self.redirects: dict[str, str] = {}  # path -> where it moved (301)
        self.robots: bytes | None = b"User-agent: *\nDisallow: /private/\n"  # None: a 404
        super().__init__(("127.0.0.1", 0), Handler)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def add_folder(self, root: Path, limit: int | None = None) -> list[str]:
        """Serve every .html under root at /<its path under root>; the paths served."""
        paths = []
        for file in sorted(root.rglob("*.html"))[:limit]:
            path = "/" + file.relative_to(root).as_posix()
            self.pages[path] = file.read_bytes()
            paths.append(path)
        return paths

    def feed(self, paths: list[str], path: str = "/feed.xml") -> str:
        items = "".join(
            f"<item><title>Bài {i}</title><link>{self.url(p)}</link>"
            f"<pubDate>Mon, 0{1 + i % 9} Dec 2025 08:00:00 +0700</pubDate></item>"
            for i, p in enumerate(paths)
        )
        rss = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'
        self.extra[path] = (200, rss.encode(), "application/rss+xml")
        return self.url(path)

    def sitemap(self, paths: list[str], path: str = "/sitemap.xml") -> str:
        urls = "".join(f"<url><loc>{self.url(p)}</loc></url>" for p in paths)
        xml = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        self.extra[path] = (200, xml.encode(), "application/xml")
        return self.url(path)

    def downloads(self, prefix: str = "/") -> list[str]:
        """Paths under prefix that were asked for without If-None-Match / If-Modified-Since."""
        return [
            path
            for path, headers in self.log
            if path.startswith(prefix)
            and "If-None-Match" not in headers
            and "If-Modified-Since" not in headers
        ]


class Handler(SiteHandler):
    def send_page(self, body: bytes, **headers) -> None:
        """200 with an ETag, or 304 when the client already has this version."""
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send(304, ETag=etag)
        else:
            self.send(200, body, ETag=etag, **headers)

    def do_GET(self) -> None:
        site, path = self.server, self.path.partition("?")[0]  # a query changes nothing here
        site.log.append((self.path, dict(self.headers)))
        site.request_times.append(time.monotonic())
        if path == "/robots.txt" and site.robots is not None:
            self.send(200, site.robots, Content_Type="text/plain")
        elif path in site.redirects:
            self.send(301, Location=site.redirects[path])
        elif path in site.extra:
            status, body, kind = site.extra[path]
            self.send_page(body, Content_Type=kind) if status == 200 else self.send(status, body)
        elif (page := site.pages.get(path)) is not None:
            self.send_page(page, Last_Modified=MODIFIED)
        else:
            self.send(404, b"<html><body>Not found</body></html>")


@pytest.fixture
def outlet():
    with serving(Outlet()) as server:
        yield server
