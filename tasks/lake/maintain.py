"""Lake maintenance: remove what crashed runs left behind, compact small files, expire old
snapshots (never the latest), and delete the files nothing refers to any more."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from vnnews.tasks.lake import catalog
from vnnews.tasks.lake.literal import quoted
from vnnews.tasks.settings import Settings


def maintain(settings: Settings, keep_days: float) -> dict[str, int]:
    """Run every maintenance step in order; returns how many items each step touched."""
    con = catalog.connect(settings)
    try:
        cutoff = datetime.now(UTC) - timedelta(days=keep_days)
        con.execute(f"CALL ducklake_merge_adjacent_files({quoted(catalog.LAKE)})")
        # Counted after the compaction, which commits a snapshot of its own.
        before = con.execute("SELECT count(*) FROM lake.snapshots()").fetchone()[0]
        # DuckLake never expires the latest snapshot (what readers see), however old it is.
        con.execute(
            f"CALL ducklake_expire_snapshots({quoted(catalog.LAKE)}, older_than => ?)", [cutoff]
        )
        cleaned = con.execute(
            f"CALL ducklake_cleanup_old_files({quoted(catalog.LAKE)}, cleanup_all => true)"
        ).fetchall()
        orphans = con.execute(
            f"CALL ducklake_delete_orphaned_files({quoted(catalog.LAKE)}, cleanup_all => true)"
        ).fetchall()
        after = con.execute("SELECT count(*) FROM lake.snapshots()").fetchone()[0]
    finally:
        con.close()
    return {
        "snapshots expired": before - after,
        "old files deleted": len(cleaned),
        "orphaned files deleted": len(orphans),
    }
