"""Run a stage function over parts of a batch in worker processes.

The CRF models are loaded once per worker process (they are cached per process) and the pool is
kept for the life of the run, so a run pays the start-up once, not once per batch. With one
worker everything runs in this process.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import cache

import pyarrow as pa

PARTS_PER_WORKER = 4
WATCH_SECONDS = 1.0


def _exit_with_parent(parent: int) -> None:
    """In each worker: exit as soon as the process that started it is gone (killed with -9, say),
    instead of living on as an orphan holding its models in memory."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="watch-parent").start()


@cache
def _pool(workers: int) -> ProcessPoolExecutor:
    # "spawn": the flow runs Prefect's threads, and forking a threaded process is unsafe.
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_exit_with_parent,
        initargs=(os.getpid(),),
    )
    atexit.register(pool.shutdown, cancel_futures=True)
    return pool


def warm_up(workers: int, load: Callable) -> None:
    """Start the worker processes now and have each run `load` (its models), without waiting:
    the run goes on with its other stages while they start."""
    if workers > 1:
        pool = _pool(workers)
        for _ in range(workers):
            pool.submit(load)


def split(table: pa.Table, parts: int) -> list[pa.Table]:
    """Contiguous slices of about equal size, none empty (an empty table is one slice)."""
    if table.num_rows == 0:
        return [table]
    parts = max(1, min(parts, table.num_rows))
    size = -(-table.num_rows // parts)
    return [table.slice(i, size) for i in range(0, table.num_rows, size)]


def map_tables(fn: Callable, table: pa.Table, workers: int) -> list:
    """fn(part) for each part of the table, in order; in `workers` processes when > 1.

    With several workers the table is cut in a few parts per worker, so that a worker that drew
    short documents takes another part instead of idling while another finishes long ones.
    """
    if workers <= 1:
        return [fn(table)]
    parts = split(table, workers * PARTS_PER_WORKER)
    if len(parts) == 1:
        return [fn(parts[0])]
    return list(_pool(workers).map(fn, parts))
