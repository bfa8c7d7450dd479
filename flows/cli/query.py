"""`vnnews sql`, `runs`, `diff` and `report`: reading the lake, now or as it was."""

from __future__ import annotations

from typing import Annotated

import typer

from vnnews.flows.cli.options import DataDir, Format, FormatOption
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
) -> None:
    """Read-only SQL over the published tables: {tables}. Inside SQL, one table at a past
    version: SELECT * FROM documents AT (VERSION => 1)."""
    from vnnews.flows.cli.console import print_rows
    from vnnews.tasks.lake import catalog, history
    from vnnews.tasks.settings import load_settings

    settings = load_settings(data_dir=data_dir)
    try:
        snapshot = history.resolve(settings, as_of) if as_of else None
        if query is not None:
            print_rows(*catalog.query(settings, query, snapshot=snapshot), fmt.value)
            return
        from vnnews.flows.cli.shell import interactive

        interactive(settings, fmt.value, snapshot)
    except (catalog.LakeMissing, history.UnknownVersion) as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from exc
    except Exception as exc:  # a SQL error is the user's to fix: show it plainly
        if type(exc).__module__.startswith(("duckdb", "_duckdb")):
            typer.secho(f"SQL error: {exc}", fg="red", err=True)
            raise typer.Exit(1) from exc
        raise


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
