"""One query result on the terminal, in the mode the user picked: an aligned table that fits the
terminal (long text cut with "…"), CSV, JSON, a Markdown table, or one line per value."""

from __future__ import annotations

import csv
import json
import sys

from rich import box
from rich.console import Console
from rich.table import Table

from vnnews.flows.cli.console import console
from vnnews.flows.cli.statements import Result

MODES = ("table", "csv", "json", "markdown", "line")
errors = Console(stderr=True)


def _text(value: object) -> str:
    return "NULL" if value is None else str(value)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())  # a cell is one line
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(result: Result, max_width: int, compact: bool) -> None:
    table = Table(show_lines=False, box=None if compact else box.HEAVY_HEAD,
                  padding=(0, 1, 0, 0) if compact else (0, 1))  # fmt: skip
    for i, column in enumerate(result.columns):
        values = [row[i] for row in result.rows if row[i] is not None]
        numbers = bool(values) and all(isinstance(v, int | float) for v in values)
        table.add_column(column, justify="right" if numbers else "left", no_wrap=True,
                         overflow="ellipsis", max_width=max_width)  # fmt: skip
    for row in result.rows:
        table.add_row(*(_cut(_text(v), max_width) for v in row))
    console.print(table)


def _markdown(result: Result) -> None:
    def cells(values) -> str:
        return "| " + " | ".join(_text(v).replace("|", "\\|").replace("\n", " ") for v in values)

    lines = [cells(result.columns) + " |", "|" + "---|" * len(result.columns)]
    lines += [cells(row) + " |" for row in result.rows]
    print("\n".join(lines))


def _line(result: Result) -> None:
    width = max(map(len, result.columns), default=0)
    for n, row in enumerate(result.rows):
        if n:
            print()
        for column, value in zip(result.columns, row, strict=True):
            print(f"{column:>{width}} = {_text(value)}")


def render(result: Result, mode: str, max_width: int = 40, timer: bool = False,
           compact: bool = False) -> None:  # fmt: skip
    """Print one result; a statement without rows (a DESCRIBE is not one) prints nothing."""
    if not result.columns:
        return
    if mode == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(result.columns)
        writer.writerows(result.rows)
    elif mode == "json":
        records = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        print(json.dumps(records, ensure_ascii=False, default=str, indent=2))
    elif mode == "markdown":
        _markdown(result)
    elif mode == "line":
        _line(result)
    else:
        _table(result, max_width, compact)
    footer = _footer(result, mode)
    if timer:
        footer += f"  {result.seconds:.3f} s"
    if footer.strip():  # beside CSV or JSON, on stderr: the data stays machine-readable
        out = console if mode in ("table", "markdown", "line") else errors
        out.print(footer.strip(), style="dim", markup=False, highlight=False)


def _footer(result: Result, mode: str) -> str:
    shown = len(result.rows)
    if result.more:
        total = shown + result.more
        return f"… {result.more:,} more rows ({shown:,} of {total:,} shown; .maxrows N for more)"
    return f"({shown} row{'s' if shown != 1 else ''})" if mode == "table" else ""
