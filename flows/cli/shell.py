"""The interactive prompt of `vnnews sql` with no query: SQL over several lines, every
statement's result, dot-commands (dotcommands.py), Ctrl-C that stops a query or clears the line
and keeps the prompt, and a history kept under the data dir."""

from __future__ import annotations

import contextlib
from pathlib import Path

from vnnews.flows.cli.console import console
from vnnews.flows.cli.dotcommands import Quit, ShellState, dot
from vnnews.flows.cli.render import render
from vnnews.flows.cli.statements import Interrupted, interruptible
from vnnews.tasks.lake import sandbox
from vnnews.tasks.settings import Settings

HISTORY = ".sql_history"  # under the data dir: each lake its own


def show(box: sandbox.Sandbox, sql: str, state: ShellState) -> bool:
    """Run and print every statement of `sql`; False when one failed or was stopped."""
    try:
        for result in interruptible(box, sql, state.max_rows):
            render(result, state.mode, state.max_width, state.timer)
    except Interrupted:
        console.print("Interrupted.", style="yellow")
        return False
    except Exception as exc:  # keep the prompt alive whatever the query did
        console.print(f"{exc}{sandbox.permission_hint(exc)}", style="red", markup=False)
        return False
    return True


@contextlib.contextmanager
def _history(path: Path):
    try:
        import readline  # line editing and history for input()
    except ImportError:
        yield
        return
    with contextlib.suppress(OSError):
        readline.read_history_file(path)
    readline.set_history_length(2000)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):  # a read-only data dir: no history, no error
            readline.write_history_file(path)


def _dot(box: sandbox.Sandbox, line: str, state: ShellState) -> None:
    try:
        sql, message = dot(line, state)
    except ValueError as exc:
        console.print(str(exc), style="red", markup=False)
        return
    if message:
        console.print(message, markup=False, highlight=False)
    if sql:
        show(box, sql, state)


def interactive(
    box: sandbox.Sandbox, settings: Settings, state: ShellState, snapshot: int | None = None
) -> None:
    """Read statements from the prompt into the sandbox; the caller closes it."""
    version = f" at snapshot {snapshot}" if snapshot is not None else ""
    console.print(f"vnnews sql on {settings.lake_label}{version} (read-only). .help for help.")
    buffer: list[str] = []
    with _history(settings.data_dir / HISTORY):
        while True:
            try:
                line = input("vnnews> " if not buffer else "   ...> ")
            except EOFError:
                console.print()
                break
            except KeyboardInterrupt:  # clears the line being typed, as in a shell
                console.print("^C")
                buffer = []
                continue
            stripped = line.strip()
            if not buffer and stripped.startswith("."):
                try:
                    _dot(box, stripped, state)
                except Quit:
                    break
                continue
            if stripped:
                buffer.append(line)
            if buffer and stripped.endswith(";"):
                statement, buffer = "\n".join(buffer), []
                show(box, statement, state)
