"""The interactive prompt of `vnnews sql` with no query."""

from __future__ import annotations

import contextlib

from vnnews.flows.cli.console import console, print_rows
from vnnews.tasks.lake import catalog
from vnnews.tasks.settings import Settings

HELP = """Type SQL ending with ';' (it may span lines). Commands:
  .tables   list the published tables
  .help     this text
  .quit     leave (Ctrl-D works too)"""


def interactive(settings: Settings, fmt: str, snapshot: int | None = None) -> None:
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401  (line editing and history for input())
    con = catalog.connect(settings, read_only=True, snapshot=snapshot)
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
            cursor = con.execute(statement)
            columns = [d[0] for d in cursor.description or []]
            print_rows(columns, cursor.fetchall() if columns else [], fmt)
        except Exception as exc:  # keep the prompt alive whatever the query did
            console.print(f"[red]{exc}[/red]")
    con.close()
