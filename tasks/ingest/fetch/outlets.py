"""The outlets a run fetches: from `--source URL` (one outlet per URL) or a sources.toml file.

[[outlet]]
name = "Báo Mẫu"
feeds = ["https://baomau.vn/rss/thoi-su.rss"]     # RSS 2.0 or Atom
sitemaps = ["https://baomau.vn/sitemap-news.xml"]  # sitemaps, indexes, Google News
pages = ["https://baomau.vn/bai-viet-123.html"]    # single articles
interval = 2.0                  # seconds between requests to its hosts (default: settings)
content = ["div.detail-content"]  # CSS selectors of the article body, tried first
drop = ["div.box-related"]        # elements inside it that are never article text
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from vnnews.tasks.ingest.readers import HtmlRules

KEYS = {"name", "feeds", "sitemaps", "pages", "interval", "content", "drop", "licence"}


class SourcesFileError(ValueError):
    """A sources.toml that cannot be used; the message names the file and the fix."""


@dataclass(frozen=True)
class Outlet:
    name: str
    urls: tuple[str, ...]  # feeds, sitemaps and pages: what each is shows once fetched
    interval: float | None = None  # None: the run's fetch_interval
    content: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    licence: str = ""  # under what terms its articles may be used; an export's datasheet says it

    def html_rules(self, base: HtmlRules) -> HtmlRules:
        """The rule pack's HTML rules with this outlet's hints in front."""
        return HtmlRules(
            content=(*self.content, *base.content),
            drop=(*base.drop, *self.drop),
            max_link_share=base.max_link_share,
        )


def is_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def from_url(url: str) -> Outlet:
    return Outlet(name=urlsplit(url).hostname or url, urls=(url,))


def _strings(path: Path, i: int, entry: dict, key: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SourcesFileError(f"{path}: outlet {i}: `{key}` must be a list of strings.")
    return tuple(value)


def _outlet(path: Path, i: int, entry: dict) -> Outlet:
    if unknown := set(entry) - KEYS:
        raise SourcesFileError(
            f"{path}: outlet {i}: unknown keys {sorted(unknown)}; known: {sorted(KEYS)}."
        )
    urls = tuple(
        url for key in ("feeds", "sitemaps", "pages") for url in _strings(path, i, entry, key)
    )
    if not urls:
        raise SourcesFileError(f"{path}: outlet {i}: give at least one of feeds, sitemaps, pages.")
    if bad := [url for url in urls if not is_url(url)]:
        raise SourcesFileError(f"{path}: outlet {i}: not http(s) URLs: {bad}.")
    interval = entry.get("interval")
    if interval is not None and (not isinstance(interval, int | float) or interval < 0):
        raise SourcesFileError(f"{path}: outlet {i}: `interval` must be seconds (≥ 0).")
    name = str(entry.get("name") or urlsplit(urls[0]).hostname)
    content, drop = _strings(path, i, entry, "content"), _strings(path, i, entry, "drop")
    licence = str(entry.get("licence") or "")
    return Outlet(name, urls, None if interval is None else float(interval), content, drop, licence)


def load_outlets(path: Path) -> list[Outlet]:
    """The outlets of a sources.toml; SourcesFileError says what is wrong and where."""
    try:
        with path.open("rb") as fh:
            document = tomllib.load(fh)
    except FileNotFoundError:
        raise SourcesFileError(f"{path}: no such file. Pass the path of a sources.toml.") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesFileError(f"{path}: not valid TOML ({exc}).") from exc
    entries = document.get("outlet")
    if not isinstance(entries, list) or not entries:
        raise SourcesFileError(
            f"{path}: no [[outlet]] tables. Each outlet needs a name and feeds, sitemaps or pages."
        )
    return [_outlet(path, i, entry) for i, entry in enumerate(entries, 1)]
