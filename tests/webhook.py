"""A webhook receiver on 127.0.0.1 for the tests: a real HTTP server keeping what it is sent."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.local_server import serving


class Receiver(ThreadingHTTPServer):
    def __init__(self):
        self.received: list[dict] = []
        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.received.append(
            {"path": self.path, "type": self.headers.get("Content-Type"), **json.loads(body)}
        )
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture
def webhook():
    with serving(Receiver()) as receiver:
        yield receiver
