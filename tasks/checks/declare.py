"""How the stage suites are declared: each expectation with a severity and a why.

`critical` acts on the run (gate.py), `warning` is reported only. A critical *row*
check (`row_check`) has a `mostly`: the documents of the rows it names are quarantined and the
rest publish, unless more than 1 - mostly of the rows fail, which blocks the run. Any other
critical check (columns, keys, the ledger) blocks the run whenever it fails.
"""

from __future__ import annotations

import json
import uuid

CRITICAL, WARNING = "critical", "warning"
# Every id GX writes is derived from names in this namespace: rebuilding changes no file.
IDS = uuid.UUID("5a1c3e1e-7f0b-4d55-9a43-1f6a3c1b2d70")
# A row check fails the stage when more than 5% of its rows fail: a broken stage, not one odd
# document (that one is quarantined; gate.py also caps the share of documents).
ROW_MOSTLY = 0.95
ENTITY_TYPES = ["PER", "LOC", "ORG", "MISC"]
KNOWN_ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1258"]
# Which rows a failing expectation names, per stage: they go to the quarantine table.
ROW_KEYS = {
    "ingest": ["source_uri"],
    "clean": ["doc_id"],
    "tokenise": ["doc_id", "sent_idx"],
    "extract": ["doc_id", "kind", "start"],
    "publish": [],
}


class Declare:
    """The kinds of expectation the suites are made of, each with its severity and why."""

    def __init__(self, stage: str):
        import great_expectations.expectations as gxe

        self.stage, self.gxe = stage, gxe

    def expect(self, kind: str, severity: str, why: str, **kwargs):
        meta = {"severity": severity}
        return getattr(self.gxe, kind)(severity=severity, meta=meta, notes=why, **kwargs)

    def critical(self, kind: str, why: str, **kwargs):
        return self.expect(kind, CRITICAL, why, **kwargs)

    def warning(self, kind: str, why: str, **kwargs):
        return self.expect(kind, WARNING, why, **kwargs)

    def row_check(self, kind: str, why: str, **kwargs):
        return self.critical(kind, why, mostly=ROW_MOSTLY, **kwargs)

    def has_columns(self, *columns: str):
        why = "The stage's output has the columns later stages read."
        return self.critical(
            "ExpectTableColumnsToMatchSet", why, column_set=list(columns), exact_match=False
        )

    def not_null(self, column: str):
        why = f"Every row has a {column}."
        return self.critical("ExpectColumnValuesToNotBeNull", why, column=column)

    def is_true(self, column: str, why: str):
        return self.row_check("ExpectColumnValuesToBeInSet", why, column=column, value_set=[True])


def param(name: str) -> dict:
    """A value the run supplies from its settings and rule pack (tasks/checks/validate.py)."""
    return {"$PARAMETER": name}


def stable_id(name: str) -> str:
    """The id GX files carry for `name`: the same on every build."""
    return str(uuid.uuid5(IDS, name))


def expectation_name(stage: str, expectation) -> str:
    """What makes an expectation itself: its stage, kind and arguments (not its wording)."""
    config = expectation.configuration
    return json.dumps([stage, config.type, config.kwargs], sort_keys=True, default=str)
