"""What a feed or sitemap lists: RSS 2.0, Atom, sitemaps, sitemap indexes and Google News
sitemaps, read by local tag names so that namespace spellings do not matter."""

from __future__ import annotations

import email.utils
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

BARE_AMPERSAND = re.compile(rb"&(?!(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);)")


@dataclass
class Entry:
    url: str
    title: str | None = None
    published_at: str | None = None  # ISO 8601 (an RSS date is rewritten), or as written
    author: str | None = None
    source: str | None = None  # whom the listing credits: RSS <source>, Google News publication


@dataclass
class Listing:
    kind: str  # rss, atom, sitemap, sitemapindex
    entries: list[Entry] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # what a sitemap index points to


def _name(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1].lower()


def _child(element: ET.Element, *names: str) -> str | None:
    for child in element:
        if _name(child) in names and child.text and child.text.strip():
            return child.text.strip()
    return None


def _atom_link(entry: ET.Element) -> str | None:
    for child in entry:
        if _name(child) == "link" and child.get("rel", "alternate") == "alternate":
            return child.get("href")
    return None


def _iso(rfc822: str | None) -> str | None:
    """'Mon, 01 Dec 2025 08:00:00 +0700' -> '2025-12-01T08:00:00+07:00' (else as written)."""
    try:
        return email.utils.parsedate_to_datetime(rfc822).isoformat() if rfc822 else None
    except (TypeError, ValueError):
        return rfc822


def _rss(root: ET.Element) -> Listing:
    items = [e for e in root.iter() if _name(e) == "item"]
    return Listing("rss", [
        Entry(url, _child(item, "title"), _iso(_child(item, "pubdate")) or _child(item, "date"),
              _child(item, "creator", "author"), _child(item, "source"))
        for item in items if (url := _child(item, "link", "guid"))
    ])  # fmt: skip


def _atom(root: ET.Element) -> Listing:
    entries = []
    for entry in (e for e in root if _name(e) == "entry"):
        author = next((_child(a, "name") for a in entry if _name(a) == "author"), None)
        if url := _atom_link(entry):
            published = _child(entry, "published", "updated")
            entries.append(Entry(url, _child(entry, "title"), published, author))
    return Listing("atom", entries)


def _sitemap(root: ET.Element) -> Listing:
    entries = []
    for url in (e for e in root if _name(e) == "url"):
        if not (loc := _child(url, "loc")):
            continue
        news = next((e for e in url if _name(e) == "news"), ET.Element("news"))
        publication = next((e for e in news if _name(e) == "publication"), ET.Element("p"))
        published = _child(news, "publication_date") or _child(url, "lastmod")
        entries.append(
            Entry(loc, _child(news, "title"), published, None, _child(publication, "name"))
        )
    return Listing("sitemap", entries)


def parse_listing(body: bytes) -> Listing | None:
    """The listing in `body`, or None when it is not XML of a kind we read."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        # The commonest flaw of hand-made feeds: a bare & in a title or a link.
        try:
            root = ET.fromstring(BARE_AMPERSAND.sub(b"&amp;", body))
        except ET.ParseError:
            return None
    kind = _name(root)
    if kind == "rss" or kind == "rdf":
        return _rss(root)
    if kind == "feed":
        return _atom(root)
    if kind == "urlset":
        return _sitemap(root)
    if kind == "sitemapindex":
        maps = [loc for s in root if _name(s) == "sitemap" and (loc := _child(s, "loc"))]
        return Listing("sitemapindex", sitemaps=maps)
    return None
