"""`vnnews tokenize` and `vnnews extract`: batch NLP over JSONL files, with a progress bar."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import typer
from rich.progress import Progress

from vnnews.flows.cli.options import Input, Output, Workers
from vnnews.tasks import batch
from vnnews.tasks.extract.gazetteer import Gazetteer
from vnnews.tasks.settings import load_settings

CHUNK = 500


def run_batch(command: str, source: Path, target: Path, workers: int | None) -> None:
    if not source.is_file():
        typer.secho(f"--input {source}: no such file.", fg="red", err=True)
        raise typer.Exit(1)
    settings = load_settings(workers=workers)
    gaz = Gazetteer.load(settings.gazetteers_dir)
    errors: list[str] = []
    written = 0
    total = sum(1 for line in source.open(encoding="utf-8") if line.strip())
    with source.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        records = batch.read_records(lines, errors)
        with Progress(transient=True) as progress:
            bar = progress.add_task(f"{command} {source.name}", total=total)
            while chunk := list(islice(records, CHUNK)):
                if command == "tokenize":
                    results = batch.tokenize_records(chunk, settings.workers, settings.budget)
                else:
                    results = batch.extract_records(chunk, settings.workers, gaz, settings.budget)
                for result in results:
                    out.write(batch.dumps(result) + "\n")
                written += len(results)
                progress.advance(bar, len(chunk))
    for error in errors:
        typer.secho(f"{source}: {error}", fg="yellow", err=True)
    typer.echo(f"{written} records written to {target}, {len(errors)} lines skipped.")
    if errors and not written:
        raise typer.Exit(1)


def tokenize(input: Input, output: Output, workers: Workers = None) -> None:
    """Sentences, words and POS tags for each text of a JSONL file (outside the flow)."""
    run_batch("tokenize", input, output, workers)


def extract(input: Input, output: Output, workers: Workers = None) -> None:
    """Entities, dates, quantities, quotes and keywords of each text of a JSONL file.

    Outside the flow: nothing is published. Each entity has its type, text, normalized form and
    start/end offsets into the text."""
    run_batch("extract", input, output, workers)
