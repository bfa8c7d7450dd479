"""`vnnews sql`, `runs`, `diff` and `report`: reading the lake, now or as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import duckdb
import typer

from vnnews.flows.cli.options import DataDir, Format, FormatOption, fail
from vnnews.tasks.tables import PUBLISHED


def sql(
    query: Annotated[
        str | None, typer.Argument(help="SQL to run. Leave out for an interactive prompt.")
    ] = None,
    data_dir: DataDir = None,
    fmt: FormatOption = Format.table,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="See the lake as it was: a snapshot number, a run id, or a time "
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
) -> None:
    """Read-only SQL over the published tables: {tables}. Inside SQL, one table at a past
    version: SELECT * FROM documents AT (VERSION => 1).

    The SQL reads the lake and nothing else: ATTACH, DETACH, COPY, INSTALL, LOAD, writes and
    table functions that reach past the lake (sqlite_scan, query, ...) are refused, and no
    file outside the lake can be read unless its folder is named with --allow-path.
    """
    from vnnews.flows.cli.console import print_rows
    from vnnews.tasks.lake import catalog, history, sandbox
    from vnnews.tasks.settings import load_settings

    settings = load_settings(data_dir=data_dir)
    try:
        snapshot = history.resolve(settings, as_of) if as_of else None
        box = sandbox.open_sandbox(settings, snapshot, allow_path or ())
    except (catalog.LakeMissing, history.UnknownVersion, NotADirectoryError) as exc:
        fail(exc)
    try:
        if query is None:
            from vnnews.flows.cli.shell import interactive

            interactive(box, settings, fmt.value, snapshot)
            return
        print_rows(*box.run(query), fmt.value)
    except sandbox.Refused as exc:
        fail(f"Refused: {exc}")
    except duckdb.Error as exc:  # a SQL error is the user's to fix: show it plainly
        fail(f"SQL error: {exc}" + sandbox.permission_hint(exc))
    finally:
        box.close()


# The table list comes from the schema registry, so the help cannot miss one.
sql.__doc__ = sql.__doc__.format(tables=", ".join([*PUBLISHED, "runs"]))


def runs(data_dir: DataDir = None, fmt: FormatOption = Format.table) -> None:
    """List the runs: when, status, documents in / published (of which new versions of earlier
    articles: replaced) / rejected / unchanged, and their snapshot."""
    sql(
        "SELECT run_id, snapshot_id, strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started_utc, "
        "round(epoch(finished_at - started_at), 1) AS seconds, status, n_in, n_published, "
        "n_replaced, n_rejected, n_unchanged FROM runs ORDER BY snapshot_id",
        data_dir,
        fmt,
    )


def diff(
    old: Annotated[str, typer.Argument(help="Earlier version: run id, snapshot or time.")],
    new: Annotated[str, typer.Argument(help="Later version: run id, snapshot or time.")],
    data_dir: DataDir = None,
    fmt: FormatOption = Format.table,
) -> None:
    """What changed from OLD to NEW: documents, entities and rejects inserted or deleted."""
    from vnnews.flows.cli.console import print_rows
    from vnnews.tasks.lake import catalog, history
    from vnnews.tasks.settings import load_settings

    try:
        print_rows(*history.diff(load_settings(data_dir=data_dir), old, new), fmt.value)
    except (catalog.LakeMissing, history.UnknownVersion) as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from exc


def report(
    run_id: Annotated[
        str | None, typer.Argument(help="The run to report on (`vnnews runs`). Default: latest.")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Write a run's HTML report and the index of all runs under <data dir>/reports/.

    The page shows the document funnel, drop reasons, validation per stage with links into
    the Data Docs, quarantined rows, top entities and time per stage. It needs no network:
    open it from disk, or copy the reports/ folder elsewhere.
    """
    from vnnews.tasks.lake import catalog
    from vnnews.tasks.reports.pages import write_reports
    from vnnews.tasks.reports.run_data import UnknownRun
    from vnnews.tasks.settings import load_settings

    settings = load_settings(data_dir=data_dir)
    try:
        page = write_reports(settings, run_id)
    except (catalog.LakeMissing, UnknownRun) as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"report: {page}\nindex:  {settings.reports_dir / 'index.html'}")
