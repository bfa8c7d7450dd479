"""Fetched pages into raw documents, through the same HTML reader and rule pack as saved pages.

A page's `source_uri` is its canonical URL (canonical.py); its `url` is the address the page
gives itself, as for saved pages. The listing's metadata fills what the page leaves out:
published_at, author, source, title.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urljoin

from vnnews.tasks.ingest.encoding import DecodeError, decode_declared
from vnnews.tasks.ingest.fetch.canonical import canonical_url
from vnnews.tasks.ingest.fetch.crawl import Page, Target
from vnnews.tasks.ingest.fetch.fetcher import Fetched
from vnnews.tasks.ingest.ingest import document_row
from vnnews.tasks.ingest.readers import BadRecord, HtmlRules, is_html_type, read_html
from vnnews.tasks.tables import reject

# What a failure means when there was no answer to report.
WHY = {
    "robots_disallowed": "the site's robots.txt disallows it for our user agent",
    "private_address": "the host resolves to a private, loopback or link-local address "
    "(allow it with allow_private_hosts)",
    "dns_error": "the host name does not resolve",
    "bad_url": "not an http(s) URL",
    "timeout": "no complete answer within the timeouts",
    "too_large": "the answer is larger than max_doc_bytes (on the wire or decompressed)",
    "redirect_loop": "redirects loop or go on too long",
}


def failure(target: Target, got: Fetched) -> dict:
    """The reject of a URL that could not be fetched, saying what happened."""
    detail = WHY.get(got.reason) or (f"status {got.status}" if got.status else "no answer")
    if got.attempts > 1:
        detail += f" after {got.attempts} tries"
    if got.final_url and got.final_url != target.url:
        detail += f", redirected to {got.final_url}"
    if target.listing:
        detail += f"; listed in {target.listing}"
    return reject(target.url, "ingest", got.reason, detail + "; asked for again next run")


def read_page(page: Page, rules: HtmlRules, now: datetime) -> tuple[list[dict], list[dict]]:
    """(raw document rows, rejects) of one fetched page."""
    target, got = page.target, page.fetched
    url = got.final_url or target.url
    kind = got.content_type.partition(";")[0].strip()
    looks_html = got.body.lstrip()[:1] == b"<"
    if (kind and not is_html_type(kind)) or (not kind and not looks_html):
        detail = f"{kind or 'no content type'}: only HTML pages are read"
        return [], [reject(target.url, "ingest", "not_html", detail)]
    try:
        decoded = decode_declared(got.body, got.content_type)
    except DecodeError as exc:
        return [], [reject(target.url, "ingest", exc.reason, exc.detail)]
    rows, rejects = [], []
    entry = target.entry
    for art in read_html(decoded.text, target.outlet.html_rules(rules)):
        if isinstance(art, BadRecord):
            rejects.append(reject(target.url, "ingest", art.reason, art.detail))
            continue
        uri = canonical_url(url, art.url)
        # `url` is the address the page gives itself (as for saved pages); `source_uri` where it
        # was fetched, canonicalised.
        art.url = urljoin(url, art.url.strip()) if art.url else uri
        if entry is not None:
            art.title = art.title or entry.title or ""
            art.published_at = art.published_at or entry.published_at
            art.author = art.author or entry.author
            art.source = art.source or entry.source
        if not any(line.strip() for line in art.lines):
            rejects.append(reject(uri, "ingest", "missing_body", "no text in the page"))
        else:
            rows.append(document_row(uri, art, got.body, decoded.encoding, now))
    return rows, rejects
