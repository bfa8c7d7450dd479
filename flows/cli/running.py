"""`vnnews run` and `vnnews maintain`: the flows, now."""

from __future__ import annotations

import glob
from pathlib import Path
from typing import Annotated

import typer

from vnnews.flows.cli.options import DataDir, fail
from vnnews.tasks.settings import quiet_telemetry


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
            fail(f"--source {path}: no such file or directory, and no file matches it.")
    quiet_telemetry()
    from vnnews.flows.cli.console import print_summary
    from vnnews.flows.pipeline import run_once
    from vnnews.flows.server import ServerFailed

    def tell(api) -> None:
        if not api.started_here:
            typer.echo(f"Prefect: this run shows in the UI at {api.ui}")

    try:
        summary = run_once(
            sources=[str(p) for p in source or []] or None,
            data_dir=str(data_dir) if data_dir else None,
            tell=tell,
        )
    except ServerFailed as exc:
        fail(exc)
    if isinstance(summary, BaseException):
        fail(f"The run failed: {summary}")
    print_summary(summary)
    raise typer.Exit(0 if summary.status == "published" else 2)


def maintain(
    data_dir: DataDir = None,
    keep_days: Annotated[
        float, typer.Option(help="Keep snapshots (time travel) this many days; the latest always.")
    ] = 30.0,
) -> None:
    """Clean up after crashed runs (orphaned files), compact small files, expire old snapshots."""
    quiet_telemetry()
    from vnnews.flows.maintenance import maintenance
    from vnnews.flows.prefect_api import prefect_api
    from vnnews.tasks.lake import catalog
    from vnnews.tasks.settings import load_settings

    settings = load_settings(data_dir=data_dir)
    if not catalog.exists(settings):
        typer.secho("No lake to maintain there yet; run `vnnews run` first.", fg="red", err=True)
        raise typer.Exit(1)
    with prefect_api(settings, temporary=True):
        done = maintenance(data_dir=str(data_dir) if data_dir else None, keep_days=keep_days)
    for what, count in done.items():
        typer.echo(f"{what}: {count}")
