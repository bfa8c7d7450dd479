"""Time travel over the lake: which snapshot a user means, and what changed between two."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import datetime

from vnnews.tasks.lake import catalog
from vnnews.tasks.lake.literal import quoted
from vnnews.tasks.settings import Settings

CHANGED_TABLES = ("entities", "rejects")
SNAPSHOTS = "SELECT max(snapshot_id) FROM lake.snapshots() WHERE "


class UnknownVersion(ValueError):
    pass


def _one(settings: Settings, sql: str, params: list):
    return catalog.query(settings, sql, params)[1][0][0]


def latest(settings: Settings) -> int:
    """The newest snapshot. A SQLite catalog is read directly, without DuckDB's extensions
    (0.5 s of loading that a search does not otherwise need)."""
    path = settings.catalog_path
    if path is not None and settings.catalog_uri.startswith("sqlite:") and path.is_file():
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        with contextlib.closing(db), contextlib.suppress(sqlite3.Error):
            found = db.execute("SELECT max(snapshot_id) FROM ducklake_snapshot").fetchone()
            if found and found[0] is not None:
                return int(found[0])
    return resolve(settings, "2999-01-01T00:00")


def chosen(settings: Settings, as_of: str | None) -> int:
    """The snapshot `as_of` names, else the newest: one whose tables can be read."""
    return readable(settings, as_of) if as_of else latest(settings)


def readable(settings: Settings, as_of: str) -> int:
    """The snapshot `as_of` names, once it holds the published tables: the snapshots before the
    first run's (0, the lake's creation) hold none."""
    snapshot = resolve(settings, as_of)
    first = _one(settings, "SELECT min(snapshot_id) FROM runs", [])
    if first is not None and snapshot < first:
        raise UnknownVersion(
            f"Snapshot {snapshot} comes before the first run published anything: the first "
            f"readable snapshot is {first} (`vnnews runs` lists them)."
        )
    return snapshot


def parse_time(text: str, what: str) -> datetime:
    """A date or a time as an option gives it; UnknownVersion naming the forms it takes."""
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise UnknownVersion(
            f"{what} {text!r}: give a date like 2025-03-20 or a time like 2025-03-20T14:00 "
            "(ISO 8601; a zone may follow: 2025-03-20T14:00+07:00)."
        ) from None


def run_id(settings: Settings, text: str) -> str | None:
    """The run that `text` names, in full or by any unique prefix (the 8 characters reports
    show); None when no run id starts so; UnknownVersion when several do."""
    sql = "SELECT run_id FROM runs WHERE starts_with(run_id, ?) ORDER BY started_at"
    found = [row[0] for row in catalog.query(settings, sql, [text.strip()])[1]]
    if text.strip() in found or len(found) == 1:
        return text.strip() if text.strip() in found else found[0]
    if found:
        listed = ", ".join(found[:5]) + (", ..." if len(found) > 5 else "")
        raise UnknownVersion(f"{text!r} starts {len(found)} run ids ({listed}): give more of it.")
    return None


def resolve(settings: Settings, as_of: str) -> int:
    """Snapshot id for a snapshot number, a run id or a unique prefix of one, or a timestamp
    (the last snapshot by then)."""
    text = as_of.strip()
    if text.isdigit() and _one(settings, SNAPSHOTS + "snapshot_id = ?", [int(text)]) is not None:
        return int(text)
    if text and (run := run_id(settings, text)) is not None:
        sql = "SELECT snapshot_id FROM runs WHERE run_id = ?"
        return catalog.query(settings, sql, [run])[1][0][0]
    if text.isdigit():
        raise UnknownVersion(f"No snapshot {text}; `vnnews runs` lists them.")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UnknownVersion(
            f"{as_of!r} is not a snapshot number, a run id (or its first characters), or a "
            "time like 2025-03-20T14:00."
        ) from None
    found = _one(settings, SNAPSHOTS + "snapshot_time <= ?::TIMESTAMPTZ", [moment.isoformat()])
    if found is None:
        raise UnknownVersion(f"The lake has no snapshot at or before {as_of}.")
    return found


# A version inserted and deleted again inside the range is transient and not counted; an
# insert that replaces a document present at the start is 'changed'.
DOCUMENT_CHANGES = """
WITH ch AS (SELECT change_type, doc_id, replaces FROM lake.table_changes('documents', {a}, {b})),
ins AS (SELECT doc_id, replaces FROM ch WHERE change_type = 'insert'),
del AS (SELECT doc_id FROM ch WHERE change_type = 'delete'),
labelled AS (
    SELECT CASE WHEN doc_id IN (SELECT doc_id FROM del) THEN NULL
        WHEN replaces IN (SELECT doc_id FROM del) AND replaces NOT IN (SELECT doc_id FROM ins)
            THEN 'changed'
        ELSE 'added' END AS change FROM ins
    UNION ALL
    SELECT CASE WHEN doc_id IN (SELECT doc_id FROM ins) THEN NULL
        WHEN doc_id IN (SELECT replaces FROM ins WHERE replaces IS NOT NULL) THEN NULL
        ELSE 'removed' END FROM del)
SELECT 'documents' AS table_name, change, count(*) AS rows FROM labelled
WHERE change IS NOT NULL GROUP BY change
"""


def diff(settings: Settings, old: str, new: str) -> tuple[list[str], list[tuple]]:
    """What changed from `old` to `new`, from DuckLake's change feed: documents added, removed or
    changed (a new version from the same source replaced the old one), and the rows of entities
    and rejects inserted or deleted."""
    start, end = resolve(settings, old), resolve(settings, new)
    if end <= start:
        raise UnknownVersion(f"{new} (snapshot {end}) is not after {old} (snapshot {start}).")
    columns, rows = catalog.query(settings, DOCUMENT_CHANGES.format(a=start + 1, b=end))
    others = " UNION ALL ".join(
        f"SELECT {quoted(table)} AS table_name, change_type AS change, count(*) AS rows "
        f"FROM lake.table_changes({quoted(table)}, {start + 1}, {end}) GROUP BY ALL"
        for table in CHANGED_TABLES
    )
    rows += catalog.query(settings, others)[1]
    return columns, sorted(rows)
