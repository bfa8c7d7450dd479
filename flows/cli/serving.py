"""`vnnews server` and `vnnews serve`: a local Prefect server with its UI, and scheduled runs."""

from __future__ import annotations

import contextvars
import signal
import threading
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from vnnews.flows.cli.options import DaskAddress, DataDir, RunnerOption, Workers, fail, use_runner
from vnnews.flows.cli.running import check_sources
from vnnews.tasks.settings import quiet_telemetry

Port = Annotated[
    int | None,
    typer.Option(
        help="Port of the Prefect server. Default: $VNNEWS_SERVER_PORT or 4200.", min=1, max=65535
    ),
]
Host = Annotated[
    str | None,
    typer.Option(help="Address to listen on. Default: $VNNEWS_SERVER_HOST or 127.0.0.1."),
]


def _stop_on_signals() -> None:
    """Ctrl-C, and the SIGTERM a service manager sends, both stop in order: even where the
    shell started vnnews with SIGINT ignored (a background job)."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)


def server(data_dir: DataDir = None, host: Host = None, port: Port = None) -> None:
    """Run Prefect's server with its UI, scheduler and other services until Ctrl-C.

    Its database is <data dir>/prefect/prefect.db, so the runs of one lake stay together.
    `vnnews run` and `vnnews serve` use it while it is up: their runs show in the UI at
    http://HOST:PORT/ with their logs and the document funnel.
    """
    quiet_telemetry()
    from vnnews.flows import server as local
    from vnnews.tasks.settings import load_settings

    settings = load_settings(data_dir=data_dir, server_host=host, server_port=port)
    api = local.api_url(settings.server_host, settings.server_port)
    if local.healthy(api):
        fail(f"A Prefect server already answers at {api}.")
    typer.echo(f"Starting the Prefect server (database in {settings.prefect_home}) ...")
    _stop_on_signals()
    try:
        with local.started_server(settings, settings.server_host, settings.server_port) as proc:
            typer.echo(f"UI:  {api.removesuffix('/api')}\nAPI: {api}\nCtrl-C stops it.")
            try:
                proc.wait()
            except KeyboardInterrupt:
                typer.echo("Stopping the Prefect server ...")
    except local.ServerFailed as exc:
        fail(exc)


def serve(
    cron: Annotated[
        str | None, typer.Option(help='Cron schedule, e.g. "0 * * * *" for hourly.')
    ] = None,
    interval: Annotated[
        float | None, typer.Option(help="Or: a run every this many seconds.", min=1)
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            "-s",
            metavar="PATH_OR_URL",
            help="Article file, directory, or feed / sitemap / page URL (repeatable).",
        ),
    ] = None,
    sources_file: Annotated[
        Path | None,
        typer.Option("--sources", metavar="FILE", help="A sources.toml of outlets to fetch."),
    ] = None,
    data_dir: DataDir = None,
    port: Port = None,
    name: Annotated[str, typer.Option(help="Deployment name.")] = "vnnews-scheduled",
    maintain_cron: Annotated[
        str | None,
        typer.Option(help='Also serve `vnnews maintain` on this schedule, e.g. "0 3 * * 0".'),
    ] = None,
    runner: RunnerOption = None,
    dask_address: DaskAddress = None,
    workers: Workers = None,
) -> None:
    """Run the flow on a schedule (--cron or --interval) until Ctrl-C.

    Uses the Prefect server at 127.0.0.1:PORT when one is up (`vnnews server`), else starts
    one with its scheduler and UI and stops it on exit. Prints the UI address and the next
    run times; every run publishes a snapshot and shows in the UI with its logs.
    """
    if (cron is None) == (interval is None):
        fail("Give one schedule: --cron EXPR or --interval SECONDS.")
    for option, expression in (("--cron", cron), ("--maintain-cron", maintain_cron)):
        check_cron(option, expression)
    use_runner(runner, dask_address, workers)
    quiet_telemetry()
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Prefect's runner handles SIGTERM
    from prefect import serve as serve_all

    from vnnews.flows.maintenance import maintenance
    from vnnews.flows.prefect_api import prefect_api
    from vnnews.flows.runner import pipeline_for
    from vnnews.flows.server import ServerFailed
    from vnnews.tasks.settings import load_settings

    settings = load_settings(data_dir=data_dir, server_port=port)
    folder = str(settings.data_dir)
    check_sources(source or [], sources_file)
    # Paths made absolute: a scheduled run does not start in this folder.
    sources = [s if "://" in s else str(Path(s).resolve()) for s in source or []]
    parameters = {"sources": sources or None, "data_dir": folder}
    if sources_file:
        parameters["sources_file"] = str(sources_file.resolve())
    every = {"cron": cron} if cron else {"interval": timedelta(seconds=interval)}
    try:
        with prefect_api(settings, temporary=False) as api:
            flow = pipeline_for(settings)
            deployments = [flow.to_deployment(name=name, parameters=parameters, **every)]
            if maintain_cron:
                deployments.append(
                    maintenance.to_deployment(
                        name=f"{name}-maintenance",
                        cron=maintain_cron,
                        parameters={"data_dir": folder},
                    )
                )
            typer.echo(f"UI: {api.ui}  (Ctrl-C stops serving)")
            # The thread sees the API chosen above: Prefect's settings live in context variables.
            show = contextvars.copy_context().run
            threading.Thread(target=show, args=(_print_next_runs, name), daemon=True).start()
            serve_all(*deployments, print_starting_message=False)
    except ServerFailed as exc:
        fail(exc)
    typer.echo("Stopped.")


def check_cron(option: str, expression: str | None) -> None:
    """A schedule Prefect would refuse, refused here in one line, before any server starts."""
    from prefect.client.schemas.schedules import CronSchedule

    try:
        if expression is not None:
            CronSchedule(cron=expression)
    except ValueError:
        fail(
            f"{option} {expression!r}: not a cron schedule. Five fields, minute hour day month "
            'weekday: "0 * * * *" every hour, "*/15 * * * *" every 15 minutes, "0 3 * * 0" '
            "Sundays at 03:00."
        )


def _print_next_runs(deployment: str, wait: float = 30.0) -> None:
    """The next scheduled runs, as the server's scheduler booked them."""
    import time

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterName,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort

    scheduled = FlowRunFilter(
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))
    )
    named = DeploymentFilter(name=DeploymentFilterName(any_=[deployment]))
    deadline = time.monotonic() + wait
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            runs = client.read_flow_runs(
                flow_run_filter=scheduled,
                deployment_filter=named,
                sort=FlowRunSort.EXPECTED_START_TIME_ASC,
                limit=3,
            )
            if runs:
                times = ", ".join(f"{r.expected_start_time:%Y-%m-%d %H:%M:%S %Z}" for r in runs)
                typer.echo(f"Next runs: {times}")
                return
            time.sleep(2)
