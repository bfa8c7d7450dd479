"""The state of one flow run as it moves through the stages, and the gate after each stage.

After each stage its GX checkpoint runs on a frame built from the stage's output
(tasks/checks.py); a failed critical expectation raises Blocked, and nothing of the run's data is
published.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime

import pyarrow as pa
from prefect import get_run_logger, runtime

from flows import steps
from tasks import incremental, lineage, tables
from tasks.quarantine import quarantine_table, results_table
from tasks.settings import Settings
from tasks.summary import RunSummary, StageCount


class Blocked(Exception):
    """A stage's critical expectation failed; nothing may be published."""


def batches(table: pa.Table, size: int) -> list[pa.Table]:
    return [table.slice(i, size) for i in range(0, max(table.num_rows, 1), size)]


class Run:
    """The state of one flow run as it moves through the stages."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.log = get_run_logger()
        run_id = str(runtime.flow_run.id or uuid.uuid4())
        self.summary = RunSummary(run_id, datetime.now(UTC), [str(s) for s in settings.sources])
        self.rejects: list[pa.Table] = []
        self.manifest: list[dict] = []  # every input item and its content hash
        self.files = tables.FILES.empty_table()  # the files read, for the next run to skip
        self.tokenised: list[tuple[pa.Table, pa.Table, pa.Table]] = []  # per batch
        self.stage_started = time.perf_counter()

    def add_rejects(self, rejects: pa.Table) -> None:
        self.rejects.append(rejects)
        self.summary.count_rejects(rejects)

    def progress(self, stage: str, i: int, n: int, message: str) -> None:
        self.log.info("%s batch %d/%d: %s", stage, i, n, message)

    def gate(self, stage: str, data: dict, docs_in: int, docs_out: int, rows: str = ""):
        """Validate the stage's output; the next stage starts its clock when this returns."""
        count = StageCount(stage, docs_in, docs_out, rows, time.perf_counter() - self.stage_started)
        self.summary.stages.append(count)
        started = time.perf_counter()
        result = steps.validate_stage(stage, data, self.settings, self.summary.run_id)
        count.validation_seconds = time.perf_counter() - started
        self.summary.validations[stage] = result
        self.log.info("validate %s: %s", stage, result.describe())
        self.stage_started = time.perf_counter()
        if not result.passed:
            raise Blocked(stage)

    def ingest(self) -> pa.Table:
        files, hashes, n_skipped, skipped = steps.find_files(self.settings)
        size = self.settings.batch_size
        parts = [files[i : i + size] for i in range(0, len(files), size)]
        raw_parts, refused = [], []
        for i, part in enumerate(parts, 1):
            raw, bad = steps.ingest_batch(part, self.settings)
            raw_parts.append(raw)
            self.add_rejects(bad)
            refused += [
                {"source_uri": uri, "content_hash": None} for uri in bad["source_uri"].to_pylist()
            ]
            # Every article read and every file or record refused is one input item.
            self.summary.n_in += raw.num_rows + bad.num_rows
            self.progress("ingest", i, len(parts), f"{len(part)} files -> {raw.num_rows} documents")
        raw = tables.concat(raw_parts, tables.RAW_DOCUMENTS)
        read = raw.select(["source_uri", "content_hash"]).to_pylist() + refused
        self.files = incremental.file_ledger(files, hashes, [r["source_uri"] for r in read])
        self.manifest = read + skipped
        self.gate("ingest", {"raw": raw}, len(files), raw.num_rows)
        fresh = steps.skip_unchanged(raw, self.settings)
        # Items of unchanged files count as read and unchanged, so the ledger still balances.
        self.summary.n_in += n_skipped
        self.summary.n_unchanged = n_skipped + raw.num_rows - fresh.num_rows
        if self.summary.n_unchanged:
            self.log.info(
                "%d articles already published unchanged (%d files not re-read): skipped",
                self.summary.n_unchanged,
                len(skipped),
            )
        return fresh

    def clean(self, raw: pa.Table) -> pa.Table:
        cleaned = []
        for batch in batches(raw, self.settings.batch_size):
            docs, bad, removed = steps.clean_batch(batch, self.settings)
            cleaned.append(docs)
            self.add_rejects(bad)
            self.summary.removed_paragraphs.update(removed)
        documents, duplicates, self.signatures = steps.dedup(
            tables.concat(cleaned, tables.DOCUMENTS), self.settings
        )
        self.add_rejects(duplicates)
        self.gate("clean", {"documents": documents}, raw.num_rows, documents.num_rows)
        return documents

    def tokenise(self, documents: pa.Table) -> tuple[pa.Table, pa.Table]:
        parts = batches(documents, self.settings.batch_size)
        # Kept per batch: extract works on the same batches, so it needs no re-filtering.
        self.tokenised = []
        for i, batch in enumerate(parts, 1):
            sents, toks = steps.tokenise_batch(batch, self.settings)
            self.tokenised.append((batch, sents, toks))
            self.progress("tokenise", i, len(parts), f"{sents.num_rows} sentences")
        sentences = tables.concat([s for _, s, _ in self.tokenised], tables.SENTENCES)
        tokens = tables.concat([t for _, _, t in self.tokenised], tables.TOKENS)
        n_docs = len(set(sentences["doc_id"].to_pylist()))
        made = f"{sentences.num_rows} sentences, {tokens.num_rows} tokens"
        data = {"sentences": sentences, "tokens": tokens}
        self.gate("tokenise", data, documents.num_rows, n_docs, made)
        return sentences, tokens

    def extract(self, documents: pa.Table, tokens: pa.Table) -> dict[str, pa.Table]:
        """Entities, dates, quantities and quotes per batch; keywords over the whole run."""
        found: dict[str, list[pa.Table]] = {}
        for i, (batch, sents, toks) in enumerate(self.tokenised, 1):
            for name, table in steps.extract_batch(batch, sents, toks, self.settings).items():
                found.setdefault(name, []).append(table)
            n = len(self.tokenised)
            self.progress("extract", i, n, f"{found['entities'][-1].num_rows} entities")
        out = {name: pa.concat_tables(parts) for name, parts in found.items()}
        replaced = documents["replaces"].drop_null().to_pylist()
        out["keywords"], out["term_df"] = steps.keywords(tokens, replaced, self.settings)
        made = ", ".join(f"{t.num_rows} {name}" for name, t in out.items() if name != "term_df")
        n = documents.num_rows
        self.gate("extract", {"documents": documents, **out}, n, n, made)
        return out

    def publish(self, published: dict[str, pa.Table]) -> None:
        summary = self.summary
        rejects = tables.concat(self.rejects, tables.REJECTS)
        summary.n_published = n = published["documents"].num_rows
        ledger = {"n_in": summary.n_in, "n_published": n, "n_rejected": summary.n_rejected}
        ledger["n_accounted"] = n + summary.n_rejected + summary.n_unchanged
        everything = {
            **published,
            "rejects": rejects,
            "signatures": self.signatures,
            "files": self.files,
        }
        self.gate("publish", {"ledger": ledger, **everything}, summary.n_in, n)
        summary.status = "published"
        replaced = published["documents"]["replaces"].drop_null().to_pylist()
        summary.n_replaced = len(replaced)
        replacing = {name: ("doc_id", replaced) for name in tables.BY_DOCUMENT}
        replacing["files"] = ("source_uri", self.files["source_uri"].to_pylist())
        everything["validation_results"] = results_table(list(summary.validations.values()))
        summary.snapshot_id = steps.publish(self.settings, everything, self.run_row(), replacing)
        summary.stages[-1].rows = f"snapshot {summary.snapshot_id}"
        summary.stages[-1].seconds += time.perf_counter() - self.stage_started
        self.log.info("published snapshot %s to %s", summary.snapshot_id, self.settings.lake_label)

    def record_blocked(self) -> None:
        """A blocked run publishes no data; its record does go in: the `runs` row (status
        failed), every validation result and the quarantined rows, as a snapshot in which every
        data table is as before."""
        summary = self.summary
        summary.status = "failed"
        validations = list(summary.validations.values())
        record = {
            "validation_results": results_table(validations),
            "quarantine": quarantine_table(validations),
        }
        summary.n_quarantined = record["quarantine"].num_rows
        summary.snapshot_id = steps.publish(self.settings, record, self.run_row(), {})
        self.log.warning(
            "blocked at %s: nothing published; the run's record is snapshot %s",
            ", ".join(summary.blocked_by),
            summary.snapshot_id,
        )

    def run_row(self) -> dict:
        s = self.summary
        return {
            "run_id": s.run_id,
            "started_at": s.started_at,
            "finished_at": datetime.now(UTC),
            "status": s.status,
            "n_in": s.n_in,
            "n_published": s.n_published,
            "n_rejected": s.n_rejected,
            "n_unchanged": s.n_unchanged,
            "n_replaced": s.n_replaced,
            "sources": s.sources,
            "stage_counts": s.stage_counts_json(),
            "versions": json.dumps(lineage.versions()),
            "settings": json.dumps(self.settings.describe()),
            "code_revision": lineage.code_revision(),
            "manifest": self.manifest,
        }
