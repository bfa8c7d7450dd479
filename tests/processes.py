"""Child processes in tests: their trees from /proc (to prove none outlives its run), and
reading their output with a time limit."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, start time) of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1]), int(fields[19])


def descendants(root: int) -> dict[int, int]:
    """Every process below `root`: pid -> start time (so a reused pid is not mistaken)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))):
            children.setdefault(stat[1], []).append(int(entry.name))
    found, todo = {}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if (stat := _stat(child)) and child not in found:
                found[child] = stat[2]
                todo.append(child)
    return found


def alive(family: dict[int, int]) -> list[int]:
    """The processes of `family` still running (zombies count as gone)."""
    still = []
    for pid, started in family.items():
        stat = _stat(pid)
        if stat and stat[2] == started and stat[0] != "Z":
            still.append(pid)
    return still


def read_until(stream: IO[str], found: Callable[[str], bool], timeout: float) -> str:
    """A child's output, line by line, until `found(output so far)` or `timeout` seconds. The
    lines are read by a thread, so a child that goes silent cannot hang the test in readline();
    the thread keeps draining the pipe afterwards, so the child never blocks on a full one."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in iter(stream.readline, ""):
            lines.put(line)
        lines.put(None)  # end of output: the child closed it or exited

    threading.Thread(target=pump, daemon=True).start()
    text, deadline = "", time.monotonic() + timeout
    while not found(text) and (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            break
        text += line
    return text
