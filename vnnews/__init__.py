"""vnnews: Vietnamese news articles in, a versioned, validated, queryable corpus out.

For notebooks and scripts::

    import vnnews
    summary = vnnews.run(["articles/"], data_dir="data")   # the whole flow, one lake snapshot
    con = vnnews.connect("data")                            # read-only DuckDB, lake attached
    con.sql("SELECT type, text FROM entities LIMIT 10").show()
    old = vnnews.connect("data", as_of=1)                   # the lake as snapshot 1 left it

The stage logic is in `vnnews.tasks` (one package per stage), the Prefect wiring and the
`vnnews` command in `vnnews.flows`.
"""

from __future__ import annotations

from datetime import datetime
from os import PathLike
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing vnnews stays cheap: DuckDB and Prefect load on first use
    from vnnews.tasks.lake.readonly import ReadOnlyConnection
    from vnnews.tasks.reports.summary import RunSummary

__all__ = ["connect", "run"]


def connect(
    data_dir: str | PathLike | None = None,
    as_of: int | str | datetime | None = None,
    allow_paths: list[str | PathLike] | None = None,
) -> ReadOnlyConnection:
    """A read-only DuckDB connection with the lake attached as `lake` and selected, so
    `SELECT * FROM documents` works as is. `data_dir` defaults to $VNNEWS_DATA_DIR or data/.

    `as_of` shows the lake as it was: a snapshot number, a run id, or a time (the last snapshot
    at or before it). Raises `LakeMissing` when nothing was published there yet. Keep the
    connection in a variable: DuckDB closes one that nothing refers to, even under a query.

    The connection reads the lake and nothing else: ATTACH, COPY, LOAD and table functions
    that reach past the lake raise `Refused`, and files outside it cannot be read. Name the
    folders you want to read or write with `allow_paths` (COPY ... TO is allowed there).
    """
    from vnnews.tasks.lake import history, sandbox
    from vnnews.tasks.lake.readonly import ReadOnlyConnection
    from vnnews.tasks.settings import load_settings

    settings = load_settings(data_dir=data_dir)
    snapshot = None
    if as_of is not None:
        text = as_of.isoformat() if isinstance(as_of, datetime) else str(as_of)
        snapshot = history.readable(settings, text)
    return ReadOnlyConnection(sandbox.open_sandbox(settings, snapshot, allow_paths or ()))


def run(
    sources: str | PathLike | list[str | PathLike] | None = None,
    data_dir: str | PathLike | None = None,
    sources_file: str | PathLike | None = None,
) -> RunSummary:
    """Run the whole flow on `sources` (files, directories, globs, or feed, sitemap and page
    URLs; default: the bundled seeds) and the outlets of `sources_file` (a sources.toml), and
    publish one lake snapshot under `data_dir`, reporting to a running `vnnews
    server` (or PREFECT_API_URL) when there is one. Returns the run summary: `status` is
    "published", or "failed" with `blocked` naming the stage and why validation stopped it."""
    from vnnews.tasks.settings import quiet_telemetry

    quiet_telemetry()
    from vnnews.flows.once import run_once

    if sources is not None and not isinstance(sources, list):
        sources = [sources]
    summary = run_once(
        sources=[str(s) for s in sources] if sources else None,
        data_dir=str(data_dir) if data_dir is not None else None,
        sources_file=str(sources_file) if sources_file is not None else None,
    )
    if isinstance(summary, BaseException):
        raise summary
    return summary
