"""`vnnews export`: a snapshot of the lake taken out, with its datasheet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vnnews.flows.cli.options import DataDir, fail


def export(
    folder: Annotated[Path, typer.Argument(help="Where to write; created if missing.")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="parquet or jsonl: a file per table; conllu: the tokenised sentences "
            "(word, POS, NER) as one CoNLL-U file; hf: a folder per table that Hugging Face "
            "datasets loads (load_dataset('parquet', data_dir=FOLDER/'documents')).",
        ),
    ] = "parquet",
    tables: Annotated[
        str | None,
        typer.Option(help="Comma-separated tables. Default: the corpus tables and runs."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="A snapshot, a run id (or its first characters), a time."),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Take a snapshot of the lake out (default: the latest), with a datasheet.

    Beside the data, README.md and datasheet.json say which snapshot and runs it holds, the code
    revision, rows per table, documents per source with their dates and terms of use (a
    source's `licence` in sources.toml, else the `licence` setting), why rows were dropped, and
    what validation found.
    """
    from vnnews.tasks.lake import catalog, export, history
    from vnnews.tasks.lake.export_files import ExportFolder
    from vnnews.tasks.reports.datasheet import FILES, datasheet, write_datasheet
    from vnnews.tasks.settings import load_settings

    settings = load_settings(data_dir=data_dir)
    names = tuple(t.strip() for t in tables.split(",") if t.strip()) if tables else None
    try:
        files = export.plan(names or export.DEFAULT_TABLES, fmt)
        snapshot = history.chosen(settings, as_of)
        with ExportFolder(folder, [*files, *FILES]) as target:
            written = export.export(settings, target, snapshot, files, fmt)
            write_datasheet(target, datasheet(settings, snapshot, fmt, written))
    except (catalog.LakeMissing, history.UnknownVersion, export.ExportError) as exc:
        fail(exc)
    for name, rows in written.items():
        typer.echo(f"{folder / name}: {rows:,} {'sentences' if fmt == 'conllu' else 'rows'}")
    typer.echo(f"datasheet: {folder / 'README.md'}, {folder / 'datasheet.json'}")
