"""The extract stage's frame: one row per entity, date, quantity and quote, judged against the
body it was found in (see tasks/checks/frames.py)."""

from __future__ import annotations

import datetime

import pyarrow as pa

from vnnews.tasks.clean.boilerplate import BoilerplateFinder
from vnnews.tasks.clean.rules import RulePack


def extract_frame(documents: pa.Table, found: dict[str, pa.Table], pack: RulePack) -> pa.Table:
    """One row per entity, date, quantity and quote, with whether `body[start:end] == text`,
    whether a date is a real calendar date, and the boilerplate rule of the line it sits on."""
    bodies = dict(zip(documents["doc_id"].to_pylist(), documents["body"].to_pylist(), strict=True))
    finder = BoilerplateFinder(pack)
    boilerplate = {d: list(finder.lines(b)) for d, b in bodies.items() if b}
    names = ("kind", "doc_id", "type", "entity_id", "text", "start", "end")
    rows: dict[str, list] = {c: [] for c in names}
    rows.update(text_at_offsets=[], date_is_valid=[], boilerplate_rule=[])
    for kind, name in MENTIONS:
        _mentions(rows, kind, found.get(name), bodies, boilerplate)
    return pa.table(rows, schema=EXTRACT_FRAME)


MENTIONS = (
    ("entity", "entities"),
    ("date", "dates"),
    ("quantity", "quantities"),
    ("quote", "quotes"),
)
EXTRACT_FRAME = pa.schema(
    [
        ("kind", pa.string()),
        ("doc_id", pa.string()),
        ("type", pa.string()),
        ("entity_id", pa.string()),  # null for all but entities
        ("text", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("text_at_offsets", pa.bool_()),
        ("date_is_valid", pa.bool_()),  # null for all but dates
        ("boilerplate_rule", pa.string()),
    ]
)


def _mentions(rows, kind, table, bodies, boilerplate) -> None:
    if table is None or table.num_rows == 0:
        return
    columns = {c: table[c].to_pylist() for c in ("doc_id", "text", "start", "end")}
    types = table["type"].to_pylist() if "type" in table.column_names else [None] * len(table)
    methods = table["method"].to_pylist() if "method" in table.column_names else [None] * len(table)
    ids = table["entity_id"].to_pylist() if kind == "entity" else [None] * len(table)
    if kind == "date":
        ymd = zip(*(table[c].to_pylist() for c in ("year", "month", "day")), strict=True)
        valid = [_valid_date(*parts) for parts in ymd]
    for i, doc_id in enumerate(columns["doc_id"]):
        text, start, end = columns["text"][i], columns["start"][i], columns["end"][i]
        body = bodies.get(doc_id)
        inside = body is not None and start is not None and end is not None
        inside = inside and 0 <= start < end <= len(body)
        rows["kind"].append(kind)
        rows["doc_id"].append(doc_id)
        rows["type"].append(types[i])
        rows["entity_id"].append(ids[i])
        rows["text"].append(text)
        rows["start"].append(start)
        rows["end"].append(end)
        # The outlet and photo credits are named outside the body: they have no offsets.
        unplaced = start is None and end is None and (methods[i] or "").startswith("metadata:")
        rows["text_at_offsets"].append(None if unplaced else inside and body[start:end] == text)
        rows["date_is_valid"].append(valid[i] if kind == "date" else None)
        spans = boilerplate.get(doc_id, ()) if inside else ()
        rule = next((name for s, e, name in spans if s <= start < e), None)
        rows["boilerplate_rule"].append(rule)


def _valid_date(year: int | None, month: int | None, day: int | None) -> bool:
    """A found date names a real day (or month, or year) of a plausible era: news cites history
    ("tháng 1/1795"), so the bound only catches digits read as a year by mistake."""
    try:
        datetime.date(year or 2000, month or 1, day or 1)
    except (TypeError, ValueError):
        return False
    return year is None or 1000 <= year <= 2200
