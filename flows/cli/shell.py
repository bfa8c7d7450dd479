"""The interactive prompt of `vnnews sql` with no query."""

from __future__ import annotations

import contextlib

from vnnews.flows.cli.console import console, print_rows
from vnnews.tasks.lake import sandbox
from vnnews.tasks.settings import Settings

HELP = """Type SQL ending with ';' (it may span lines). Commands:
  .tables   list the published tables
  .help     this text
  .quit     leave (Ctrl-D works too)
It reads the lake and nothing else: SELECT, DESCRIBE, SUMMARIZE, EXPLAIN. To read or write
your own files, start it with --allow-path DIR."""


def interactive(
    box: sandbox.Sandbox, settings: Settings, fmt: str, snapshot: int | None = None
) -> None:
    """Read statements from the prompt into the sandbox; the caller closes it."""
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401  (line editing and history for input())
    version = f" at snapshot {snapshot}" if snapshot is not None else ""
    console.print(f"vnnews sql on {settings.lake_label}{version} (read-only). .help for help.")
    buffer: list[str] = []
    while True:
        try:
            line = input("vnnews> " if not buffer else "   ...> ")
        except (EOFError, KeyboardInterrupt):
            console.print()
            break
        stripped = line.strip()
        if not buffer and stripped in (".quit", ".exit"):
            break
        if not buffer and stripped == ".help":
            console.print(HELP)
            continue
        if not buffer and stripped == ".tables":
            stripped = "SHOW TABLES;"
        buffer.append(stripped)
        if not stripped.endswith(";"):
            continue
        statement, buffer = "\n".join(buffer), []
        try:
            print_rows(*box.run(statement), fmt)
        except Exception as exc:  # keep the prompt alive whatever the query did
            console.print(f"{exc}{sandbox.permission_hint(exc)}", style="red", markup=False)
