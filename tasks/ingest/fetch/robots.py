"""robots.txt per origin, fetched once per fetcher and obeyed for our user agent (RFC 9309):
missing (4xx) allows everything; unreachable (5xx, network) disallows everything for now."""

from __future__ import annotations

from urllib.robotparser import RobotFileParser


class Robots:
    def __init__(self):
        self._by_origin: dict[str, RobotFileParser] = {}

    def known(self, origin: str) -> bool:
        return origin in self._by_origin

    def learn(self, origin: str, status: int | None, text: str) -> None:
        parser = RobotFileParser()
        if status is not None and 200 <= status < 300:
            parser.parse(text.splitlines())
        elif status is not None and 400 <= status < 500:
            parser.allow_all = True
        else:
            parser.disallow_all = True
        self._by_origin[origin] = parser

    def allows(self, origin: str, url: str, user_agent: str) -> bool:
        return self._by_origin[origin].can_fetch(user_agent, url)
