"""Clean: strip outlet boilerplate from raw articles and move metadata out of the body.

What counts as boilerplate is data (seeds/rules/boilerplate.toml, loaded by rules.py), not code.
Quality filters (quality.py) follow in `clean_and_filter`; deduplication (dedup.py) is a step
of its own.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

import pyarrow as pa

from vnnews.tasks.clean.edges import is_prose, name_line, trim_edges
from vnnews.tasks.clean.quality import filter_quality
from vnnews.tasks.clean.repeated import line_key, outlet_of
from vnnews.tasks.clean.rules import RulePack
from vnnews.tasks.tables import DOCUMENTS, from_rows
from vnnews.tasks.text.dates import from_parts, parse_published
from vnnews.tasks.text.orthography import normalise_line

INLINE_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
TERMINAL = tuple('.!?…:;"”)')
# An item of the article's own list ("- Phố Hàng Khay"): never another story's headline.
LIST_ITEM = re.compile(r"^[-–+•*]\s")


def headline_like(line: str) -> bool:
    """A related-news item: short and without the closing punctuation of a sentence."""
    return len(line) <= 160 and not line.endswith(TERMINAL)


def clean_article(
    raw_text: str, pack: RulePack, removed: Counter, furniture: frozenset[int] = frozenset()
) -> dict:
    """Body, captions, source, author and published_at of one article's raw text.

    `furniture`: hashes of the lines its outlet repeats across articles (repeated.py)."""
    lines = [line for line in map(normalise_line, raw_text.splitlines()) if line]
    body: list[str] = []
    found = {"captions": [], "source": None, "author": None, "published_at": None}
    skipping = None
    for i, line in enumerate(lines):
        if hit := pack.first("truncate", line):
            removed[hit[0].name] += len(lines) - i
            break
        if skipping and headline_like(line) and not LIST_ITEM.match(line):
            removed[skipping] += 1
            continue
        skipping = None
        if body and (credit := credit_line(line, body[-1], pack)):
            # "Ảnh: X" on a line of its own: the short line above it was the photo's caption.
            found["captions"].append({"text": body.pop().strip(" ."), "credit": credit})
            removed["caption_credit_line"] += 2
            continue
        if hit := pack.first("skip_block", line):
            skipping = hit[0].name
        elif not body and (hit := pack.first("dateline", line)):
            found["published_at"] = found["published_at"] or from_parts(
                *hit[1].group("day", "month", "year", "hour", "minute")
            )
        elif hit := pack.first("drop_line", line):
            pass
        elif hit := pack.first("caption", line):
            credit = hit[1]["credit"].strip() or None  # "Ảnh minh họa": no one to credit
            found["captions"].append({"text": hit[1]["text"].strip(" .|"), "credit": credit})
        elif hit := pack.first("byline", line):
            found["author"] = found["author"] or hit[1]["author"].strip()
        elif repeated_line(line, pack, furniture):
            removed["repeated_line"] += 1
            continue
        else:
            # Image markup inside a paragraph goes; so do the table pipes it often leaves behind.
            line = normalise_line(INLINE_IMAGE.sub("", line)).strip(" |")
            if line:
                body.append(line)
            else:
                removed["markup_only"] += 1  # nothing but image markup or table pipes
            continue
        removed[hit[0].name] += 1
    _closing_lines(body, pack, found, removed)
    trim_edges(body, pack, found, removed)
    if body and (hit := pack.first("source_marker", body[0])):
        found["source"] = hit[1]["source"].strip()
        removed[hit[0].name] += 1
        body[0] = body[0][hit[1].end() :]
    return {"body": "\n".join(body), **found}


CREDIT_LINE = re.compile(
    r"^\(?(?:Ảnh|ẢNH|Ảnh minh họa|Nguồn ảnh|Photo)\s*:\s*(?P<credit>[^.()]{1,60}?)\)?\.?$"
)


def credit_line(line: str, previous: str, pack: RulePack) -> str | None:
    """The credit of a photo when `line` is only a credit and the line above is not prose."""
    if (match := CREDIT_LINE.match(line)) and not is_prose(previous, pack.edges):
        return match["credit"].strip() if len(previous) <= 200 else None
    return None


def repeated_line(line: str, pack: RulePack, furniture: frozenset[int]) -> bool:
    """A line the outlet repeats across articles; a name line is left to the edges, which keep
    it as the author (a reporter signs many articles)."""
    if not furniture or len(line) > pack.repeated.max_chars or name_line(line):
        return False
    return line_key(line) in furniture


def _closing_lines(body: list[str], pack: RulePack, found: dict, removed: Counter) -> None:
    """'Theo TTXVN' and a bare author name at the very end go to `source` and `author`.

    Every such closing line leaves the body, even when an earlier one already gave the value:
    otherwise cleaning the result again would remove it then (clean must be idempotent).
    """
    while body:
        if hit := pack.first("source_trailer", body[-1]):
            found["source"] = found["source"] or hit[1]["source"].strip()
        elif hit := pack.first("byline", body[-1], where="last"):
            found["author"] = found["author"] or hit[1]["author"].strip()
        else:
            return
        removed[hit[0].name] += 1
        body.pop()


def split_caption(caption: dict, pack: RulePack) -> dict:
    """A caption from page markup ("... Ảnh: X") gets its credit split off like a text caption."""
    text = normalise_line(caption["text"] or "")
    if caption.get("credit") is None and (hit := pack.first("caption", text)):
        return {"text": hit[1]["text"].strip(" .|"), "credit": hit[1]["credit"].strip()}
    return {"text": text, "credit": caption.get("credit")}


def body_hash(body: str) -> str:
    return hashlib.sha256(" ".join(body.lower().split()).encode()).hexdigest()


def clean(
    raw: pa.Table, pack: RulePack, furniture: dict[str, frozenset[int]] | None = None
) -> tuple[pa.Table, Counter]:
    """Clean a batch of raw documents: (documents, paragraphs removed per rule name).

    `furniture`: {outlet: hashes of the lines it repeats}, counted over the whole run."""
    removed: Counter = Counter()
    docs = []
    for row in raw.to_pylist():
        repeats = (furniture or {}).get(outlet_of(row), frozenset())
        cleaned = clean_article(row["raw_text"], pack, removed, repeats)
        doc = {k: row.get(k) for k in DOCUMENTS.names}
        doc.update(
            body=cleaned["body"],
            captions=[split_caption(c, pack) for c in row.get("captions") or []]
            + cleaned["captions"],
            source=row.get("source") or cleaned["source"],
            author=row.get("author") or cleaned["author"],
            published_at=parse_published(row.get("published_at")) or cleaned["published_at"],
            body_hash=body_hash(cleaned["body"]),
        )
        docs.append(doc)
    return from_rows(docs, DOCUMENTS), removed


def clean_and_filter(
    raw: pa.Table, pack: RulePack, furniture: dict[str, frozenset[int]] | None = None
) -> tuple[pa.Table, pa.Table, Counter]:
    """Boilerplate out, then the quality filters: (documents kept, rejects, paragraphs removed
    per rule)."""
    documents, removed = clean(raw, pack, furniture)
    kept, rejects = filter_quality(documents, pack.quality)
    return kept, rejects, removed
