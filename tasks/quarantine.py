"""Validation outcomes as tables: every expectation's result, and the rows that failed."""

from __future__ import annotations

import json

import pyarrow as pa

from tasks.tables import QUARANTINE, VALIDATION_RESULTS
from tasks.validate import Finding, StageValidation


def results_table(validations: list[StageValidation]) -> pa.Table:
    rows = [
        {
            "snapshot_id": None,  # set by publish, in the transaction that commits the run
            "stage": v.stage,
            "expectation": f.expectation,
            "column": f.column,
            "severity": f.severity,
            "success": f.success,
            "observed_value": f.observed,
            "unexpected_count": f.unexpected_count,
            "unexpected_percent": f.unexpected_percent,
            "sample": json.dumps(f.sample, ensure_ascii=False) if f.sample else None,
            "notes": f.notes,
            "docs_page": v.docs_page,
        }
        for v in validations
        for f in v.findings
    ]
    return pa.Table.from_pylist(rows, schema=VALIDATION_RESULTS)


def _rows(f: Finding) -> list[dict]:
    base = {"stage": f.stage, "expectation": f.expectation, "column": f.column}
    if not f.rows:  # a table-level expectation: the observed value is the evidence
        return [{**base, "value": f.observed}]
    out = []
    for row in f.rows:
        located = {k: v for k, v in row.items() if k != f.column}
        out.append(
            {
                **base,
                "doc_id": located.pop("doc_id", None),
                "source_uri": located.pop("source_uri", None),
                "row_key": json.dumps(located, ensure_ascii=False, default=str)
                if located
                else None,
                "value": None if row.get(f.column) is None else str(row[f.column]),
            }
        )
    return out


def quarantine_table(validations: list[StageValidation]) -> pa.Table:
    """The rows named by every failed critical expectation (warnings publish, so they are not
    quarantined)."""
    rows = [r for v in validations for f in v.failed_critical for r in _rows(f)]
    return pa.Table.from_pylist(rows, schema=QUARANTINE)
