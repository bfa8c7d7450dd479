"""`vnnews sql`: read-only SQL over the lake, one query or a prompt (shell.py), now or as the
lake was; or the script that opens the lake in plain DuckDB."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import duckdb
import typer

from vnnews.flows.cli.options import DataDir, Format, FormatOption, announce_indexing, fail
from vnnews.tasks.tables import PUBLISHED

if TYPE_CHECKING:
    from vnnews.flows.cli.dotcommands import ShellState
    from vnnews.tasks.lake.sandbox import Sandbox


def sql(
    query: Annotated[
        str | None,
        typer.Argument(
            help="SQL to run (several statements: each result shown), or a dot-command: "
            ".tables, .schema [TABLE], .help. Leave out for an interactive prompt."
        ),
    ] = None,
    data_dir: DataDir = None,
    fmt: FormatOption = Format.table,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="See the lake as it was: a snapshot number, a run id (or its first "
            "characters, as `vnnews runs` shows them), or a time "
            "(2025-03-20T14:00, the last snapshot by then).",
        ),
    ] = None,
    allow_path: Annotated[
        list[Path] | None,
        typer.Option(
            "--allow-path",
            help="A folder your SQL may also read and write: read_csv('DIR/x.csv') to join "
            "your own files, COPY (SELECT ...) TO 'DIR/out.parquet' to export. Repeatable.",
        ),
    ] = None,
    max_rows: Annotated[
        int | None,
        typer.Option(
            "--max-rows",
            help="Rows shown per result; the rest are counted (… N more rows). 0: all. "
            "Default: 40 as a table, all as CSV or JSON.",
            min=0,
        ),
    ] = None,
    max_width: Annotated[
        int, typer.Option("--max-width", help="Characters per column in a table; cut with …", min=5)
    ] = 40,
    print_attach: Annotated[
        bool,
        typer.Option(
            "--print-attach",
            help="Print the SQL that opens this lake in plain DuckDB (Python or command line, "
            "offline, read-only) and exit: duckdb -init FILE, or con.execute(script).",
        ),
    ] = False,
) -> None:
    """Read-only SQL over the published tables: {tables}. Inside SQL, one table at a past
    version: SELECT * FROM documents AT (VERSION => 1).

    The SQL reads the lake and nothing else: ATTACH, DETACH, COPY, INSTALL, LOAD, writes and
    table functions that reach past the lake (sqlite_scan, query, ...) are refused, and no
    file outside the lake can be read unless its folder is named with --allow-path.
    """
    from vnnews.flows.cli.dotcommands import ShellState
    from vnnews.tasks.lake import catalog, history, sandbox
    from vnnews.tasks.settings import load_settings

    settings = load_settings(data_dir=data_dir)
    if print_attach:
        from vnnews.tasks.lake.attach import attach_script

        if not catalog.exists(settings):
            fail(f"No lake at {settings.lake_label} yet. Run `vnnews run` first.")
        typer.echo(attach_script(settings), nl=False)
        return
    try:
        snapshot = history.readable(settings, as_of) if as_of else None
        announce_indexing(settings, history.latest(settings) if snapshot is None else snapshot)
        box = sandbox.open_sandbox(settings, snapshot, allow_path or ())
    except (catalog.LakeMissing, history.UnknownVersion, NotADirectoryError) as exc:
        fail(exc)
    limit = (40 if fmt is Format.table else None) if max_rows is None else (max_rows or None)
    state = ShellState(mode=fmt.value, max_rows=limit, max_width=max(5, max_width))
    try:
        if query is None:
            from vnnews.flows.cli.shell import interactive

            interactive(box, settings, state, snapshot)
            return
        _one_shot(box, query, state)
    except sandbox.Refused as exc:
        fail(f"Refused: {exc}")
    except duckdb.Error as exc:  # a SQL error is the user's to fix: show it plainly
        fail(f"SQL error: {exc}" + sandbox.permission_hint(exc))
    finally:
        box.close()


def _one_shot(box: Sandbox, query: str, state: ShellState) -> None:
    """`vnnews sql "..."`: a dot-command, or SQL whose every statement's result is shown."""
    from vnnews.flows.cli.dotcommands import Quit, dot
    from vnnews.flows.cli.render import render
    from vnnews.flows.cli.statements import run_all

    command = query.strip()
    if command.startswith("."):
        try:
            sql, message = dot(command, state)
        except (ValueError, Quit) as exc:
            fail(str(exc) or "Nothing to do outside the prompt.")
        if sql is None and command.startswith(".help"):
            typer.echo(message)
            return
        if sql is None:
            fail(f"{command} sets the prompt; here use --format, --max-rows or --max-width.")
        query = sql
    for result in run_all(box, query, state.max_rows):
        render(result, state.mode, state.max_width)


# The table list comes from the schema registry, so the help cannot miss one.
sql.__doc__ = sql.__doc__.format(tables=", ".join([*PUBLISHED, "runs"]))
