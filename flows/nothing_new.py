"""A run with nothing new to read: every source file was published before with the same bytes.

Such a run is decided before it pays for anything that only work needs (GX, the NLP workers
and their models, the report): its `runs` row, with the manifest of the files it found
unchanged, is published as one snapshot, and that is all. With no Prefect server up, this
happens before Prefect is even imported (flows/once.py); under a server it happens inside the
flow (flows/pipeline.py), so that the run shows in the UI as every run does.

Live sources and outlets are never "nothing new": only fetching them can tell.
"""

from __future__ import annotations

import sys
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from vnnews.tasks import tables
from vnnews.tasks.ingest import incremental
from vnnews.tasks.ingest.discover import describe_skipped, walk
from vnnews.tasks.lake import catalog, lineage, publish
from vnnews.tasks.lake.lock import writer_lock
from vnnews.tasks.lake.shared_lock import shared_writer_lock
from vnnews.tasks.reports.summary import RunSummary, StageCount
from vnnews.tasks.settings import Settings


@dataclass(frozen=True)
class NothingNew:
    n_files: int
    n_items: int  # the articles, records and refused items those files yielded when read
    manifest: list[dict]
    skipped: str  # "2 other files skipped (2 .csv)", or ""


def nothing_new(settings: Settings) -> NothingNew | None:
    """What the run would find unchanged, when that is all it would find; else None."""
    if settings.live_sources or settings.sources_file or not catalog.exists(settings):
        return None
    skipped: Counter = Counter()
    try:
        files = list(walk(settings.local_sources, skipped))
    except FileNotFoundError:
        return None  # the run itself says which source is missing
    if not files:
        return None
    published = catalog.read_table(settings, "files", tables.FILES)
    found = incremental.all_unchanged(files, published)
    if found is None:
        return None
    n_items, manifest = found
    return NothingNew(len(files), n_items, manifest, describe_skipped(skipped))


def record(settings: Settings, found: NothingNew, summary: RunSummary) -> RunSummary:
    """Publish the run's record, one snapshot of its `runs` row; the summary, filled in."""
    said = [f"0 files read, {found.n_files} unchanged not re-read", found.skipped]
    summary.stages.append(StageCount("ingest", found.n_items, 0, ", ".join(filter(None, said))))
    summary.n_in = summary.n_unchanged = found.n_items
    summary.status = "published"
    row = lineage.run_row(summary, settings, found.manifest)
    summary.snapshot_id = publish.publish(settings, {}, row, {})
    summary.finished_at = datetime.now(UTC)
    summary.reports = {"lake": settings.lake_label}
    return summary


def record_without_prefect(settings: Settings) -> RunSummary | None:
    """The whole run when there is nothing new, decided under the lake's writer lock; None
    when there is work (or a killed run to record), which is the flow's to do."""
    run_id = str(uuid.uuid4())
    lock = writer_lock(settings.data_dir, run_id, settings.lock_timeout, _say, pass_on_killed=True)
    with (
        lock as killed,
        shared_writer_lock(settings.catalog_uri, run_id, settings.lock_timeout, _say),
    ):
        if killed or not (found := _shortcut(settings)):
            return None
        sources = [str(s) for s in settings.sources]
        return record(settings, found, RunSummary(run_id, datetime.now(UTC), sources))


def _shortcut(settings: Settings) -> NothingNew | None:
    """nothing_new(), where an error (a catalog that cannot be read) only means "not known":
    the flow meets it again and reports it as a failed run, with Prefect's record of it."""
    try:
        return nothing_new(settings)
    except Exception:
        return None


def _say(message: str) -> None:
    print(message, file=sys.stderr)
