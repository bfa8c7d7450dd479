"""Time travel over the lake: which snapshot a user means, and what changed between two."""

from __future__ import annotations

from datetime import datetime

from tasks import lake
from tasks.settings import Settings

CHANGED_TABLES = ("documents", "entities", "rejects")
SNAPSHOTS = "SELECT max(snapshot_id) FROM lake.snapshots() WHERE "


class UnknownVersion(ValueError):
    pass


def _one(settings: Settings, sql: str, params: list):
    return lake.query(settings, sql, params)[1][0][0]


def resolve(settings: Settings, as_of: str) -> int:
    """Snapshot id for a snapshot number, a run id, or a timestamp (the last snapshot by then)."""
    text = as_of.strip()
    if text.isdigit():
        if _one(settings, SNAPSHOTS + "snapshot_id = ?", [int(text)]) is None:
            raise UnknownVersion(f"No snapshot {text}; `vnnews runs` lists them.")
        return int(text)
    _, rows = lake.query(settings, "SELECT snapshot_id FROM runs WHERE run_id = ?", [text])
    if rows:
        return rows[0][0]
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UnknownVersion(
            f"{as_of!r} is not a snapshot number, a run id, or a time like 2025-03-20T14:00."
        ) from None
    found = _one(settings, SNAPSHOTS + "snapshot_time <= ?::TIMESTAMPTZ", [moment.isoformat()])
    if found is None:
        raise UnknownVersion(f"The lake has no snapshot at or before {as_of}.")
    return found


def diff(settings: Settings, old: str, new: str) -> tuple[list[str], list[tuple]]:
    """Rows inserted, deleted or updated per table from `old` to `new` (DuckLake change feed)."""
    start, end = resolve(settings, old), resolve(settings, new)
    if end <= start:
        raise UnknownVersion(f"{new} (snapshot {end}) is not after {old} (snapshot {start}).")
    parts = [
        f"SELECT '{table}' AS table_name, change_type, count(*) AS rows "
        f"FROM lake.table_changes('{table}', {start + 1}, {end}) GROUP BY ALL"
        for table in CHANGED_TABLES
    ]
    return lake.query(settings, " UNION ALL ".join(parts) + " ORDER BY table_name, change_type")
