"""Running what a user types into `vnnews sql`: every statement, each result kept up to a row
limit (the rest counted, not held), and Ctrl-C stopping the query instead of the program."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import duckdb

from vnnews.tasks.lake.sandbox import Sandbox


@dataclass
class Result:
    statement: str
    columns: list[str]
    rows: list[tuple]
    more: int = 0  # rows past the limit: counted, not kept
    seconds: float = 0.0


class Interrupted(Exception):
    """Ctrl-C stopped a query; the prompt goes on."""


def _one(box: Sandbox, statement: duckdb.Statement, max_rows: int | None) -> Result:
    started = time.perf_counter()
    cursor = box.con.execute(statement)  # the judged statement itself, not its text again
    text = statement.query.strip()
    if not cursor.description:
        return Result(text, [], [], seconds=time.perf_counter() - started)
    columns = [d[0] for d in cursor.description]
    rows: list[tuple] = []
    total = 0
    # Arrow batches: a million rows past the limit are counted without becoming Python objects.
    for batch in cursor.fetch_record_batch(10_000):
        room = batch.num_rows if max_rows is None else max(0, max_rows - len(rows))
        if room:
            rows += [tuple(r.values()) for r in batch.slice(0, room).to_pylist()]
        total += batch.num_rows
    return Result(text, columns, rows, total - len(rows), time.perf_counter() - started)


def run_all(box: Sandbox, sql: str, max_rows: int | None = None) -> list[Result]:
    """Check the whole text (Refused if any of it reaches past the lake), then run each
    statement: a result each. Raises duckdb.Error on the first that fails."""
    return [_one(box, statement, max_rows) for statement in box.check(sql)]


def interruptible(box: Sandbox, sql: str, max_rows: int | None = None) -> list[Result]:
    """run_all in a worker thread: Ctrl-C interrupts DuckDB (con.interrupt) and raises
    Interrupted here, with the connection ready for the next query."""
    outcome: dict = {}
    # Waited on with an Event, not Thread.join: on Python 3.11 a join that Ctrl-C interrupts
    # leaves the thread marked as stopped while it still runs.
    done = threading.Event()

    def work() -> None:
        try:
            outcome["results"] = run_all(box, sql, max_rows)
        except BaseException as exc:  # handed to the main thread
            outcome["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, daemon=True).start()
    try:
        while not done.wait(0.1):
            pass
    except KeyboardInterrupt:
        # Again until the worker is done: an interrupt that comes before DuckDB has started
        # the query (the worker still checking the text, a slow machine) would be lost.
        while not done.is_set():
            box.con.interrupt()
            done.wait(0.1)
        raise Interrupted from None
    if isinstance(error := outcome.get("error"), duckdb.InterruptException):
        raise Interrupted from error
    if error is not None:
        raise error
    return outcome["results"]
