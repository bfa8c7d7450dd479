"""What a stage's checkpoint found: one Finding per expectation, a StageValidation per stage.

Plain data, read by the gate (quarantine or block), the run summary and the reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STAGES = ("ingest", "clean", "tokenise", "extract", "publish")
MAX_TEXT = 2000  # characters of one failing value kept in a sample or the quarantine


@dataclass(frozen=True)
class Finding:
    """The outcome of one expectation on one stage's frame."""

    stage: str
    expectation: str
    column: str | None
    severity: str
    success: bool
    notes: str = ""
    observed: str | None = None
    unexpected_count: int | None = None
    unexpected_percent: float | None = None
    sample: list = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # keys and value of every failing row
    # A row-level check passes while at least this share of rows does (GX `mostly`); the rows
    # that fail are quarantined. None: any failure fails the check (schema and table checks).
    mostly: float | None = None

    @property
    def names_rows(self) -> bool:
        """A critical check that named failing rows: their documents are quarantined."""
        return self.severity == "critical" and bool(self.rows) and bool(self.unexpected_count)

    def describe(self) -> str:
        where = f"({self.column})" if self.column else ""
        count = f": {self.unexpected_count} unexpected" if self.unexpected_count else ""
        if self.unexpected_percent is not None and self.mostly is not None and self.rows:
            allowed = 100 * (1 - self.mostly)
            count += f" ({self.unexpected_percent:.1f}% of rows, {allowed:g}% allowed)"
        return f"{self.expectation}{where}{count}"


@dataclass(frozen=True)
class StageValidation:
    stage: str
    findings: list[Finding]
    docs_page: str | None = None  # this result's page, relative to the Data Docs folder
    result_ids: list = field(default_factory=list, compare=False)  # GX identifiers, for the docs
    # Of the time it took, what went to GX's one-off import and context (the first checkpoint).
    startup_seconds: float = field(default=0.0, compare=False)

    @property
    def evaluated(self) -> int:
        return len(self.findings)

    @property
    def failed_critical(self) -> list[Finding]:
        return [f for f in self.findings if not f.success and f.severity == "critical"]

    @property
    def failed_warning(self) -> list[Finding]:
        return [f for f in self.findings if not f.success and f.severity != "critical"]

    @property
    def quarantining(self) -> list[Finding]:
        """Critical checks that passed within their `mostly` but named failing rows."""
        return [f for f in self.findings if f.success and f.names_rows]

    @property
    def passed(self) -> bool:
        """True when no critical expectation failed; warnings never block publishing."""
        return not self.failed_critical

    def describe(self) -> str:
        if not (self.failed_critical or self.failed_warning or self.quarantining):
            return f"passed {self.evaluated}/{self.evaluated}"
        parts = [f"FAILED {f.describe()}" for f in self.failed_critical]
        parts += [f"quarantine {f.describe()}" for f in self.quarantining]
        parts += [f"warning {f.describe()}" for f in self.failed_warning]
        return "; ".join(parts)
