"""Validation outcomes as tables: every expectation's result, and the rows the failing ones
named, each with an excerpt of its offending text."""

from __future__ import annotations

import json

import pyarrow as pa

from vnnews.tasks.checks.findings import MAX_TEXT, Finding, StageValidation
from vnnews.tasks.tables import QUARANTINE, VALIDATION_RESULTS, from_rows

EXCERPT = 300  # characters of the offending text kept with a quarantined row


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


def row_key(finding: Finding, row: dict) -> str | None:
    """Where in its document a named row is (JSON: sent_idx, kind, start, ...)."""
    located = {k: v for k, v in row.items() if k not in (finding.column, "doc_id", "source_uri")}
    return json.dumps(located, ensure_ascii=False, default=str) if located else None


class Texts:
    """The offending text of a named row, looked up in the stage's own tables."""

    def __init__(self, data: dict):
        # Only tables in memory: a run's staged parts (at publish) name no rows to look up.
        self.data = {name: t for name, t in data.items() if isinstance(t, pa.Table)}
        self._sentences: dict | None = None
        self._bodies: dict | None = None
        self._uris: dict | None = None

    def _body(self, row: dict) -> str:
        """The clean body (the raw text at ingest) of the row's document."""
        if self._bodies is None:
            self._bodies = {}
            if (docs := self.data.get("documents")) is not None:
                self._bodies = dict(
                    zip(*(docs[c].to_pylist() for c in ("doc_id", "body")), strict=True)
                )
            elif (raw := self.data.get("raw")) is not None:
                uris, texts = raw["source_uri"].to_pylist(), raw["raw_text"].to_pylist()
                self._bodies = dict(zip(uris, texts, strict=True))
        found = self._bodies.get(row.get("doc_id")) or self._bodies.get(row.get("source_uri"))
        return found or ""

    def source_uri(self, doc_id: str) -> str | None:
        docs = self.data.get("documents")
        if docs is None:
            return None
        if self._uris is None:
            self._uris = dict(
                zip(*(docs[c].to_pylist() for c in ("doc_id", "source_uri")), strict=True)
            )
        return self._uris.get(doc_id)

    def excerpt(self, finding: Finding, row: dict) -> str | None:
        if row.get("sent_idx") is not None and "sentences" in self.data:
            if self._sentences is None:
                s = self.data["sentences"]
                keys = zip(s["doc_id"].to_pylist(), s["sent_idx"].to_pylist(), strict=True)
                self._sentences = dict(zip(keys, s["text"].to_pylist(), strict=True))
            return (self._sentences.get((row.get("doc_id"), row["sent_idx"])) or "")[:EXCERPT]
        body = self._body(row)
        if isinstance(row.get("start"), int):  # a mention: the text around where it points
            start = max(0, row["start"] - EXCERPT // 3)
            return body[start : start + EXCERPT]
        if finding.column == "boilerplate_line" and row.get(finding.column):
            return str(row[finding.column])[:EXCERPT]
        return body[:EXCERPT] or None


def quarantine_table(validation: StageValidation, texts: Texts) -> pa.Table:
    """The rows every failed or quarantining critical check named, each with an excerpt of the
    offending text; a failed table-level check gives one row with what it observed."""
    rows = []
    for f in validation.findings:
        if f.severity != "critical" or (f.success and not f.names_rows):
            continue
        base = {"stage": f.stage, "expectation": f.expectation, "column": f.column}
        if not f.rows:  # a table-level expectation: the observed value is the evidence
            rows.append({**base, "value": f.observed})
            continue
        for row in f.rows:
            value = row.get(f.column)
            rows.append(
                {
                    **base,
                    "doc_id": row.get("doc_id"),
                    "source_uri": row.get("source_uri") or texts.source_uri(row.get("doc_id")),
                    "row_key": row_key(f, row),
                    "value": None if value is None else str(value)[:MAX_TEXT],
                    "excerpt": texts.excerpt(f, row),
                }
            )
    return from_rows(rows, QUARANTINE)
