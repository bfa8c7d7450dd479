"""The state of one flow run as it moves through the stages, and the gate after each stage.

After each stage its GX checkpoint runs on a frame built from the stage's output
(tasks/checks.py). The verdict (tasks/gate.py): documents that fail a row check leave every
table of the run for `rejects` and `quarantine`, and the rest go on; a stage that looks broken
raises Blocked, and nothing of the run's data is published.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime

import pyarrow as pa
from prefect import get_run_logger, runtime

from flows import steps
from tasks import gate, incremental, lineage, tables
from tasks.quarantine import Texts, quarantine_table, results_table
from tasks.settings import Settings
from tasks.summary import RunSummary, StageCount

MENTIONS = ("entities", "dates", "quantities", "quotes")


class Blocked(Exception):
    """A stage looks broken (tasks/gate.py); nothing may be published."""


def batches(table: pa.Table, size: int) -> list[pa.Table]:
    return [table.slice(i, size) for i in range(0, max(table.num_rows, 1), size)]


class Run:
    """The state of one flow run as it moves through the stages: the run's tables so far."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.log = get_run_logger()
        run_id = str(runtime.flow_run.id or uuid.uuid4())
        self.summary = RunSummary(run_id, datetime.now(UTC), [str(s) for s in settings.sources])
        self.rejects: list[pa.Table] = []
        self.quarantine: list[pa.Table] = []  # rows named by the checks, with their text
        self.manifest: list[dict] = []  # every input item and its content hash
        self.files = tables.FILES.empty_table()  # the files read, for the next run to skip
        self.raw = tables.RAW_DOCUMENTS.empty_table()
        self.documents = tables.DOCUMENTS.empty_table()
        self.signatures = tables.SIGNATURES.empty_table()
        self.sentences = tables.SENTENCES.empty_table()
        self.tokens = tables.TOKENS.empty_table()
        self.mentions: dict[str, pa.Table] = {}
        self.tokenised: list[tuple[pa.Table, pa.Table, pa.Table]] = []  # per batch
        self.stage_started = time.perf_counter()

    def add_rejects(self, rejects: pa.Table) -> None:
        self.rejects.append(rejects)
        self.summary.count_rejects(rejects)

    def drop_documents(self, doc_ids: set[str]) -> None:
        """Documents rejected or quarantined after clean leave every table of the run."""
        if not doc_ids:
            return
        for name in ("documents", "signatures", "sentences", "tokens"):
            setattr(self, name, gate.without(getattr(self, name), "doc_id", doc_ids))
        self.mentions = {n: gate.without(t, "doc_id", doc_ids) for n, t in self.mentions.items()}
        self.tokenised = [
            tuple(gate.without(t, "doc_id", doc_ids) for t in batch) for batch in self.tokenised
        ]

    def progress(self, stage: str, i: int, n: int, message: str) -> None:
        self.log.info("%s batch %d/%d: %s", stage, i, n, message)

    def gate(self, stage: str, data: dict, docs_in: int, docs_out: int, rows: str = "") -> set:
        """Validate the stage's output and judge it: the documents to quarantine are returned,
        a broken stage raises Blocked. The next stage starts its clock when this returns."""
        count = StageCount(stage, docs_in, docs_out, rows, time.perf_counter() - self.stage_started)
        self.summary.stages.append(count)
        started = time.perf_counter()
        result = steps.validate_stage(stage, data, self.settings, self.summary.run_id)
        self.summary.validations[stage] = result
        verdict = gate.judge(result, docs_out, self.settings.max_quarantine_share)
        texts = Texts(data)
        self.quarantine.append(quarantine_table(result, texts))
        count.validation_seconds = time.perf_counter() - started
        self.log.info("validate %s: %s", stage, result.describe())
        self.stage_started = time.perf_counter()
        if verdict.blocked:
            self.summary.blocked[stage] = verdict.blocked
            raise Blocked(stage)
        if verdict.named:
            self.add_rejects(gate.rejects(verdict, texts))
            count.quarantined = len(verdict.named)
            count.docs_out -= count.quarantined
            self.summary.n_quarantined += count.quarantined
            self.log.warning(
                "%s: %d of %d documents failed row checks: quarantined, the others go on",
                stage,
                count.quarantined,
                docs_out,
            )
        return verdict.documents

    def ingest(self) -> None:
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
        dropped = self.gate("ingest", {"raw": raw}, len(files), raw.num_rows)
        raw = gate.without(raw, "source_uri", dropped)
        self.raw = steps.skip_unchanged(raw, self.settings)
        # Items of unchanged files count as read and unchanged, so the ledger still balances.
        self.summary.n_in += n_skipped
        self.summary.n_unchanged = n_skipped + raw.num_rows - self.raw.num_rows
        if self.summary.n_unchanged:
            self.log.info(
                "%d articles already published unchanged (%d files not re-read): skipped",
                self.summary.n_unchanged,
                len(skipped),
            )

    def clean(self) -> None:
        cleaned = []
        for batch in batches(self.raw, self.settings.batch_size):
            docs, bad, removed = steps.clean_batch(batch, self.settings)
            cleaned.append(docs)
            self.add_rejects(bad)
            self.summary.removed_paragraphs.update(removed)
        self.documents, duplicates, self.signatures = steps.dedup(
            tables.concat(cleaned, tables.DOCUMENTS), self.settings
        )
        self.add_rejects(duplicates)
        n_in, self.raw = self.raw.num_rows, tables.RAW_DOCUMENTS.empty_table()  # raw text: done
        data = {"documents": self.documents}
        self.drop_documents(self.gate("clean", data, n_in, self.documents.num_rows))

    def tokenise(self) -> None:
        n_in = self.documents.num_rows
        parts = batches(self.documents, self.settings.batch_size)
        # Kept per batch: extract works on the same batches, so it needs no re-filtering.
        self.tokenised = []
        for i, batch in enumerate(parts, 1):
            sents, toks, too_complex = steps.tokenise_batch(batch, self.settings)
            self.add_rejects(too_complex)
            self.tokenised.append((batch, sents, toks))
            self.drop_documents(set(too_complex["doc_id"].to_pylist()))
            self.progress("tokenise", i, len(parts), f"{sents.num_rows} sentences")
        self.sentences = tables.concat([s for _, s, _ in self.tokenised], tables.SENTENCES)
        self.tokens = tables.concat([t for _, _, t in self.tokenised], tables.TOKENS)
        made = f"{self.sentences.num_rows} sentences, {self.tokens.num_rows} tokens"
        data = {"documents": self.documents, "sentences": self.sentences, "tokens": self.tokens}
        self.drop_documents(self.gate("tokenise", data, n_in, self.documents.num_rows, made))

    def extract(self) -> None:
        """Entities, dates, quantities and quotes per batch; keywords over the whole run."""
        found: dict[str, list[pa.Table]] = {}
        n_in = self.documents.num_rows
        for i, (batch, sents, toks) in enumerate(self.tokenised, 1):
            mentions, too_complex = steps.extract_batch(batch, sents, toks, self.settings)
            self.add_rejects(too_complex)
            for name, table in mentions.items():
                found.setdefault(name, []).append(table)
            self.drop_documents(set(too_complex["doc_id"].to_pylist()))
            self.progress(
                "extract", i, len(self.tokenised), f"{mentions['entities'].num_rows} entities"
            )
        self.mentions = {name: pa.concat_tables(parts) for name, parts in found.items()}
        self.tokenised = []
        made = ", ".join(f"{t.num_rows} {name}" for name, t in self.mentions.items())
        data = {"documents": self.documents, **self.mentions}
        self.drop_documents(self.gate("extract", data, n_in, self.documents.num_rows, made))
        # Keywords after the gate: a quarantined document's terms must not count.
        started = time.perf_counter()
        replaced = self.documents["replaces"].drop_null().to_pylist()
        keywords = steps.keywords(self.tokens, replaced, self.settings)
        self.mentions["keywords"], self.mentions["term_df"] = keywords
        self.summary.stages[-1].seconds += time.perf_counter() - started
        self.stage_started = time.perf_counter()

    def publish(self) -> None:
        summary = self.summary
        rejects = tables.concat(self.rejects, tables.REJECTS)
        summary.n_published = n = self.documents.num_rows
        ledger = {"n_in": summary.n_in, "n_published": n, "n_rejected": summary.n_rejected}
        ledger["n_accounted"] = n + summary.n_rejected + summary.n_unchanged
        everything = {
            "documents": self.documents,
            "sentences": self.sentences,
            "tokens": self.tokens,
            **self.mentions,
            "rejects": rejects,
            "signatures": self.signatures,
            "files": self.files,
        }
        self.gate("publish", {"ledger": ledger, **everything}, summary.n_in, n)
        summary.status = "published"
        replaced = self.documents["replaces"].drop_null().to_pylist()
        summary.n_replaced = len(replaced)
        replacing = {name: ("doc_id", replaced) for name in tables.BY_DOCUMENT}
        replacing["files"] = ("source_uri", self.files["source_uri"].to_pylist())
        everything["validation_results"] = results_table(list(summary.validations.values()))
        everything["quarantine"] = tables.concat(self.quarantine, tables.QUARANTINE)
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
        record = {
            "validation_results": results_table(list(summary.validations.values())),
            "quarantine": tables.concat(self.quarantine, tables.QUARANTINE),
        }
        summary.snapshot_id = steps.publish(self.settings, record, self.run_row(), {})
        self.log.warning(
            "blocked at %s: nothing published; the run's record is snapshot %s",
            "; ".join(f"{stage} ({why})" for stage, why in summary.blocked.items()),
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
            "n_quarantined": s.n_quarantined,
            "sources": s.sources,
            "stage_counts": s.stage_counts_json(),
            "versions": json.dumps(lineage.versions()),
            "settings": json.dumps(self.settings.describe()),
            "code_revision": lineage.code_revision(),
            "manifest": self.manifest,
        }
