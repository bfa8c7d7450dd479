"""The stages after ingest, in order: each runs its Prefect tasks (flows/steps.py) batch by
batch on one part of the run (flows/part.py), and ends at the run's gate (flows/run.py).

Clean works in the flow's process, in two steps: `clean` computes (and may be asked to compute
again, flows/pipeline.py), `judge_clean` commits. Tokenise and extract are handed to the
workers at once and judged when their answers are in (flows/nlp.py). Publish
commits every staged part as one snapshot. Each part sees the lake and the run's earlier parts
(flows/carried.py), as consecutive runs would: duplicates, repeated lines and keyword document
frequencies.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from vnnews.flows import steps
from vnnews.flows.part import Part
from vnnews.flows.run import MENTIONS, Run, batches
from vnnews.tasks import tables
from vnnews.tasks.checks import gate
from vnnews.tasks.checks.quarantine import results_table


@dataclass
class Cleaned:
    """What clean made of a part, not yet committed to the run."""

    documents: pa.Table
    rejects: list[pa.Table]
    removed: list  # paragraphs removed, by rule
    signatures: pa.Table
    line_hashes: pa.Table
    seconds: float


def clean(run: Run, part: Part) -> Cleaned:
    """Boilerplate, quality filters and duplicates of the part's raw documents, against the
    lake and what the run carries. Changes nothing on the run."""
    started = time.perf_counter()
    cleaned, rejects, removed = [], [], []
    line_hashes, furniture = steps.repeated_lines(part.raw, run.settings, run.carried.line_hashes())
    for batch in batches(part.raw, run.settings.batch_size):
        docs, bad, gone = steps.clean_batch(batch, run.settings, furniture)
        cleaned.append(docs)
        rejects.append(bad)
        removed.append(gone)
    documents, duplicates, signatures = steps.dedup(
        tables.concat(cleaned, tables.DOCUMENTS), run.settings, run.carried.signatures()
    )
    # Only the kept documents' lines count against later parts and runs.
    line_hashes = line_hashes.filter(pc.is_in(line_hashes["doc_id"], documents["doc_id"]))
    seconds = time.perf_counter() - started
    return Cleaned(documents, [*rejects, duplicates], removed, signatures, line_hashes, seconds)


def judge_clean(run: Run, part: Part, cleaned: Cleaned) -> None:
    """Commit what clean made of the part, and its gate; its lookups go on for later parts."""
    for bad in cleaned.rejects:
        run.add_rejects(bad)
    for removed in cleaned.removed:
        run.summary.removed_paragraphs.update(removed)
    n_in, part.raw = part.raw.num_rows, tables.RAW_DOCUMENTS.empty_table()  # raw text: done
    counts = (n_in, cleaned.documents.num_rows)
    data = {"documents": cleaned.documents}
    dropped = run.gate("clean", part.number, cleaned.seconds, data, counts)
    part.documents = gate.without(cleaned.documents, "doc_id", dropped)
    run.carried.look_up(
        gate.without(cleaned.signatures, "doc_id", dropped),
        gate.without(cleaned.line_hashes, "doc_id", dropped),
    )


def keywords(run: Run, part: Part) -> None:
    """Keywords of the judged part, against the lake and the run's earlier parts: after the
    gates, since a quarantined document's terms must not count."""
    started = time.perf_counter()
    replaced = part.documents["replaces"].drop_null().to_pylist()
    part.mentions["keywords"], term_df = steps.keywords(
        part.tokens, replaced, run.settings, run.carried.df()
    )
    run.carried.add_keywords(part.mentions["keywords"], term_df, len(replaced))
    run.add_seconds("extract", time.perf_counter() - started)


def publish(run: Run) -> None:
    started = time.perf_counter()
    summary = run.summary
    rejects = tables.concat(run.rejects, tables.REJECTS)
    carried = run.carried
    summary.n_published = n = carried.n_documents
    ledger = {"n_in": summary.n_in, "n_published": n, "n_rejected": summary.n_rejected}
    ledger["n_accounted"] = n + summary.n_rejected + summary.n_unchanged
    staged = carried.staging.tables
    everything = {
        **{name: staged[name] for name in ("documents", "sentences", "tokens", *MENTIONS)},
        "keywords": staged["keywords"],
        "term_df": carried.term_df,
        "rejects": rejects,
        "signatures": carried.signatures(),
        "line_hashes": carried.line_hashes(),
        "files": run.files,
        "fetches": run.fetches,
    }
    run.gate(
        "publish",
        1,
        time.perf_counter() - started,
        {"ledger": ledger, **everything},
        (summary.n_in, n),
    )
    gated = time.perf_counter()
    summary.status = "published"
    summary.n_replaced = len(carried.replaced)
    replacing = {name: ("doc_id", carried.replaced) for name in tables.BY_DOCUMENT}
    replacing["files"] = ("source_uri", run.files["source_uri"].to_pylist())
    replacing["fetches"] = ("url", run.fetches["url"].to_pylist())
    everything["validation_results"] = results_table(list(summary.validations.values()))
    everything["quarantine"] = tables.concat(run.quarantine, tables.QUARANTINE)
    summary.snapshot_id = run.publish(everything, run.run_row(), replacing)
    summary.stages[-1].rows = f"snapshot {summary.snapshot_id}"
    run.add_seconds("publish", time.perf_counter() - gated)
    run.log.info("published snapshot %s to %s", summary.snapshot_id, run.settings.lake_label)
