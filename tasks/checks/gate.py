"""The verdict after a stage's checks: go on, quarantine some documents, or block the run.

A check that names rows (a sentence whose words do not re-join its text, an entity whose offsets
are off) costs only the documents it names: they leave every table of the run for `rejects`
(reason `failed_check`) and `quarantine` (with an excerpt of the offending text), and the rest
go on to be published. The run stops, publishing nothing, only when the stage itself looks
broken:
- a schema or table-level check failed (a column missing, the ledger off, repeated keys);
- a row-level check failed on more rows than its `mostly` allows (expectations/build.py);
- the documents to quarantine are more than `max_quarantine_share` of the stage's documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from vnnews.tasks.checks.findings import MAX_TEXT, Finding, StageValidation
from vnnews.tasks.checks.quarantine import Texts, row_key
from vnnews.tasks.tables import REJECTS, from_rows, reject

DETAILS_PER_REJECT = 3


@dataclass
class Verdict:
    stage: str
    key: str  # the column that names a document at this stage: source_uri at ingest, else doc_id
    blocked: str | None = None  # why the run stops here; None when it goes on
    named: dict[str, list[tuple[Finding, dict]]] = field(default_factory=dict)  # key -> rows

    @property
    def documents(self) -> set[str]:
        """The documents to quarantine."""
        return set(self.named)


def judge(validation: StageValidation, n_documents: int, max_share: float) -> Verdict:
    key = "source_uri" if validation.stage == "ingest" else "doc_id"
    verdict = Verdict(validation.stage, key)
    for finding in validation.findings:
        if finding.names_rows:
            for row in finding.rows:
                if row.get(key) is not None:
                    verdict.named.setdefault(row[key], []).append((finding, row))
    reasons = [f.describe() for f in validation.failed_critical]
    share = len(verdict.named) / n_documents if n_documents else 0.0
    if not reasons and share > max_share:
        reasons.append(
            f"{len(verdict.named)} of {n_documents} documents ({share:.0%}) failed row checks, "
            f"more than max_quarantine_share={max_share:g}: the stage looks broken"
        )
    verdict.blocked = "; ".join(reasons) or None
    return verdict


def without(table: pa.Table, column: str, values: set[str]) -> pa.Table:
    """The table less the rows whose `column` is one of `values`."""
    if not values or table.num_rows == 0 or column not in table.column_names:
        return table
    gone = pc.is_in(table[column], value_set=pa.array(sorted(values), pa.string()))
    return table.filter(pc.invert(pc.fill_null(gone, False)))


def _where(finding: Finding, row: dict) -> str:
    located = row_key(finding, row)
    at = f" at {located}" if located else ""
    return f"{finding.expectation}({finding.column}) = {row.get(finding.column)!r}{at}"


def rejects(verdict: Verdict, texts: Texts) -> pa.Table:
    """One `failed_check` reject per quarantined document: which checks, on which rows."""
    rows = []
    for key, named in verdict.named.items():
        detail = "; ".join(_where(f, row) for f, row in named[:DETAILS_PER_REJECT])
        if len(named) > DETAILS_PER_REJECT:
            detail += f"; and {len(named) - DETAILS_PER_REJECT} more rows"
        doc_id = None if verdict.key == "source_uri" else key
        uri = key if verdict.key == "source_uri" else texts.source_uri(key)
        rows.append(reject(uri, verdict.stage, "failed_check", detail[:MAX_TEXT], doc_id=doc_id))
    return from_rows(rows, REJECTS)
