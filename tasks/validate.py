"""Great Expectations checkpoints, one per stage, run on that stage's output table.

The suites live in the committed GX file context under expectations/ (see expectations/build.py).
Results and Data Docs are written under the data dir only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyarrow as pa

from tasks.settings import Settings, quiet_telemetry

STAGES = ("ingest", "clean", "tokenise", "extract", "publish")


@dataclass(frozen=True)
class Finding:
    expectation: str
    column: str | None
    severity: str
    unexpected_count: int | None
    sample: list = field(default_factory=list)

    def describe(self) -> str:
        where = f"({self.column})" if self.column else ""
        count = f": {self.unexpected_count} unexpected" if self.unexpected_count else ""
        return f"{self.expectation}{where}{count}"


@dataclass(frozen=True)
class StageValidation:
    stage: str
    evaluated: int
    failed_critical: list[Finding]
    failed_warning: list[Finding]
    result_ids: list = field(default_factory=list, compare=False)  # GX identifiers, for the docs

    @property
    def passed(self) -> bool:
        """True when no critical expectation failed; warnings never block publishing."""
        return not self.failed_critical

    def describe(self) -> str:
        if not self.failed_critical and not self.failed_warning:
            return f"passed {self.evaluated}/{self.evaluated}"
        parts = [f"FAILED {f.describe()}" for f in self.failed_critical]
        parts += [f"warning {f.describe()}" for f in self.failed_warning]
        return "; ".join(parts)


@cache
def _context(expectations_dir: Path, results_dir: Path, docs_dir: Path):
    quiet_telemetry()
    os.environ["VNNEWS_GX_RESULTS_DIR"] = str(results_dir)
    os.environ["VNNEWS_DATA_DOCS_DIR"] = str(docs_dir)
    import great_expectations as gx  # slow to import: only when a run validates

    return gx.get_context(mode="file", context_root_dir=str(expectations_dir))


def _finding(result) -> Finding:
    config = result.expectation_config
    details = result.result or {}
    return Finding(
        expectation=config.type,
        column=config.kwargs.get("column") or config.kwargs.get("column_A"),
        severity=str(getattr(config.severity, "value", config.severity)),
        unexpected_count=details.get("unexpected_count"),
        sample=list(details.get("partial_unexpected_list") or [])[:5],
    )


def validate(stage: str, table: pa.Table, settings: Settings) -> StageValidation:
    """Run the stage's checkpoint on its output and sort failures by severity."""
    if stage not in STAGES:
        raise ValueError(f"Unknown stage {stage!r}; expected one of {STAGES}")
    context = _context(settings.expectations_dir, settings.validations_dir, settings.data_docs_dir)
    checkpoint = context.checkpoints.get(stage)
    outcome = checkpoint.run(batch_parameters={"dataframe": table.to_pandas()})
    results = [r for run in outcome.run_results.values() for r in run.results]
    failed = [_finding(r) for r in results if not r.success]
    return StageValidation(
        stage=stage,
        evaluated=len(results),
        failed_critical=[f for f in failed if f.severity == "critical"],
        failed_warning=[f for f in failed if f.severity != "critical"],
        result_ids=list(outcome.run_results),
    )


def build_docs(settings: Settings, validations: list[StageValidation]) -> Path:
    """Render the Data Docs pages of these validations, and the index, once per run.

    Only this run's pages are rendered: a lake validated every hour would otherwise re-render
    every result it ever stored, each time."""
    context = _context(settings.expectations_dir, settings.validations_dir, settings.data_docs_dir)
    ids = [i for v in validations for i in v.result_ids]
    context.build_data_docs(resource_identifiers=ids or None)
    return settings.data_docs_dir / "index.html"
