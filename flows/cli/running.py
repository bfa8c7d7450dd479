"""`vnnews run` and `vnnews maintain`: the flows, now."""

from __future__ import annotations

import glob
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from vnnews.flows.cli.options import (
    DaskAddress,
    DataDir,
    RunnerOption,
    Workers,
    fail,
    use_runner,
)
from vnnews.tasks.settings import quiet_telemetry

BLOCKED = 2  # validation blocked publishing
NOTHING_TO_READ = 3  # the sources hold no article file: nothing was run


def run(
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            "-s",
            metavar="PATH_OR_URL",
            help="What to read (repeatable). A file, directory or glob: .txt, .html, .jsonl, "
            ".warc, each optionally .gz. Or an http(s) URL: an RSS/Atom feed, a sitemap (index, "
            "Google News) or an article page, fetched politely. Default: seeds/.",
        ),
    ] = None,
    sources_file: Annotated[
        Path | None,
        typer.Option(
            "--sources",
            metavar="FILE",
            help="A sources.toml of outlets to fetch: name, feeds, sitemaps, pages, interval, "
            "content and drop selectors (see README). Default sources are then not read.",
        ),
    ] = None,
    data_dir: DataDir = None,
    runner: RunnerOption = None,
    dask_address: DaskAddress = None,
    workers: Workers = None,
) -> None:
    """Run the whole flow (ingest, clean, tokenise, extract, publish) and print a summary.

    A URL that cannot be fetched (404, timeout, robots.txt) is a reject with its reason and is
    asked for again by the next run; a page fetched before is asked for conditionally (ETag,
    Last-Modified), so an unchanged page is not downloaded again.

    Exit codes: 0 when the run was published; 2 when validation blocked publishing; 3 when
    the sources hold no article file at all (nothing is run; the files skipped are counted
    per kind); 1 on any other error.
    """
    check_sources(source or [], sources_file)
    check_readable(source or [], sources_file)
    use_runner(runner, dask_address, workers)
    quiet_telemetry()
    from vnnews.flows.cli.console import print_summary
    from vnnews.flows.once import run_once
    from vnnews.flows.server import ServerFailed

    def tell(api) -> None:
        if not api.started_here:
            typer.echo(f"Prefect: this run shows in the UI at {api.ui}")

    try:
        summary = run_once(
            sources=source or None,
            data_dir=str(data_dir) if data_dir else None,
            tell=tell,
            sources_file=str(sources_file) if sources_file else None,
        )
    except ServerFailed as exc:
        fail(exc)
    if isinstance(summary, BaseException):
        fail(f"The run failed: {summary}")
    print_summary(summary)
    raise typer.Exit(0 if summary.status == "published" else BLOCKED)


def check_sources(sources: list[str], sources_file: Path | None) -> None:
    """Fail before any run starts on a source that cannot be right: a missing path, a URL that
    is not http(s), a sources file with mistakes (named with the fix)."""
    from vnnews.tasks.ingest.fetch.outlets import SourcesFileError, is_url, load_outlets

    for text in sources:
        if "://" in text:
            if not is_url(text):
                fail(f"--source {text}: only http:// and https:// URLs can be fetched.")
        elif not Path(text).exists() and not glob.glob(text, recursive=True):
            fail(f"--source {text}: no such file or directory, and no file matches it.")
    if sources_file is not None:
        try:
            load_outlets(sources_file)
        except SourcesFileError as exc:
            fail(f"--sources {exc}")


def check_readable(sources: list[str], sources_file: Path | None) -> None:
    """Exit with NOTHING_TO_READ, at once, when the local sources hold no article file and
    there is nothing to fetch: an empty folder, a folder of notes and images, a .csv."""
    from vnnews.tasks.ingest.discover import ARTICLE_SUFFIXES, any_readable, per_kind
    from vnnews.tasks.settings import run_settings

    settings = run_settings(sources or None, None, str(sources_file) if sources_file else None)
    if settings.live_sources or settings.sources_file:
        return
    skipped: Counter = Counter()
    if any_readable(settings.local_sources, skipped):
        return
    where = ", ".join(str(s) for s in settings.local_sources)
    held = per_kind(skipped)
    typer.secho(
        f"Nothing to read in {where}: no article file" + (f" ({held} skipped)" if held else "")
        + ". vnnews reads " + ", ".join(sorted(ARTICLE_SUFFIXES))
        + " files, each also gzipped (.gz).",
        fg="red", err=True,
    )  # fmt: skip
    raise typer.Exit(NOTHING_TO_READ)


def maintain(
    data_dir: DataDir = None,
    keep_days: Annotated[
        float,
        typer.Option(help="Keep snapshots (time travel) this many days; the latest always.", min=0),
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
