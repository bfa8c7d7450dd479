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
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor

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


_pools: dict[int, ProcessPoolExecutor] = {}


def _pool(workers: int, method: str = "spawn") -> ProcessPoolExecutor:
    """The pool of `workers` processes, started on first use and kept for the process's life.
    "spawn" by default: the flow runs Prefect's threads, and forking a threaded process is
    unsafe."""
    if workers not in _pools:
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context(method),
            initializer=_exit_with_parent,
            initargs=(os.getpid(),),
        )
        atexit.register(pool.shutdown, cancel_futures=True)
        _pools[workers] = pool
    return _pools[workers]


def start_forked(workers: int, load: Callable) -> bool:
    """For a process that runs no thread but its main one (a command, not the flow): `load`
    here, then the workers forked from this process, sharing what it loaded. A spawned worker
    imports the NLP stack and loads the models again, seconds each; a forked one starts with
    them. Whether it could; if not, the pool is spawned when first used."""
    if (
        workers < 2
        or workers in _pools
        or threading.active_count() > 1
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return False
    load()
    pool = _pool(workers, "fork")
    pool.submit(os.getpid).result()  # a fork pool starts all its workers on its first task
    return True


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
    return list(submit_tables(fn, table, workers, aside, along))


def submit_tables(
    fn: Callable, table: pa.Table, workers: int, aside: bool = False, along: tuple = ()
) -> Iterable:
    """map_tables, with the parts handed to the workers now and their answers, in order, as
    they are iterated: the caller can hand on more work before it waits. In this process (one
    part, not `aside`) the answers are computed now."""
    parts = split(table, workers * PARTS_PER_WORKER) if workers > 1 else [table]
    calls = [(part, *(_rows_of(other, part) for other in along)) for part in parts]
    if len(calls) == 1 and not aside:
        return [fn(*calls[0])]
    return _pool(workers).map(_Star(fn), calls)


def _rows_of(table: pa.Table, part: pa.Table) -> pa.Table:
    return table.filter(pc.is_in(table["doc_id"], part["doc_id"]))


class _Star:
    """fn(*args) from one argument: what a pool's map hands on (a lambda cannot be pickled)."""

    def __init__(self, fn: Callable):
        self.fn = fn

    def __call__(self, args: tuple):
        return self.fn(*args)
