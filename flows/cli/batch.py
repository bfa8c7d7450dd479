"""`vnnews tokenize` and `vnnews extract`: batch NLP over JSONL files, with a progress bar."""

from __future__ import annotations

from collections.abc import Callable
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
    # Before the progress bar starts its thread: the workers are forked from this process.
    batch.start_workers(settings.workers, settings.gazetteers_dir if command == "extract" else None)
    errors: list[str] = []
    written = 0
    with source.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        records = batch.read_records(lines, errors)
        with Progress(transient=True) as progress:
            bar = progress.add_task(f"{command} {source.name}", total=total)
            pending = None  # the chunk on the workers while the next one is handed to them
            for chunk in iter(lambda: list(islice(records, CHUNK)), []):
                started = _start(command, chunk, settings)
                written += _write(pending, out, progress, bar)
                pending = started
            written += _write(pending, out, progress, bar)
    for error in errors:
        typer.secho(f"{source}: {error}", fg="yellow", err=True)
    typer.echo(f"{written} records written to {target}, {len(errors)} lines skipped.")
    if errors and not written:
        raise typer.Exit(1)


def _start(command: str, chunk: list[dict], settings) -> Callable[[], list[dict]]:
    """The chunk handed to the workers now; the function returned waits for its answers."""
    from vnnews.tasks import batch

    if command == "tokenize":
        return batch.tokenize_started(chunk, settings.workers, settings.budget)
    return batch.extract_started(chunk, settings.workers, settings.gazetteers_dir, settings.budget)


def _write(pending, out, progress: Progress, bar) -> int:
    """The answers of the chunk `pending` (if any) as JSON lines; how many."""
    from vnnews.tasks import batch

    results = pending() if pending else []
    for result in results:
        out.write(batch.dumps(result) + "\n")
    progress.advance(bar, len(results))
    return len(results)


def tokenize(input: Input, output: Output, workers: Workers = None) -> None:
    """Sentences, words and POS tags for each text of a JSONL file (outside the flow)."""
    run_batch("tokenize", input, output, workers)


def extract(input: Input, output: Output, workers: Workers = None) -> None:
    """Entities, dates, quantities, quotes and keywords of each text of a JSONL file.

    Outside the flow: nothing is published. Each entity has its type, text, normalized form and
    start/end offsets into the text."""
    run_batch("extract", input, output, workers)
