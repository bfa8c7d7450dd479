"""The `vnnews` command."""

from __future__ import annotations

import glob
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tasks.settings import quiet_telemetry

app = typer.Typer(
    help=(
        "vnnews: Vietnamese news articles in, a versioned, validated, queryable corpus out.\n\n"
        "Typical use:  vnnews run  (process seeds/ into data/),  then  "
        'vnnews sql "SELECT type, text FROM entities LIMIT 10".'
    ),
    no_args_is_help=True,
    add_completion=False,
)

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Where the lake, Parquet files and reports live. Default: $VNNEWS_DATA_DIR or data/.",
    ),
]


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


@app.command()
def run(
    source: Annotated[
        list[Path] | None,
        typer.Option(
            "--source",
            "-s",
            help="Article file, directory or glob (repeatable): .txt, .html, .jsonl, "
            "each optionally .gz. Default: seeds/.",
        ),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Run the whole flow (ingest, clean, tokenise, extract, publish) and print a summary.

    Exit code 0 when the run was published, 2 when validation blocked publishing, 1 on error.
    """
    for path in source or []:
        if not path.exists() and not glob.glob(str(path), recursive=True):
            message = f"--source {path}: no such file or directory, and no file matches it."
            typer.secho(message, fg="red", err=True)
            raise typer.Exit(1)
    quiet_telemetry()
    from flows.console import print_summary
    from flows.pipeline import pipeline

    state = pipeline(
        sources=[str(p) for p in source or []] or None,
        data_dir=str(data_dir) if data_dir else None,
        return_state=True,
    )
    summary = state.result(raise_on_failure=False)
    if isinstance(summary, BaseException):
        typer.secho(f"The run failed: {summary}", fg="red", err=True)
        raise typer.Exit(1)
    print_summary(summary)
    raise typer.Exit(0 if summary.status == "published" else 2)


@app.command()
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
    """Read-only SQL over the published tables (documents, sentences, tokens, entities, dates,
    quantities, quotes, keywords, rejects, runs). Inside SQL, one table at a past version:
    SELECT * FROM documents AT (VERSION => 1)."""
    from flows.console import print_rows
    from tasks import history, lake
    from tasks.settings import load_settings

    settings = load_settings(data_dir=data_dir)
    try:
        snapshot = history.resolve(settings, as_of) if as_of else None
        if query is not None:
            print_rows(*lake.query(settings, query, snapshot=snapshot), fmt.value)
            return
        from flows.shell import interactive

        interactive(settings, fmt.value, snapshot)
    except (lake.LakeMissing, history.UnknownVersion) as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from exc
    except Exception as exc:  # a SQL error is the user's to fix: show it plainly
        if type(exc).__module__.startswith(("duckdb", "_duckdb")):
            typer.secho(f"SQL error: {exc}", fg="red", err=True)
            raise typer.Exit(1) from exc
        raise


@app.command()
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


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="Earlier version: run id, snapshot or time.")],
    new: Annotated[str, typer.Argument(help="Later version: run id, snapshot or time.")],
    data_dir: DataDir = None,
    fmt: FormatOption = Format.table,
) -> None:
    """What changed from OLD to NEW: documents, entities and rejects inserted or deleted."""
    from flows.console import print_rows
    from tasks import history, lake
    from tasks.settings import load_settings

    try:
        print_rows(*history.diff(load_settings(data_dir=data_dir), old, new), fmt.value)
    except (lake.LakeMissing, history.UnknownVersion) as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from exc


@app.command()
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
    from tasks import lake
    from tasks.report import write_reports
    from tasks.report_data import UnknownRun
    from tasks.settings import load_settings

    settings = load_settings(data_dir=data_dir)
    try:
        page = write_reports(settings, run_id)
    except (lake.LakeMissing, UnknownRun) as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"report: {page}\nindex:  {settings.reports_dir / 'index.html'}")


@app.command()
def maintain(
    data_dir: DataDir = None,
    keep_days: Annotated[
        float, typer.Option(help="Keep snapshots (time travel) this many days; the latest always.")
    ] = 30.0,
) -> None:
    """Clean up after crashed runs (orphaned files), compact small files, expire old snapshots."""
    quiet_telemetry()
    from flows.maintenance import maintenance
    from tasks import lake
    from tasks.settings import load_settings

    if not lake.exists(load_settings(data_dir=data_dir)):
        typer.secho("No lake to maintain there yet; run `vnnews run` first.", fg="red", err=True)
        raise typer.Exit(1)
    done = maintenance(data_dir=str(data_dir) if data_dir else None, keep_days=keep_days)
    for what, count in done.items():
        typer.echo(f"{what}: {count}")


Input = Annotated[
    Path, typer.Option("--input", "-i", help='JSONL, one {"id": ..., "text": "..."} per line.')
]
Output = Annotated[Path, typer.Option("--output", "-o", help="JSONL to write, one line per input.")]
Workers = Annotated[
    int | None, typer.Option(help="Processes to use. Default: $VNNEWS_WORKERS or all cores.")
]


@app.command()
def tokenize(input: Input, output: Output, workers: Workers = None) -> None:
    """Sentences, words and POS tags for each text of a JSONL file (outside the flow)."""
    from flows.batch_cli import run_batch

    run_batch("tokenize", input, output, workers)


@app.command()
def extract(input: Input, output: Output, workers: Workers = None) -> None:
    """Entities (type, text, normalized, start, end), dates, quantities, quotes and keywords
    for each text of a JSONL file (outside the flow)."""
    from flows.batch_cli import run_batch

    run_batch("extract", input, output, workers)


@app.command()
def serve(
    cron: Annotated[str, typer.Option(help='Cron schedule, e.g. "0 * * * *" for hourly.')],
    source: Annotated[
        list[Path] | None, typer.Option("--source", "-s", help="Article file or directory.")
    ] = None,
    data_dir: DataDir = None,
    name: Annotated[str, typer.Option(help="Deployment name.")] = "vnnews-scheduled",
    maintain_cron: Annotated[
        str | None,
        typer.Option(help='Also serve `vnnews maintain` on this schedule, e.g. "0 3 * * 0".'),
    ] = None,
) -> None:
    """Serve the flow as a Prefect deployment on a cron schedule (runs until interrupted)."""
    quiet_telemetry()
    from prefect import serve as serve_all

    from flows.maintenance import maintenance
    from flows.pipeline import pipeline

    folder = str(data_dir.resolve()) if data_dir else None
    parameters = {"sources": [str(p.resolve()) for p in source or []] or None, "data_dir": folder}
    deployments = [pipeline.to_deployment(name=name, cron=cron, parameters=parameters)]
    if maintain_cron:
        deployments.append(
            maintenance.to_deployment(
                name=f"{name}-maintenance", cron=maintain_cron, parameters={"data_dir": folder}
            )
        )
    serve_all(*deployments)


if __name__ == "__main__":
    app()
