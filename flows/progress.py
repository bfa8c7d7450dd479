"""A progress bar per host while live sources are fetched (on a terminal; in logs, a line per
host when it is done). The crawl calls `update(host, done, total)` (tasks/ingest/fetch/crawl.py)."""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


@contextlib.contextmanager
def per_host(log: logging.Logger | logging.LoggerAdapter) -> Iterator[Callable]:
    console = Console(file=sys.stderr)
    bars: dict[str, int] = {}
    lock = threading.Lock()
    progress = Progress(
        TextColumn("fetch {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
    )

    def update(host: str, done: int, total: int) -> None:
        with lock:
            if host not in bars:
                bars[host] = progress.add_task(host, total=total)
            progress.update(bars[host], completed=done, total=total)
        if done == total and total:
            log.info("fetched %s: %d of %d pages asked for", host, done, total)

    with progress:
        yield update
