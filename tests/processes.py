"""Process trees from /proc, for the tests that prove no process outlives its run."""

from __future__ import annotations

from pathlib import Path


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
