"""The `vnnews` command."""

from __future__ import annotations

import inspect

import typer

from vnnews.flows.cli import batch, export, query, running, search, serving, sql

app = typer.Typer(
    help=(
        "vnnews: Vietnamese news articles in, a versioned, validated, queryable corpus out.\n\n"
        "Typical use:  vnnews run  (process seeds/ into data/),  then  "
        'vnnews sql "SELECT type, text FROM entities LIMIT 10".'
    ),
    no_args_is_help=True,
    add_completion=False,
)


def reflowed(doc: str | None) -> str | None:
    """A docstring with each paragraph on one line: Typer's rich help keeps the line breaks of
    every paragraph but the first, which cut sentences short in a terminal."""
    if not doc:
        return doc
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


# In the order `vnnews --help` lists them.
for command in (
    running.run,
    sql.sql,
    search.search,
    query.runs,
    query.diff,
    query.report,
    export.export,
    running.maintain,
    batch.tokenize,
    batch.extract,
    serving.serve,
    serving.server,
):
    command.__doc__ = reflowed(command.__doc__)
    app.command()(command)
