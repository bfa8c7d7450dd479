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
