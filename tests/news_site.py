"""A news site on 127.0.0.1 for the fetch tests: a real HTTP server with the failures live sites
have (robots.txt, 404, 500 then 200, 429 with Retry-After, slow answers, redirect loops, a gzip
bomb, a huge page, a redirect to a private address). It counts every request it gets."""

from __future__ import annotations

import contextlib
import gzip
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.local_server import serving

PAGE = (
    "<html><head><title>Giá lúa tăng</title></head><body><article>"
    "<p>Giá lúa tại miền Tây tăng mạnh trong tuần qua nhờ nhu cầu xuất khẩu lớn.</p>"
    "</article></body></html>"
).encode()
ETAG = '"v1"'
MODIFIED = "Wed, 02 Dec 2026 01:00:00 GMT"
BOMB = gzip.compress(b"\0" * 50_000_000, compresslevel=9)  # ~50 KB on the wire


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        self.hits: Counter = Counter()
        self.headers_seen: dict[str, dict] = {}
        super().__init__(("127.0.0.1", 0), Handler)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # quiet
        pass

    def send(self, status: int, body: bytes = b"", **headers) -> None:
        self.send_response(status)
        headers.setdefault("Content-Type", "text/html; charset=utf-8")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
            self.wfile.write(body)

    def do_GET(self) -> None:  # one branch per kind of site behaviour
        site, path = self.server, self.path
        site.hits[path] += 1
        site.headers_seen[path] = dict(self.headers)
        if path == "/robots.txt":
            self.send(200, b"User-agent: *\nDisallow: /private/\n", Content_Type="text/plain")
        elif path == "/page.html":
            if self.headers.get("If-None-Match") == ETAG:
                self.send(304, ETag=ETAG)
            else:
                self.send(200, PAGE, ETag=ETAG)
        elif path == "/dated.html":
            if self.headers.get("If-Modified-Since") == MODIFIED:
                self.send(304)
            else:
                self.send(200, PAGE, Last_Modified=MODIFIED)
        elif path == "/flaky.html":
            self.send(500) if site.hits[path] == 1 else self.send(200, PAGE)
        elif path == "/busy.html":
            self.send(429, Retry_After="1") if site.hits[path] == 1 else self.send(200, PAGE)
        elif path == "/slow.html":
            time.sleep(3)
            self.send(200, PAGE)
        elif path in ("/loop-a", "/loop-b"):
            self.send(302, Location="/loop-b" if path == "/loop-a" else "/loop-a")
        elif path == "/moved":
            self.send(301, Location="/page.html")
        elif path == "/to-metadata":
            self.send(302, Location="http://169.254.169.254/latest/meta-data/")
        elif path == "/bomb.html":
            self.send(200, BOMB, Content_Encoding="gzip")
        elif path == "/huge.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no length: the client must stop reading by itself
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                for _ in range(50):
                    self.wfile.write(b"x" * 1_000_000)
        else:
            self.send(404, b"not found")


@pytest.fixture
def site():
    with serving(Site()) as server:
        yield server
