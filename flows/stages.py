"""The five stages of a run, in order: each runs its Prefect tasks (flows/steps.py) batch by
batch, keeps the run's tables on the Run (flows/run.py), and ends at the run's gate."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pyarrow as pa
import pyarrow.compute as pc

from vnnews.flows import steps
from vnnews.flows.run import Run, batches
from vnnews.flows.runner import each_batch
from vnnews.tasks import tables
from vnnews.tasks.checks import gate, validate
from vnnews.tasks.checks.quarantine import results_table
from vnnews.tasks.ingest import incremental
from vnnews.tasks.nlp import tokenise as nlp_stage


def ingest(run: Run) -> None:
    # Meanwhile GX loads for the first checkpoint and, when there is anything to read, the NLP
    # workers start and load their models: on a few articles that start-up is most of a run.
    warm = threading.Thread(target=validate.warm_up, args=(run.settings,), daemon=True)
    warm.start()
    files, hashes, n_skipped, skipped = steps.find_files(run.settings)
    outlets = steps.outlets(run.settings)
    if (files or outlets) and run.settings.runner == "local":
        nlp_stage.warm_up(run.settings.workers)
    size = run.settings.batch_size
    parts = [files[i : i + size] for i in range(0, len(files), size)]
    raw_parts, refused = [], []
    for i, part in enumerate(parts, 1):
        raw, bad = steps.ingest_batch(part, run.settings)
        raw_parts.append(raw)
        refused += _refused(run, raw, bad)
        run.progress("ingest", i, len(parts), f"{len(part)} files -> {raw.num_rows} documents")
    read_from = []
    if run.settings.local_sources or not outlets:
        read_from.append(f"{len(files)} file{'s' if len(files) != 1 else ''} read")
    if skipped:
        read_from.append(f"{len(skipped)} unchanged not re-read")
    if outlets:
        raw, bad, unchanged, fetched = _fetch(run, outlets)
        raw_parts.append(raw)
        refused += bad
        skipped += unchanged  # not modified since the last run: read as unchanged
        n_skipped += len(unchanged)
        read_from.append(fetched)
    raw = tables.concat(raw_parts, tables.RAW_DOCUMENTS)
    read = raw.select(["source_uri", "content_hash"]).to_pylist() + refused
    run.files = incremental.file_ledger(files, hashes, [r["source_uri"] for r in read])
    run.manifest = read + skipped
    # Counted in documents like every other stage (a JSONL file holds many); the files aside.
    dropped = run.gate("ingest", {"raw": raw}, len(read), raw.num_rows, ", ".join(read_from))
    raw = gate.without(raw, "source_uri", dropped)
    run.raw = steps.skip_unchanged(raw, run.settings)
    # Items of unchanged files count as read and unchanged, so the ledger still balances.
    run.summary.n_in += n_skipped
    run.summary.n_unchanged = n_skipped + raw.num_rows - run.raw.num_rows
    if run.summary.n_unchanged:
        run.log.info(
            "%d articles already published unchanged (%d files or pages not read again): skipped",
            run.summary.n_unchanged,
            len(skipped),
        )


def _fetch(run: Run, outlets: list) -> tuple[pa.Table, list[dict], list[dict], str]:
    """The live sources: (raw documents, manifest rows of the URLs refused, of the pages not
    modified, and what was fetched, for the stage's line)."""
    live = steps.fetch_sources(run.settings, outlets)
    run.fetches, run.summary.fetched = live.fetches, live.hosts
    counts: Counter = Counter()
    for host in live.hosts.values():
        counts.update(host)
    fetched = ", ".join(f"{n} {what}" for what, n in counts.items()) or "nothing fetched"
    return live.raw, _refused(run, live.raw, live.rejects), live.unchanged, fetched


def _refused(run: Run, raw: pa.Table, bad: pa.Table) -> list[dict]:
    """Rejects of a batch kept; the manifest rows of what was refused."""
    run.add_rejects(bad)
    # Every article read and every file, record or URL refused is one input item.
    run.summary.n_in += raw.num_rows + bad.num_rows
    return [{"source_uri": uri, "content_hash": None} for uri in bad["source_uri"].to_pylist()]


def clean(run: Run) -> None:
    cleaned = []
    run.line_hashes, furniture = steps.repeated_lines(run.raw, run.settings)
    for batch in batches(run.raw, run.settings.batch_size):
        docs, bad, removed = steps.clean_batch(batch, run.settings, furniture)
        cleaned.append(docs)
        run.add_rejects(bad)
        run.summary.removed_paragraphs.update(removed)
    run.documents, duplicates, run.signatures = steps.dedup(
        tables.concat(cleaned, tables.DOCUMENTS), run.settings
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
    made = f"{run.sentences.num_rows} sentences, {run.tokens.num_rows} tokens"
    data = {"documents": run.documents, "sentences": run.sentences, "tokens": run.tokens}
    run.drop_documents(run.gate("tokenise", data, n_in, run.documents.num_rows, made))


def extract(run: Run) -> None:
    """Entities, dates, quantities and quotes per batch; keywords over the whole run."""
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
    made = ", ".join(f"{t.num_rows} {name}" for name, t in run.mentions.items())
    data = {"documents": run.documents, **run.mentions}
    run.drop_documents(run.gate("extract", data, n_in, run.documents.num_rows, made))
    # Keywords after the gate: a quarantined document's terms must not count.
    started = time.perf_counter()
    replaced = run.documents["replaces"].drop_null().to_pylist()
    keywords = steps.keywords(run.tokens, replaced, run.settings)
    run.mentions["keywords"], run.mentions["term_df"] = keywords
    run.summary.stages[-1].seconds += time.perf_counter() - started
    run.stage_started = time.perf_counter()


def publish(run: Run) -> None:
    summary = run.summary
    rejects = tables.concat(run.rejects, tables.REJECTS)
    summary.n_published = n = run.documents.num_rows
    ledger = {"n_in": summary.n_in, "n_published": n, "n_rejected": summary.n_rejected}
    ledger["n_accounted"] = n + summary.n_rejected + summary.n_unchanged
    everything = {
        "documents": run.documents,
        "sentences": run.sentences,
        "tokens": run.tokens,
        **run.mentions,
        "rejects": rejects,
        "signatures": run.signatures,
        "line_hashes": run.line_hashes,
        "files": run.files,
        "fetches": run.fetches,
    }
    run.gate("publish", {"ledger": ledger, **everything}, summary.n_in, n)
    summary.status = "published"
    replaced = run.documents["replaces"].drop_null().to_pylist()
    summary.n_replaced = len(replaced)
    replacing = {name: ("doc_id", replaced) for name in tables.BY_DOCUMENT}
    replacing["files"] = ("source_uri", run.files["source_uri"].to_pylist())
    replacing["fetches"] = ("url", run.fetches["url"].to_pylist())
    everything["validation_results"] = results_table(list(summary.validations.values()))
    everything["quarantine"] = tables.concat(run.quarantine, tables.QUARANTINE)
    summary.snapshot_id = run.publish(everything, run.run_row(), replacing)
    summary.stages[-1].rows = f"snapshot {summary.snapshot_id}"
    summary.stages[-1].seconds += time.perf_counter() - run.stage_started
    run.log.info("published snapshot %s to %s", summary.snapshot_id, run.settings.lake_label)


IN_ORDER = (ingest, clean, tokenise, extract, publish)
