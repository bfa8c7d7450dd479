"""The maintenance flow: schedulable like the main one (`vnnews serve --maintain-cron ...`)."""

from __future__ import annotations

from prefect import flow, get_run_logger, runtime

from vnnews.tasks.lake.lock import writer_lock
from vnnews.tasks.lake.maintain import maintain
from vnnews.tasks.settings import load_settings


@flow(name="vnnews-maintenance")
def maintenance(data_dir: str | None = None, keep_days: float = 30.0) -> dict[str, int]:
    """Orphan cleanup, compaction and snapshot expiry, holding the lake's writer lock."""
    settings = load_settings(data_dir=data_dir)
    log = get_run_logger()
    run_id = str(runtime.flow_run.id or "maintenance")
    with writer_lock(settings.data_dir, run_id, settings.lock_timeout, log.info):
        done = maintain(settings, keep_days)
    log.info("maintenance of %s: %s", settings.lake_label, done)
    return done
