"""`vnnews runs`, `diff` and `report`: the lake's runs, what changed, and a run's page."""

from __future__ import annotations

from typing import Annotated

import typer

from vnnews.flows.cli.options import DataDir, Format, FormatOption, fail


def runs(data_dir: DataDir = None, fmt: FormatOption = Format.table) -> None:
    """List the runs: when, status, documents in / published (of which new versions of earlier
    articles: replaced) / rejected / unchanged, and their snapshot.

    The table shows each run id's first 8 characters, which every command accepts (--as-of,
    report, diff); CSV and JSON give them whole."""
    from vnnews.flows.cli.console import print_rows
    from vnnews.tasks.lake import catalog
    from vnnews.tasks.settings import load_settings

    short = fmt is Format.table
    run = "left(run_id, 8) AS run" if short else "run_id"
    names = RUN_HEADS if short else RUN_COLUMNS
    sql = (
        f"SELECT {run}, snapshot_id, strftime(started_at, '%Y-%m-%d %H:%M:%S'), "
        "round(epoch(finished_at - started_at), 1), status, n_in, n_published, n_replaced, "
        "n_rejected, n_unchanged FROM runs ORDER BY snapshot_id"
    )
    try:
        _, rows = catalog.query(load_settings(data_dir=data_dir), sql)
    except catalog.LakeMissing as exc:
        fail(exc)
    print_rows(list(names), rows, fmt.value, compact=short)


RUN_COLUMNS = ("run_id", "snapshot_id", "started_utc", "seconds", "status", "n_in",
               "n_published", "n_replaced", "n_rejected", "n_unchanged")  # fmt: skip
# The same, short enough for 80 columns.
RUN_HEADS = ("run", "snap", "started (UTC)", "secs", "status", "in", "publ", "repl", "rej", "unch")


VERSION = "a run id (or its first characters), a snapshot number or a time"


def diff(
    old: Annotated[str, typer.Argument(help=f"Earlier version: {VERSION}.")],
    new: Annotated[str, typer.Argument(help=f"Later version: {VERSION}.")],
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
        str | None,
        typer.Argument(
            help="The run: its id or first characters (`vnnews runs`). Default: latest."
        ),
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
