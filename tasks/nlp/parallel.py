"""Run a stage function over parts of a batch in worker processes.

The CRF models are loaded once per worker process (they are cached per process) and the pool is
kept for the life of the run, so a run pays the start-up once, not once per batch. With one
worker everything runs in this process, unless the work is to go on *aside*: then one worker is
a process of its own, and this process is free for other work meanwhile (a run reads and
cleans its next part while the NLP of the last one runs).
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
import pyarrow.compute as pc

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


def warm_up(workers: int, load: Callable, aside: bool = False) -> None:
    """Start the worker processes now and have each run `load` (its models), without waiting:
    the run goes on with its other stages while they start."""
    if workers > 1 or aside:
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


def map_tables(
    fn: Callable, table: pa.Table, workers: int, aside: bool = False, along: tuple = ()
) -> list:
    """fn(part, *its rows of each table in `along`) for each part of the table, in order; in
    `workers` processes when > 1 or when `aside`. The tables `along` are matched by doc_id.

    With several workers the table is cut in a few parts per worker, so that a worker that drew
    short documents takes another part instead of idling while another finishes long ones.
    """
    parts = split(table, workers * PARTS_PER_WORKER) if workers > 1 else [table]
    calls = [(part, *(_rows_of(other, part) for other in along)) for part in parts]
    if len(calls) == 1 and not aside:
        return [fn(*calls[0])]
    return list(_pool(workers).map(_Star(fn), calls))


def _rows_of(table: pa.Table, part: pa.Table) -> pa.Table:
    return table.filter(pc.is_in(table["doc_id"], part["doc_id"]))


class _Star:
    """fn(*args) from one argument: what a pool's map hands on (a lambda cannot be pickled)."""

    def __init__(self, fn: Callable):
        self.fn = fn

    def __call__(self, args: tuple):
        return self.fn(*args)
