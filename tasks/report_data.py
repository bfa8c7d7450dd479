"""What a run report shows, read from the lake as plain data (tasks/report.py renders it)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from tasks import lake
from tasks.settings import Settings

RUN_COLUMNS = (
    "run_id, snapshot_id, started_at, finished_at, status, n_in, n_published, n_rejected, "
    "n_unchanged, n_replaced, sources, stage_counts, code_revision"
)


class UnknownRun(LookupError):
    pass


@dataclass
class RunReport:
    run: dict
    stages: list[dict]  # stage, docs_in, docs_out, rows, seconds, validation_seconds
    drops: list[tuple[str, str, int]]  # stage, reason, documents
    removed_paragraphs: list[tuple[str, int]]  # boilerplate rule, paragraphs
    validations: list[dict] = field(default_factory=list)  # validation_results rows
    quarantine: list[dict] = field(default_factory=list)
    entities: list[tuple[str, str, int]] = field(default_factory=list)  # type, name, mentions


def _records(columns: list[str], rows: list[tuple]) -> list[dict]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


def runs(settings: Settings) -> list[dict]:
    """Every run, newest first."""
    sql = f"SELECT {RUN_COLUMNS} FROM runs ORDER BY started_at DESC"
    return _records(*lake.query(settings, sql))


def latest_run_id(settings: Settings) -> str:
    found = runs(settings)
    if not found:
        raise UnknownRun("The lake has no runs yet. Run `vnnews run` first.")
    return found[0]["run_id"]


def _has(settings: Settings, table: str, snapshot: int) -> bool:
    sql = "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'lake' AND table_name = ?"
    return lake.query(settings, sql, [table], snapshot=snapshot)[1][0][0] > 0


def run_report(settings: Settings, run_id: str) -> RunReport:
    """One run, read at the snapshot it committed: later versions do not change its report."""
    sql = f"SELECT {RUN_COLUMNS} FROM runs WHERE run_id = ?"
    found = _records(*lake.query(settings, sql, [run_id]))
    if not found:
        raise UnknownRun(f"No run {run_id!r} in the lake; `vnnews runs` lists them.")
    run = found[0]
    counts = json.loads(run["stage_counts"] or "{}")
    drops = [(*key.split("/", 1), n) for key, n in counts.get("drops", {}).items()]
    removed = counts.get("removed_paragraphs", {}).items()
    report = RunReport(
        run=run,
        stages=counts.get("stages", []),
        drops=sorted(drops, key=lambda d: -d[2]),
        removed_paragraphs=sorted(removed, key=lambda r: -r[1]),
    )
    snapshot = run["snapshot_id"]
    if snapshot is None:
        return report

    def at_run(sql: str) -> list[dict]:
        return _records(*lake.query(settings, sql, [run_id], snapshot=snapshot))

    if _has(settings, "validation_results", snapshot):
        report.validations = at_run(
            "SELECT * EXCLUDE (run_id) FROM validation_results WHERE run_id = ? "
            "ORDER BY success, severity, stage"
        )
    if _has(settings, "quarantine", snapshot):
        report.quarantine = at_run(
            "SELECT * EXCLUDE (run_id) FROM quarantine WHERE run_id = ? LIMIT 50"
        )
    if run["status"] == "published" and _has(settings, "entities", snapshot):
        rows = at_run(
            "SELECT type, coalesce(normalized, text) AS name, count(*) AS n FROM entities "
            "WHERE run_id = ? GROUP BY ALL ORDER BY n DESC, name LIMIT 20"
        )
        report.entities = [(r["type"], r["name"], r["n"]) for r in rows]
    return report
