"""Readers: one small function per file type, each turning decoded text into articles.

Chosen by file suffix (`.txt`, `.html`/`.htm`, and either inside `.gz`; JSONL exports are read
record by record, tasks/ingest/jsonl.py). HTML
structure (which container holds the article, which elements are furniture) comes from the
`[html]` section of the boilerplate rule pack; the Vietnamese line rules run later, in clean.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from vnnews.tasks.ingest.html_lead import figure_caption, is_headline, lead_outside
from vnnews.tasks.ingest.html_links import drop_link_blocks, link_share
from vnnews.tasks.ingest.html_title import without_site_name

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})  # what an HTTP answer may be
BLOCKS = "p, div, li, h1, h2, h3, h4, h5, h6, br, blockquote, tr, section, figcaption, time"


@dataclass
class Article:
    title: str
    lines: list[str]
    url: str | None = None
    published_at: str | None = None
    author: str | None = None
    source: str | None = None
    captions: list[dict] = field(default_factory=list)
    locator: str = ""  # where in the file: "L3" is line 3 of a JSONL file


@dataclass
class BadRecord:
    locator: str
    reason: str
    detail: str


@dataclass(frozen=True)
class HtmlRules:
    content: tuple[str, ...] = ("article", "[itemprop=articleBody]", "main")
    drop: tuple[str, ...] = ("script", "style", "nav", "header", "footer", "aside", "form")
    # A block inside the container with more of its text in links than this is a box of other
    # stories (html_links.py).
    max_link_share: float = 0.4


def is_html_type(content_type: str) -> bool:
    """Is this Content-Type header an HTML page's?"""
    return content_type.partition(";")[0].strip().lower() in HTML_TYPES


def read_txt(text: str, rules: HtmlRules) -> Iterator[Article | BadRecord]:
    """Seed-style text: the first non-empty line is the title, the rest the article."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    title = lines[start].strip() if start < len(lines) else ""
    yield Article(title=title, lines=lines[start + 1 :])


def _meta(tree: LexborHTMLParser, *selectors: str) -> str | None:
    for selector in selectors:
        node = tree.css_first(selector)
        if node is None:
            continue
        value = node.attributes.get("content") or node.attributes.get("datetime") or node.text()
        if value and value.strip():
            return value.strip()
    return None


def article_container(tree: LexborHTMLParser, selectors: tuple[str, ...]):
    """Of the first selector's matches that are not mostly links, the one with the most text.
    A page's related-story cards are often <article> elements too, and may be the only ones."""
    for selector in selectors:
        found = [node for node in tree.css(selector) if link_share(node) <= 0.5]
        if found:
            return max(found, key=lambda node: len(node.text(separator=" ").strip()))
    return None


def read_html(text: str, rules: HtmlRules) -> Iterator[Article | BadRecord]:
    """A saved news page: metadata from <meta>, captions from <figcaption>, text by block."""
    tree = LexborHTMLParser(text)
    title = _meta(tree, "meta[property='og:title']", "h1", "title") or ""
    url = _meta(tree, "link[rel=canonical]", "meta[property='og:url']")
    if url is None and (canonical := tree.css_first("link[rel=canonical]")) is not None:
        url = canonical.attributes.get("href")
    published = _meta(
        tree,
        "meta[property='article:published_time']",
        "meta[itemprop=datePublished]",
        "time[datetime]",
    )
    site_name = _meta(tree, "meta[property='og:site_name']")
    title = without_site_name(title, url, site_name)
    author = _meta(tree, "meta[name=author]", "[rel=author]", "[itemprop=author]")
    container = article_container(tree, rules.content) or tree.body
    if container is None:
        yield BadRecord("", "no_content", "the page has no <body>")
        return
    leads, captions = lead_outside(tree.body, container, title) if tree.body else ([], [])
    for selector in rules.drop:
        for node in container.css(selector):
            node.decompose()
    drop_link_blocks(container, rules.max_link_share)
    for figure in container.css("figure"):
        if caption := figure_caption(figure):
            captions.append(caption)
        figure.decompose()
    for heading in container.css("h1"):
        if is_headline(heading, title):
            heading.decompose()  # the title is not part of the body
    for node in container.css(BLOCKS):
        node.insert_before("\n")
        node.insert_after("\n")
    lines = [*leads, *container.text(separator="").split("\n")]
    yield Article(
        title=title,
        lines=lines,
        url=url,
        published_at=published,
        author=author,
        captions=[{"text": c, "credit": None} for c in captions],
    )
