"""Which URL names a fetched page (`source_uri`), so that the same article fetched again is
known, and a changed one becomes its new version.

The page's own `<link rel=canonical>` counts when it stays on the host the page came from (a
syndicated copy pointing at another outlet stays the copy) and is not the site's front page (a
common template mistake that would make every article a version of one). Otherwise, and when
two pages of one run claim the same canonical URL, each is named by the URL it was fetched from.
Fragments and tracking parameters never count.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from vnnews.tasks.tables import reject

TRACKING = ("utm_", "fbclid", "gclid", "zarsrc")  # zarsrc: Zalo shares


def clean_url(url: str) -> str:
    """Without fragment and tracking parameters."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, True) if not k.startswith(TRACKING)]
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))


def canonical_url(fetched_url: str, declared: str | None) -> str:
    if declared:
        absolute = urlsplit(urljoin(fetched_url, declared.strip()))
        same_host = absolute.hostname == urlsplit(fetched_url).hostname
        if same_host and absolute.scheme in ("http", "https") and absolute.path.strip("/"):
            return clean_url(absolute.geturl())
    return clean_url(fetched_url)


def one_per_url(named: list[tuple[dict, str, str]]) -> tuple[list[dict], list[dict]]:
    """(rows, rejects) from (raw document row, URL asked for, URL fetched after redirects): a
    canonical URL claimed twice gives way to the fetched URLs; a page fetched twice (a URL that
    redirects to another one listed) is kept once."""
    claims = Counter(row["source_uri"] for row, _, _ in named)
    rows, rejects, seen = [], [], {}
    for row, asked, fetched in named:
        if claims[row["source_uri"]] > 1:
            row["source_uri"] = fetched
        if (first := seen.get(row["source_uri"])) is not None:
            detail = f"{fetched} again, the page already read from {first}"
            rejects.append(reject(asked, "ingest", "duplicate", detail, row["doc_id"]))
            continue
        seen[row["source_uri"]] = asked
        rows.append(row)
    return rows, rejects
