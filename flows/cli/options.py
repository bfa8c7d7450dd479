"""The options several `vnnews` commands share."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

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


Input = Annotated[
    Path, typer.Option("--input", "-i", help='JSONL, one {"id": ..., "text": "..."} per line.')
]
Output = Annotated[Path, typer.Option("--output", "-o", help="JSONL to write, one line per input.")]
Workers = Annotated[
    int | None, typer.Option(help="Processes to use. Default: $VNNEWS_WORKERS or all cores.")
]


def fail(message: object) -> NoReturn:
    """Say what went wrong (in red, on stderr) and exit with code 1."""
    typer.secho(str(message), fg="red", err=True)
    raise typer.Exit(1)


def announce_indexing(settings, snapshot: int) -> None:
    """Say so on a terminal when a search will first build the snapshot's index (about 5 s
    per 10,000 articles), so a wait has a reason; scripts' output stays as it was."""
    import sys

    from vnnews.tasks.lake.search_index import index_path

    if sys.stderr.isatty() and not index_path(settings, snapshot).exists():
        typer.secho(f"Indexing snapshot {snapshot} for search (once)...", err=True, dim=True)


class Runner(StrEnum):
    local = "local"
    dask = "dask"


RunnerOption = Annotated[
    Runner | None,
    typer.Option(
        "--runner",
        help="Where tokenise and extract run: local (this machine's processes) or dask "
        "(Prefect tasks on a Dask cluster). Default: the `runner` setting, else local.",
    ),
]
DaskAddress = Annotated[
    str | None,
    typer.Option(
        "--dask-address",
        metavar="tcp://HOST:8786",
        help="With --runner dask: a running Dask scheduler. Without it, a local cluster of "
        "--workers processes is started for the run.",
    ),
]
Workers = Annotated[
    int | None,
    typer.Option("--workers", min=1, help="NLP processes (or local Dask workers). Default: cores."),
]


def check_dask_address(address: str) -> None:
    """tcp://HOST:PORT (or tls://, or HOST:PORT), checked before a run starts on it."""
    from urllib.parse import urlsplit

    scheme, _, rest = address.rpartition("://")
    try:
        port = urlsplit(f"//{rest}").port
    except ValueError:
        port = None
    if scheme not in ("", "tcp", "tls", "inproc", "ucx") or not port or "/" in rest:
        fail(
            f"--dask-address {address!r}: give the scheduler's address as tcp://HOST:PORT, "
            "e.g. tcp://10.0.0.5:8786 (what `dask scheduler` prints)."
        )


def use_runner(runner: Runner | None, dask_address: str | None, workers: int | None) -> None:
    """Command-line choices win over the settings file: passed to the flow (and to the runs a
    schedule starts) as the environment variables it reads."""
    import os

    if dask_address is not None:
        check_dask_address(dask_address)
    given = {"VNNEWS_RUNNER": runner and runner.value, "VNNEWS_DASK_ADDRESS": dask_address,
             "VNNEWS_WORKERS": workers}  # fmt: skip
    if dask_address and not runner:
        given["VNNEWS_RUNNER"] = "dask"
    os.environ.update({key: str(value) for key, value in given.items() if value})
