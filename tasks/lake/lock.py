"""One writer per lake: an exclusive lock file in the data dir, waited for with a timeout
(runs on other machines sharing a PostgreSQL catalog also take shared_lock.py's lock).

Readers take no lock: with the SQLite (or PostgreSQL) catalog they read the last committed
snapshot while a writer's transaction is open.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

POLL_SECONDS = 0.5


class LockTimeout(RuntimeError):
    pass


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "another vnnews run"
    run, pid, since = (info.get(k, "?") for k in ("run_id", "pid", "since"))
    return f"run {run} (pid {pid}, since {since})"


def _left_behind(text: str) -> dict | None:
    try:
        info = json.loads(text) if text.strip() else None
    except ValueError:
        return None
    return info if isinstance(info, dict) and info.get("run_id") else None


@contextmanager
def writer_lock(
    data_dir: Path, run_id: str, timeout: float, log=None, pass_on_killed: bool = False
) -> Iterator[dict | None]:
    """Hold the lake's writer lock for the block; wait up to `timeout` seconds for it.

    Yields the record a previous holder left behind, if one did: a holder that ended normally
    clears it, so one that is still there is a run that was killed (its run_id, pid, since).
    With `pass_on_killed`, that record is left for the next holder (the flow, which records
    the killed run) instead of being cleared."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / ".writer.lock"
    with path.open("a+", encoding="utf-8") as fh:
        deadline = time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"{_holder(path)} is writing to {data_dir}; gave up after {timeout:.0f} s. "
                        "Try again when it has finished, or raise VNNEWS_LOCK_TIMEOUT."
                    ) from None
                if log and not told:
                    log(f"{_holder(path)} is writing to {data_dir}; waiting up to {timeout:.0f} s")
                    told = True
                time.sleep(POLL_SECONDS)
        fh.seek(0)
        left = _left_behind(fh.read())
        fh.seek(0)
        fh.truncate()
        since = datetime.now(UTC).isoformat(timespec="seconds")
        fh.write(json.dumps({"run_id": run_id, "pid": os.getpid(), "since": since}))
        fh.flush()
        try:
            yield left
        finally:
            fh.seek(0)
            fh.truncate()
            if pass_on_killed and left:
                fh.write(json.dumps(left))
                fh.flush()
            fcntl.flock(fh, fcntl.LOCK_UN)
