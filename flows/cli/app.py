"""The `vnnews` command."""

from __future__ import annotations

import typer

from vnnews.flows.cli import batch, query, running, serving

app = typer.Typer(
    help=(
        "vnnews: Vietnamese news articles in, a versioned, validated, queryable corpus out.\n\n"
        "Typical use:  vnnews run  (process seeds/ into data/),  then  "
        'vnnews sql "SELECT type, text FROM entities LIMIT 10".'
    ),
    no_args_is_help=True,
    add_completion=False,
)


# In the order `vnnews --help` lists them.
for command in (
    running.run,
    query.sql,
    query.runs,
    query.diff,
    query.report,
    running.maintain,
    batch.tokenize,
    batch.extract,
    serving.serve,
    serving.server,
):
    app.command()(command)
