"""The state of one flow run as it moves through the stages, and the gate after each stage.

After each stage its GX checkpoint runs on a frame built from the stage's output
(tasks/checks/frames.py). The verdict (tasks/checks/gate.py): documents that fail a row check
leave every table of the run for `rejects` and `quarantine`, and the rest go on; a stage that
looks broken raises Blocked, and nothing of the run's data is published.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime

import pyarrow as pa
from prefect import get_run_logger, runtime

from vnnews.flows import steps
from vnnews.flows.carried import Carried, Part
from vnnews.tasks import tables
from vnnews.tasks.checks import gate
from vnnews.tasks.checks.quarantine import Texts, quarantine_table, results_table
from vnnews.tasks.lake import lineage
from vnnews.tasks.lake.staging import Staging
from vnnews.tasks.reports.summary import RunSummary, StageCount
from vnnews.tasks.settings import Settings

MENTIONS = ("entities", "dates", "quantities", "quotes")


class Blocked(Exception):
    """A stage looks broken (tasks/checks/gate.py); nothing may be published."""


def batches(table: pa.Table, size: int) -> list[pa.Table]:
    return [table.slice(i, size) for i in range(0, max(table.num_rows, 1), size)]


class Run:
    """The state of one flow run as it moves through the stages: the run's tables so far."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.log = get_run_logger()
        run_id = str(runtime.flow_run.id or uuid.uuid4())
        sources = [str(s) for s in settings.sources]
        sources += [f"outlets of {settings.sources_file}"] if settings.sources_file else []
        self.summary = RunSummary(run_id, datetime.now(UTC), sources)
        self.rejects: list[pa.Table] = []
        self.quarantine: list[pa.Table] = []  # rows named by the checks, with their text
        self.manifest: list[dict] = []  # every input item and its content hash
        self.files = tables.FILES.empty_table()  # the files read, for the next run to skip
        self.fetches = tables.FETCHES.empty_table()  # the URLs asked for, for conditional GETs
        self.raw = tables.RAW_DOCUMENTS.empty_table()
        self.documents = tables.DOCUMENTS.empty_table()
        self.signatures = tables.SIGNATURES.empty_table()
        self.line_hashes = tables.LINE_HASHES.empty_table()  # clean's repeated-line counts
        self.sentences = tables.SENTENCES.empty_table()
        self.tokens = tables.TOKENS.empty_table()
        self.mentions: dict[str, pa.Table] = {}
        self.tokenised: list[tuple[pa.Table, pa.Table, pa.Table]] = []  # per batch
        self.stage_started = time.perf_counter()
        # The part under way, what the stages made in all parts, and what the run carries.
        self.part = 0
        self.made: dict[str, Counter] = defaultdict(Counter)
        self.fetched = ""  # what the live sources gave, for ingest's line
        self.carried = Carried(Staging(settings.staging_dir, run_id))

    def add_rejects(self, rejects: pa.Table) -> None:
        self.rejects.append(rejects)
        self.summary.count_rejects(rejects)

    def drop_documents(self, doc_ids: set[str]) -> None:
        """Documents rejected or quarantined after clean leave every table of the run."""
        if not doc_ids:
            return
        for name in ("documents", "signatures", "line_hashes", "sentences", "tokens"):
            setattr(self, name, gate.without(getattr(self, name), "doc_id", doc_ids))
        self.mentions = {n: gate.without(t, "doc_id", doc_ids) for n, t in self.mentions.items()}
        self.tokenised = [
            tuple(gate.without(t, "doc_id", doc_ids) for t in batch) for batch in self.tokenised
        ]

    def progress(self, stage: str, i: int, n: int | None, message: str) -> None:
        """'tokenise batch 2/4: ...'; from the second part on, 'part 2, tokenise batch ...'.
        Ingest reads as it walks the sources: it knows no total."""
        part = f"part {self.part}, " if self.part > 1 else ""
        of = f"/{n}" if n else ""
        self.log.info("%s%s batch %d%s: %s", part, stage, i, of, message)

    def next_part(self) -> Part:
        self.part += 1
        return Part(self.part)

    def count(self, stage: str, **made: int) -> str:
        """What a stage made in every part so far: '15 sentences, 791 tokens'."""
        self.made[stage].update(made)
        return ", ".join(f"{n} {what}" for what, n in self.made[stage].items())

    def stage_part(self) -> None:
        """The part's tables go to Parquet and leave memory; what later parts look up stays."""
        by_document = {"documents": self.documents, "sentences": self.sentences}
        by_document |= {"tokens": self.tokens, **self.mentions}
        self.carried.stage(self.part, by_document, self.signatures, self.line_hashes)
        self.documents = tables.DOCUMENTS.empty_table()
        self.signatures = tables.SIGNATURES.empty_table()
        self.line_hashes = tables.LINE_HASHES.empty_table()
        self.sentences = tables.SENTENCES.empty_table()
        self.tokens = tables.TOKENS.empty_table()
        self.mentions = {}

    def gate(self, stage: str, data: dict, docs_in: int, docs_out: int, rows: str = "") -> set:
        """Validate the stage's output and judge it: the documents to quarantine are returned,
        a broken stage raises Blocked. The next stage starts its clock when this returns."""
        count = self._count(stage, docs_in, docs_out, rows)
        started = time.perf_counter()
        result = steps.validate_stage(stage, data, self.settings, self.summary.run_id)
        self.summary.validations[self._part_key(stage)] = result
        verdict = gate.judge(result, docs_out, self.settings.max_quarantine_share)
        texts = Texts(data)
        self.quarantine.append(quarantine_table(result, texts))
        count.startup_seconds += result.startup_seconds
        count.validation_seconds += time.perf_counter() - started - result.startup_seconds
        self.log.info("validate %s: %s", stage, result.describe())
        self.stage_started = time.perf_counter()
        if verdict.blocked:
            self.summary.blocked[stage] = verdict.blocked
            raise Blocked(stage)
        if verdict.named:
            self.add_rejects(gate.rejects(verdict, texts))
            count.quarantined += len(verdict.named)
            count.docs_out -= len(verdict.named)
            self.summary.n_quarantined += len(verdict.named)
            self.log.warning(
                "%s: %d of %d documents failed row checks: quarantined, the others go on",
                stage,
                count.quarantined,
                docs_out,
            )
        return verdict.documents

    def _count(self, stage: str, docs_in: int, docs_out: int, rows: str) -> StageCount:
        """The stage's line in the summary, added to over the parts."""
        seconds = time.perf_counter() - self.stage_started
        for count in self.summary.stages:
            if count.stage == stage:
                count.docs_in += docs_in
                count.docs_out += docs_out
                count.rows = rows
                count.seconds += seconds
                return count
        self.summary.stages.append(StageCount(stage, docs_in, docs_out, rows, seconds))
        return self.summary.stages[-1]

    def _part_key(self, stage: str) -> str:
        """'clean' for the first part's result, then 'clean (part 2)', ..."""
        return stage if stage not in self.summary.validations else f"{stage} (part {self.part})"

    def publish(self, tables_by_name: dict[str, pa.Table], row: dict, replacing: dict) -> int:
        """Publish one snapshot; a race with another writer becomes one of the run's warnings."""
        snapshot_id, warning = steps.publish(self.settings, tables_by_name, row, replacing)
        self.summary.warnings += [warning] if warning else []
        return snapshot_id

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
        summary.snapshot_id = self.publish(record, self.run_row(), {})
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
