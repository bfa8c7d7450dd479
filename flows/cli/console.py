"""Terminal output of the `vnnews` command: the run summary and query results."""

from __future__ import annotations

import os
import sys

from rich.console import Console
from rich.table import Table

from vnnews.tasks.reports.summary import RunSummary

# Piped output (CI logs, files) gets a readable width instead of rich's 80 columns, unless
# COLUMNS says otherwise.
console = Console(width=None if sys.stdout.isatty() else int(os.environ.get("COLUMNS") or 120))


FETCH_COLUMNS = ("fetched", "not modified", "failed")


def print_summary(summary: RunSummary) -> None:
    stages = Table(title=f"vnnews run {summary.run_id}", title_justify="left")
    for column in ("stage", "docs in", "docs out", "produced", "validation"):
        stages.add_column(column, justify="right" if column.startswith("docs") else "left")
    for count in summary.stages:
        verdict = summary.verdict(count.stage)
        style = "red" if count.stage in summary.blocked else "yellow" if count.quarantined else None
        stages.add_row(
            count.stage, str(count.docs_in), str(count.docs_out), count.rows, verdict, style=style
        )
    console.print(stages)

    # Two tables, two units: whole documents left out (in `rejects`) and paragraphs of
    # published documents that clean removed as boilerplate.
    if summary.drops:
        drops = Table(title="documents dropped", title_justify="left")
        for column in ("stage", "reason", "documents"):
            drops.add_column(column, justify="right" if column == "documents" else "left")
        for (stage, reason), n in sorted(summary.drops.items()):
            drops.add_row(stage, reason, str(n))
        console.print(drops)
    if summary.removed_paragraphs:
        removed = Table(title="boilerplate removed", title_justify="left")
        removed.add_column("clean rule")
        removed.add_column("paragraphs", justify="right")
        for rule, n in sorted(summary.removed_paragraphs.items(), key=lambda kv: (-kv[1], kv[0])):
            removed.add_row(rule, str(n))
        console.print(removed)

    if summary.fetched:
        fetched = Table(title="fetched per host", title_justify="left")
        fetched.add_column("host")
        for column in FETCH_COLUMNS:
            fetched.add_column(column, justify="right")
        for host, counts in summary.fetched.items():
            fetched.add_row(host, *(str(counts.get(c, 0)) for c in FETCH_COLUMNS))
        console.print(fetched)

    color = "green" if summary.status == "published" else "red"
    console.print(f"status:     [{color}]{summary.status}[/{color}]")
    for warning in summary.warnings:
        console.print(f"warning:    {warning}", style="yellow", markup=False)
    for stage, why in summary.blocked.items():
        console.print(f"blocked at: {stage}: {why}", style="red", markup=False)
        console.print("            nothing was published; see the `quarantine` table")
    console.print(
        f"documents:  {summary.n_in} in, {summary.n_published} published "
        f"({summary.n_replaced} new versions), {summary.n_rejected} rejected "
        f"({summary.n_quarantined} quarantined), {summary.n_unchanged} unchanged (skipped)"
    )
    if summary.n_quarantined and not summary.blocked:
        console.print(
            f"quarantine: {summary.n_quarantined} document(s) kept out, a row check failed on "
            "them; the others were published. Why: SELECT * FROM quarantine",
            style="yellow",
            markup=False,
        )
    if summary.nlp.describe():  # the workers' own throughput, without the flow around them
        console.print(f"nlp:        {summary.nlp.describe()}", markup=False)
    console.print(f"snapshot:   {summary.snapshot_id if summary.snapshot_id is not None else '-'}")
    for name, path in summary.reports.items():
        console.print(f"{name + ':':<11} {path}")


def print_rows(columns: list[str], rows: list[tuple], fmt: str, compact: bool = False) -> None:
    """Rows as a table, CSV or JSON (render.py); `compact` tables have no borders (`vnnews
    runs` in 80 columns)."""
    from vnnews.flows.cli.render import render  # it prints through this module's console
    from vnnews.flows.cli.statements import Result

    render(Result("", columns, rows), fmt, compact=compact)
