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
