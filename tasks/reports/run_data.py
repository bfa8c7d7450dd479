"""What a run report shows, read from the lake as plain data (tasks/reports/pages.py renders it)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from vnnews.tasks.lake import catalog, history
from vnnews.tasks.reports.summary import NlpOnWorkers
from vnnews.tasks.settings import Settings

# Every column but the long ones; `*` so that a lake written by an older vnnews still reads.
RUN_COLUMNS = "* EXCLUDE (manifest, versions, settings)"


class UnknownRun(LookupError):
    pass


@dataclass
class RunReport:
    run: dict
    stages: list[dict]  # stage, docs_in, docs_out, rows, seconds, validation_seconds
    blocked: dict[str, str]  # stage -> why the run stopped there
    warnings: list[str]  # what went wrong without failing the run
    drops: list[tuple[str, str, int]]  # stage, reason, documents
    removed_paragraphs: list[tuple[str, int]]  # boilerplate rule, paragraphs
    validations: list[dict] = field(default_factory=list)  # validation_results rows
    quarantine: list[dict] = field(default_factory=list)
    entities: list[tuple[str, str, int]] = field(default_factory=list)  # type, name, mentions
    fetched: dict[str, dict[str, int]] = field(default_factory=dict)  # host -> what ended how
    nlp: str = ""  # the NLP's throughput on the workers (summary.NlpOnWorkers.describe)


def _records(columns: list[str], rows: list[tuple]) -> list[dict]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


def runs(settings: Settings) -> list[dict]:
    """Every run, newest first."""
    sql = f"SELECT {RUN_COLUMNS} FROM runs ORDER BY started_at DESC"
    return _records(*catalog.query(settings, sql))


def latest_run_id(settings: Settings) -> str:
    found = runs(settings)
    if not found:
        raise UnknownRun("The lake has no runs yet. Run `vnnews run` first.")
    return found[0]["run_id"]


def run_report(settings: Settings, run_id: str) -> RunReport:
    """One run, read at the snapshot it committed: later versions do not change its report."""
    try:
        full = history.run_id(settings, run_id)
    except history.UnknownVersion as exc:
        raise UnknownRun(str(exc)) from None
    if full is None:
        raise UnknownRun(f"No run {run_id!r} in the lake; `vnnews runs` lists them.")
    run_id = full
    sql = f"SELECT {RUN_COLUMNS} FROM runs WHERE run_id = ?"
    found = _records(*catalog.query(settings, sql, [run_id]))
    run = found[0]
    counts = json.loads(run["stage_counts"] or "{}")
    drops = [(*key.split("/", 1), n) for key, n in counts.get("drops", {}).items()]
    removed = counts.get("removed_paragraphs", {}).items()
    report = RunReport(
        run=run,
        stages=counts.get("stages", []),
        blocked=counts.get("blocked") or {},
        warnings=counts.get("warnings") or [],
        drops=sorted(drops, key=lambda d: -d[2]),
        removed_paragraphs=sorted(removed, key=lambda r: -r[1]),
        fetched=counts.get("fetched") or {},
        nlp=NlpOnWorkers(**counts["nlp"]).describe() if counts.get("nlp") else "",
    )
    snapshot = run["snapshot_id"]
    if snapshot is None:
        return report

    # One read-only attachment at the run's own snapshot serves every query of the page.
    con = catalog.connect(settings, read_only=True, snapshot=snapshot)
    try:

        def at_run(sql: str) -> list[dict]:
            cursor = con.execute(sql, [run_id])
            return _records([d[0] for d in cursor.description], cursor.fetchall())

        if catalog.has_table(con, "validation_results"):
            report.validations = at_run(
                "SELECT * EXCLUDE (run_id) FROM validation_results WHERE run_id = ? "
                "ORDER BY success, severity, stage"
            )
        if catalog.has_table(con, "quarantine"):
            report.quarantine = at_run(
                "SELECT * EXCLUDE (run_id) FROM quarantine WHERE run_id = ? "
                "ORDER BY stage, doc_id LIMIT 50"
            )
        if run["status"] == "published" and catalog.has_table(con, "entities"):
            rows = at_run(
                "SELECT type, coalesce(normalized, text) AS name, count(*) AS n FROM entities "
                "WHERE run_id = ? GROUP BY ALL ORDER BY n DESC, name LIMIT 20"
            )
            report.entities = [(r["type"], r["name"], r["n"]) for r in rows]
    finally:
        con.close()
    return report
