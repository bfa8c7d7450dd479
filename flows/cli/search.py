"""`vnnews search`: ranked full-text search over the published articles."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from vnnews.flows.cli.options import DataDir, Format, FormatOption, announce_indexing, fail


def search(
    query: Annotated[str, typer.Argument(help="Words to find, with or without diacritics.")],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="A snapshot, a run id (or its first characters), a time."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Hits to show.", min=1)] = 10,
    source: Annotated[
        str | None, typer.Option(help="Only documents whose source or address contains this.")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only documents published on or after this date.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Only documents published on or before this date.")
    ] = None,
    fmt: FormatOption = Format.table,
    data_dir: DataDir = None,
) -> None:
    """Find articles: the best matches first (BM25), each with a snippet, its match «marked».

    "Việt Nam" is one term, as the article's words were segmented; a query typed without
    diacritics ("viet nam") finds the same articles. The index of a snapshot is built on its
    first search and kept under <data dir>/search/.
    """
    from vnnews.flows.cli.console import print_rows
    from vnnews.tasks.lake import catalog, history
    from vnnews.tasks.lake import search as lake_search
    from vnnews.tasks.settings import load_settings

    settings = load_settings(data_dir=data_dir)
    try:
        snapshot = history.chosen(settings, as_of)
        announce_indexing(settings, snapshot)
        hits = lake_search.search(settings, snapshot, query, limit, source, since, until)
    except (catalog.LakeMissing, history.UnknownVersion) as exc:
        fail(exc)
    columns = ["doc_id", "source_uri", "title", "published_at", "score", "snippet"]
    rows = [tuple(asdict(hit)[c] for c in columns) for hit in hits]
    if fmt is Format.table:  # the address is long and the snippet says more
        columns = ["title", "published", "score", "snippet"]
        rows = [(t, str(p or "")[:16], f"{score:.2f}", s) for _, _, t, p, score, s in rows]
    print_rows(columns, rows, fmt.value)
