"""`vnnews tokenize` and `vnnews extract`: batch NLP over JSONL files, with a progress bar."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import typer
from rich.progress import Progress

from vnnews.flows.cli.options import Input, Output, Workers, fail

CHUNK = 500


def run_batch(command: str, source: Path, target: Path, workers: int | None) -> None:
    # Imported here: the NLP stack takes half a second, which every other command would pay.
    from vnnews.tasks import batch
    from vnnews.tasks.settings import load_settings

    if not source.is_file():
        fail(f"--input {source}: no such file.")
    if not target.parent.is_dir():
        fail(f"--output {target}: the folder {target.parent} does not exist; create it first.")
    try:  # one pass to count the lines for the progress bar, and to check the encoding
        with source.open(encoding="utf-8") as lines:
            total = sum(1 for line in lines if line.strip())
    except UnicodeDecodeError as exc:
        fail(
            f"--input {source}: not UTF-8 ({exc.reason} at byte {exc.start}). "
            "Convert it first, e.g. iconv -f WINDOWS-1258 -t UTF-8."
        )
    settings = load_settings(workers=workers)
    errors: list[str] = []
    written = 0
    with source.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        records = batch.read_records(lines, errors)
        with Progress(transient=True) as progress:
            bar = progress.add_task(f"{command} {source.name}", total=total)
            while chunk := list(islice(records, CHUNK)):
                if command == "tokenize":
                    results = batch.tokenize_records(chunk, settings.workers, settings.budget)
                else:
                    results = batch.extract_records(
                        chunk, settings.workers, settings.gazetteers_dir, settings.budget
                    )
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
