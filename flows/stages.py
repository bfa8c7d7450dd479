"""The stages after ingest, in order: each runs its Prefect tasks (flows/steps.py) batch by
batch, keeps the run's tables on the Run (flows/run.py), and ends at the run's gate.

Clean, tokenise and extract take on one part of the run at a time (flows/parts.py reads it);
publish commits every staged part as one snapshot. Each part sees the lake and the run's
earlier parts (flows/carried.py), as consecutive runs would: duplicates, repeated lines and
keyword document frequencies."""

from __future__ import annotations

import time

import pyarrow as pa
import pyarrow.compute as pc

from vnnews.flows import steps
from vnnews.flows.run import MENTIONS, Run, batches
from vnnews.flows.runner import each_batch
from vnnews.tasks import tables
from vnnews.tasks.checks.quarantine import results_table


def clean(run: Run) -> None:
    cleaned = []
    run.line_hashes, furniture = steps.repeated_lines(
        run.raw, run.settings, run.carried.line_hashes()
    )
    for batch in batches(run.raw, run.settings.batch_size):
        docs, bad, removed = steps.clean_batch(batch, run.settings, furniture)
        cleaned.append(docs)
        run.add_rejects(bad)
        run.summary.removed_paragraphs.update(removed)
    run.documents, duplicates, run.signatures = steps.dedup(
        tables.concat(cleaned, tables.DOCUMENTS), run.settings, run.carried.signatures()
    )
    run.add_rejects(duplicates)
    # Only the kept documents' lines count against later runs; drop_documents keeps them in step.
    kept = pc.is_in(run.line_hashes["doc_id"], run.documents["doc_id"])
    run.line_hashes = run.line_hashes.filter(kept)
    n_in, run.raw = run.raw.num_rows, tables.RAW_DOCUMENTS.empty_table()  # raw text: done
    data = {"documents": run.documents}
    run.drop_documents(run.gate("clean", data, n_in, run.documents.num_rows))


def tokenise(run: Run) -> None:
    n_in = run.documents.num_rows
    parts = batches(run.documents, run.settings.batch_size)
    # Kept per batch: extract works on the same batches, so it needs no re-filtering.
    run.tokenised = []
    done = each_batch(steps.tokenise_batch, [(batch,) for batch in parts], run.settings)
    for i, (batch, (sents, toks, too_complex)) in enumerate(zip(parts, done, strict=True), 1):
        run.add_rejects(too_complex)
        run.tokenised.append((batch, sents, toks))
        run.drop_documents(set(too_complex["doc_id"].to_pylist()))
        run.progress("tokenise", i, len(parts), f"{sents.num_rows} sentences")
    run.sentences = tables.concat([s for _, s, _ in run.tokenised], tables.SENTENCES)
    run.tokens = tables.concat([t for _, _, t in run.tokenised], tables.TOKENS)
    made = run.count("tokenise", sentences=run.sentences.num_rows, tokens=run.tokens.num_rows)
    data = {"documents": run.documents, "sentences": run.sentences, "tokens": run.tokens}
    run.drop_documents(run.gate("tokenise", data, n_in, run.documents.num_rows, made))


def extract(run: Run) -> None:
    """Entities, dates, quantities and quotes per batch; keywords over the part, against the
    lake and the run's earlier parts."""
    found: dict[str, list[pa.Table]] = {}
    n_in = run.documents.num_rows
    done = each_batch(steps.extract_batch, run.tokenised, run.settings)
    for i, (mentions, too_complex) in enumerate(done, 1):
        run.add_rejects(too_complex)
        for name, table in mentions.items():
            found.setdefault(name, []).append(table)
        run.drop_documents(set(too_complex["doc_id"].to_pylist()))
        run.progress("extract", i, len(run.tokenised), f"{mentions['entities'].num_rows} entities")
    run.mentions = {name: pa.concat_tables(parts) for name, parts in found.items()}
    run.tokenised = []
    made = run.count("extract", **{name: t.num_rows for name, t in run.mentions.items()})
    data = {"documents": run.documents, **run.mentions}
    run.drop_documents(run.gate("extract", data, n_in, run.documents.num_rows, made))
    # Keywords after the gate: a quarantined document's terms must not count.
    started = time.perf_counter()
    replaced = run.documents["replaces"].drop_null().to_pylist()
    run.mentions["keywords"], term_df = steps.keywords(
        run.tokens, replaced, run.settings, run.carried.df()
    )
    run.carried.add_keywords(run.mentions["keywords"], term_df, len(replaced))
    run.summary.stages[-1].seconds += time.perf_counter() - started
    run.stage_started = time.perf_counter()


def publish(run: Run) -> None:
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
    run.gate("publish", {"ledger": ledger, **everything}, summary.n_in, n)
    summary.status = "published"
    summary.n_replaced = len(carried.replaced)
    replacing = {name: ("doc_id", carried.replaced) for name in tables.BY_DOCUMENT}
    replacing["files"] = ("source_uri", run.files["source_uri"].to_pylist())
    replacing["fetches"] = ("url", run.fetches["url"].to_pylist())
    everything["validation_results"] = results_table(list(summary.validations.values()))
    everything["quarantine"] = tables.concat(run.quarantine, tables.QUARANTINE)
    summary.snapshot_id = run.publish(everything, run.run_row(), replacing)
    summary.stages[-1].rows = f"snapshot {summary.snapshot_id}"
    summary.stages[-1].seconds += time.perf_counter() - run.stage_started
    run.log.info("published snapshot %s to %s", summary.snapshot_id, run.settings.lake_label)


# After ingest has read a part: the stages that take it on, before it is staged.
PER_PART = (clean, tokenise, extract)
