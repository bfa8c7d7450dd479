"""Quality filters: each drop has a named reason in `rejects`."""

from __future__ import annotations

import pyarrow as pa

from vnnews.tasks.clean.rules import Quality
from vnnews.tasks.tables import REJECTS, from_rows, reject
from vnnews.tasks.text.orthography import vietnamese_share


def problem(body: str, q: Quality) -> tuple[str, str] | None:
    """(reason, detail) when a clean body should not be published, else None."""
    if not body.strip():
        return "empty_body", "nothing left after boilerplate removal"
    if len(body) < q.min_body_chars:
        return "too_short", f"{len(body)} chars < min_body_chars={q.min_body_chars}"
    visible = [c for c in body if not c.isspace()]
    letters = sum(c.isalpha() for c in visible) / len(visible)
    if letters < q.min_letter_share:
        return "mostly_non_text", f"letters are {letters:.0%} of characters"
    share = vietnamese_share(body)
    if share < q.min_vietnamese_share:
        detail = f"{share:.0%} of syllables carry Vietnamese diacritics"
        return "not_vietnamese", f"{detail} (< {q.min_vietnamese_share:.0%})"
    return None


def filter_quality(documents: pa.Table, q: Quality) -> tuple[pa.Table, pa.Table]:
    keep, rejects = [], []
    columns = (documents[c].to_pylist() for c in ("doc_id", "source_uri", "body"))
    for i, (doc_id, uri, body) in enumerate(zip(*columns, strict=True)):
        if found := problem(body, q):
            rejects.append(reject(uri, "clean", *found, doc_id=doc_id))
        else:
            keep.append(i)
    return documents.take(pa.array(keep, pa.int64())), from_rows(rejects, REJECTS)
