"""What one run did, as plain data: the flow fills it, the CLI prints it, the lake stores it."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import pyarrow as pa

from tasks.validate import StageValidation


@dataclass
class StageCount:
    stage: str
    docs_in: int
    docs_out: int
    rows: str = ""  # what else the stage produced, e.g. "15 sentences, 791 tokens"


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
    finished_at: datetime | None = None
    reports: dict[str, str] = field(default_factory=dict)

    @property
    def n_rejected(self) -> int:
        return sum(self.drops.values())

    @property
    def blocked_by(self) -> list[str]:
        return [stage for stage, v in self.validations.items() if not v.passed]

    def count_rejects(self, rejects: pa.Table) -> None:
        for stage, reason in zip(
            rejects["stage"].to_pylist(), rejects["reason"].to_pylist(), strict=True
        ):
            self.drops[(stage, reason)] += 1

    def stage_counts_json(self) -> str:
        return json.dumps(
            {
                "stages": [vars(s) for s in self.stages],
                "drops": {f"{s}/{r}": n for (s, r), n in self.drops.items()},
                "removed_paragraphs": dict(self.removed_paragraphs),
                "validation": {s: v.describe() for s, v in self.validations.items()},
            },
            ensure_ascii=False,
        )
