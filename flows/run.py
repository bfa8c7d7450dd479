"""The state of one flow run as it moves through the stages, and the gate after each stage.

After each stage its GX checkpoint runs on a frame built from the stage's output
(tasks/checks/frames.py). The verdict (tasks/checks/gate.py): documents that fail a row check
leave every table of the run for `rejects` and `quarantine`, and the rest go on; a stage that
looks broken raises Blocked, and nothing of the run's data is published.
"""

from __future__ import annotations

import contextlib
import ctypes
import time
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime

import pyarrow as pa
from prefect import get_run_logger, runtime

from vnnews.flows import steps
from vnnews.flows.carried import Carried
from vnnews.flows.part import Part
from vnnews.flows.runner import describe_workers
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


def _give_back_memory() -> None:
    """Hand the heap's free pages back to the system. A part's rows are built and dropped by
    several threads, and glibc keeps what they freed in per-thread arenas: without this, a
    run's memory creeps up part after part."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class Run:
    """The state of one flow run as it moves through the stages: the run's tables so far."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.log = get_run_logger()
        run_id = str(runtime.flow_run.id or uuid.uuid4())
        sources = [str(s) for s in settings.sources]
        sources += [f"outlets of {settings.sources_file}"] if settings.sources_file else []
        self.summary = RunSummary(run_id, datetime.now(UTC), sources)
        self.summary.nlp.workers = describe_workers(settings)
        self.rejects: list[pa.Table] = []
        self.quarantine: list[pa.Table] = []  # rows named by the checks, with their text
        self.manifest: list[dict] = []  # every input item and its content hash
        self.files = tables.FILES.empty_table()  # the files read, for the next run to skip
        self.fetches = tables.FETCHES.empty_table()  # the URLs asked for, for conditional GETs
        # Parts so far, what the stages made in all parts, and what the run carries.
        self.n_parts = 0
        self.made: dict[str, Counter] = defaultdict(Counter)
        self.fetched = ""  # what the live sources gave, for ingest's line
        self.carried = Carried(Staging(settings.staging_dir, run_id))
        self.warming = None  # on Dask: the thread connecting to the cluster (flows/runner.py)

    def add_rejects(self, rejects: pa.Table) -> None:
        self.rejects.append(rejects)
        self.summary.count_rejects(rejects)

    def progress(self, stage: str, part: int, i: int, n: int | None, message: str) -> None:
        """'tokenise batch 2/4: ...'; from the second part on, 'part 2, tokenise batch ...'.
        Ingest reads as it walks the sources: it knows no total."""
        part = f"part {part}, " if part > 1 else ""
        of = f"/{n}" if n else ""
        self.log.info("%s%s batch %d%s: %s", part, stage, i, of, message)

    def next_part(self) -> Part:
        self.n_parts += 1
        return Part(self.n_parts)

    def count(self, stage: str, **made: int) -> str:
        """What a stage made in every part so far: '15 sentences, 791 tokens'."""
        self.made[stage].update(made)
        return ", ".join(f"{n} {what}" for what, n in self.made[stage].items())

    def stage_part(self, part: Part) -> None:
        """The part's tables go to Parquet and leave memory; what later parts look up stays."""
        self.carried.stage(part.number, part.by_document())
        part.documents = part.sentences = part.tokens = None
        part.mentions = {}
        _give_back_memory()

    def gate(
        self, stage: str, part: int, seconds: float, data: dict, counts: tuple[int, int],
        rows: str = "",
    ) -> set:  # fmt: skip
        """Validate the stage's output on `part` and judge it: the documents to quarantine are
        returned, a broken stage raises Blocked. `seconds` is what the stage took before it,
        and `counts` its documents (in, out)."""
        docs_in, docs_out = counts
        count = self._count(stage, docs_in, docs_out, rows, seconds)
        started = time.perf_counter()
        result = steps.validate_stage(stage, data, self.settings, self.summary.run_id)
        self.summary.validations[self._part_key(stage, part)] = result
        verdict = gate.judge(result, docs_out, self.settings.max_quarantine_share)
        texts = Texts(data)
        self.quarantine.append(quarantine_table(result, texts))
        count.startup_seconds += result.startup_seconds
        count.validation_seconds += time.perf_counter() - started - result.startup_seconds
        self.log.info("validate %s: %s", self._part_key(stage, part), result.describe())
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

    def _count(self, stage: str, docs_in: int, docs_out: int, rows: str, seconds: float):
        """The stage's line in the summary (a StageCount), added to over the parts."""
        for count in self.summary.stages:
            if count.stage == stage:
                count.docs_in += docs_in
                count.docs_out += docs_out
                count.rows = rows
                count.seconds += seconds
                return count
        self.summary.stages.append(StageCount(stage, docs_in, docs_out, rows, seconds))
        return self.summary.stages[-1]

    def add_seconds(self, stage: str, seconds: float) -> None:
        """Work of `stage` after its gate (keywords after extract's, the commit after publish's)."""
        next(c for c in self.summary.stages if c.stage == stage).seconds += seconds

    def _part_key(self, stage: str, part: int) -> str:
        """'clean' for the first part's result, then 'clean (part 2)', ..."""
        return stage if part == 1 else f"{stage} (part {part})"

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
        return lineage.run_row(self.summary, self.settings, self.manifest)
