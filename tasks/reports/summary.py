"""What one run did, as plain data: the flow fills it, the CLI prints it, the lake stores it."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import pyarrow as pa

from vnnews.tasks.checks.findings import StageValidation


def describe(fetched: dict[str, int]) -> str:
    """'12 fetched, 30 not modified, 1 failed'."""
    return ", ".join(f"{fetched.get(k, 0)} {k}" for k in ("fetched", "not modified", "failed"))


@dataclass
class StageCount:
    stage: str
    docs_in: int
    docs_out: int
    rows: str = ""  # what else the stage produced, e.g. "15 sentences, 791 tokens"
    seconds: float = 0.0  # the stage's own work
    validation_seconds: float = 0.0  # its checkpoint, frame included
    # Waiting for GX to import and open its context: once per process, at the first checkpoint.
    startup_seconds: float = 0.0
    quarantined: int = 0  # documents its checks kept out (counted in docs_out no more)


@dataclass
class NlpOnWorkers:
    """Tokenise and extract on the workers, from handing a part's batches over until the flow
    has its last extract answer, summed over the parts: the workers' throughput, without the
    flow's own reading, cleaning and publishing around it. (While the workers do a part, the
    flow reads the next; should that take longer, the figure includes the workers' wait.)"""

    workers: str = ""  # "2 Dask workers", "1 local worker process", ...
    documents: int = 0
    seconds: float = 0.0

    def describe(self) -> str:
        """'2,000 documents in 24.4 s, 82 documents/s, on 2 Dask workers', or '' for none."""
        if not self.documents or self.seconds <= 0:
            return ""
        rate = self.documents / self.seconds
        return (
            f"{self.documents:,} documents in {self.seconds:.1f} s, {rate:.0f} documents/s, "
            f"on {self.workers}"
        )


@dataclass
class RunSummary:
    run_id: str
    started_at: datetime
    sources: list[str]
    n_in: int = 0
    stages: list[StageCount] = field(default_factory=list)
    drops: Counter = field(default_factory=Counter)  # (stage, reason) -> documents
    removed_paragraphs: Counter = field(default_factory=Counter)  # clean rule -> paragraphs
    validations: dict[str, StageValidation] = field(default_factory=dict)
    status: str = "running"
    snapshot_id: int | None = None
    n_published: int = 0
    n_unchanged: int = 0  # already published from the same source with the same text: skipped
    n_replaced: int = 0  # new versions of articles published before from the same source
    n_quarantined: int = 0  # documents kept out because a row check failed on them
    blocked: dict[str, str] = field(default_factory=dict)  # stage -> why the run stopped there
    finished_at: datetime | None = None
    reports: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # what went wrong without failing the run
    # Live sources, per host: {"fetched": n, "not modified": n, "failed": n}.
    fetched: dict[str, dict[str, int]] = field(default_factory=dict)
    nlp: NlpOnWorkers = field(default_factory=NlpOnWorkers)

    @property
    def n_rejected(self) -> int:
        return sum(self.drops.values())

    @property
    def blocked_by(self) -> list[str]:
        return list(self.blocked)

    def count_rejects(self, rejects: pa.Table) -> None:
        for stage, reason in zip(
            rejects["stage"].to_pylist(), rejects["reason"].to_pylist(), strict=True
        ):
            self.drops[(stage, reason)] += 1

    def verdict(self, stage: str) -> str:
        """What the stage's checks found, over every part of the run."""
        checks = [v for v in self.validations.values() if v.stage == stage]
        if len(checks) <= 1:
            return checks[0].describe() if checks else ""
        flagged = [(i, v) for i, v in enumerate(checks, 1) if not v.describe().startswith("passed")]
        if not flagged:
            return (
                f"passed {checks[0].describe().removeprefix('passed ')} in all {len(checks)} parts"
            )
        return "; ".join(f"part {i}: {v.describe()}" for i, v in flagged)

    def stage_counts_json(self) -> str:
        return json.dumps(
            {
                "stages": [
                    {
                        **vars(s),
                        "seconds": round(s.seconds, 3),
                        "validation_seconds": round(s.validation_seconds, 3),
                        "startup_seconds": round(s.startup_seconds, 3),
                    }
                    for s in self.stages
                ],
                "drops": {f"{s}/{r}": n for (s, r), n in self.drops.items()},
                "removed_paragraphs": dict(self.removed_paragraphs),
                "validation": {s: v.describe() for s, v in self.validations.items()},
                "blocked": self.blocked,
                "warnings": self.warnings,
                "fetched": self.fetched,
                "nlp": {**vars(self.nlp), "seconds": round(self.nlp.seconds, 3)},
            },
            ensure_ascii=False,
        )

    def funnel_markdown(self) -> str:
        """The document funnel as a markdown table (the flow run's Prefect artifact)."""
        lines = [
            f"**vnnews run {self.run_id}**: {self.status}, snapshot {self.snapshot_id}",
            "",
            "| stage | docs in | docs out | seconds | validation |",
            "|---|---:|---:|---:|---|",
        ]
        for s in self.stages:
            verdict = self.verdict(s.stage).replace("|", "\\|")
            lines.append(
                f"| {s.stage} | {s.docs_in} | {s.docs_out} | {s.seconds:.2f} | {verdict} |"
            )
        lines.append("")
        if self.nlp.describe():
            lines.append(f"- NLP on the workers: {self.nlp.describe()}")
        lines += [f"- blocked at {s}: {why}" for s, why in self.blocked.items()]
        lines += [f"- warning: {warning}" for warning in self.warnings]
        lines += [f"- dropped at {s}: {r} × {n}" for (s, r), n in sorted(self.drops.items())]
        lines += [f"- fetched from {host}: {describe(n)}" for host, n in self.fetched.items()]
        return "\n".join(lines)
