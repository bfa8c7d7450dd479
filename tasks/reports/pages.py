"""Run reports: one self-contained HTML page per run, and an index of every run.

Pages are written under <data dir>/reports/: `index.html` and `runs/<run id>.html`. Everything
they show comes from the lake (run_data.py), charts are inline SVG (charts.py),
and every value is HTML-escaped by the templates (Jinja2 autoescape): article text with
`<script>` in it shows as text.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path

from markupsafe import Markup

from vnnews.tasks.checks.findings import STAGES
from vnnews.tasks.reports import charts
from vnnews.tasks.reports.run_data import RunReport, latest_run_id, run_report, runs
from vnnews.tasks.settings import Settings

INDEX_RUNS_CHARTED = 30


@cache
def _templates():
    import jinja2

    loader = jinja2.FileSystemLoader(Path(__file__).parent / "templates")
    return jinja2.Environment(loader=loader, autoescape=True)


def page_name(run_id: str) -> str:
    return re.sub(r"[^\w.-]", "_", run_id) + ".html"


def _per_stage(report: RunReport) -> list[dict]:
    out = []
    for stage in STAGES:
        rows = [v for v in report.validations if v["stage"] == stage]
        if not rows:
            continue
        failed = [v for v in rows if not v["success"]]
        out.append(
            {
                "stage": stage,
                "total": len(rows),
                "passed": len(rows) - len(failed),
                "critical": sum(v["severity"] == "critical" for v in failed),
                "warning": sum(v["severity"] != "critical" for v in failed),
                "quarantining": sum(_quarantining(v) for v in rows),
                "page": rows[0]["docs_page"],
            }
        )
    return out


def _quarantining(result: dict) -> bool:
    """A critical row check that passed within its `mostly` but named rows to quarantine."""
    return bool(
        result["success"] and result["severity"] == "critical" and result["unexpected_count"]
    )


def _failures(report: RunReport) -> list[dict]:
    """Failed checks and the quarantining ones, each with its verdict for the page."""
    shown = [v for v in report.validations if not v["success"] or _quarantining(v)]
    return [
        {
            **v,
            "verdict": "quarantine" if v["success"] else v["severity"],
            "samples": json.loads(v["sample"] or "[]")[:5],
        }
        for v in shown
    ]


def render_run(report: RunReport, data_docs: str) -> str:
    run, stages = report.run, report.stages
    for s in stages:
        s.setdefault("seconds", 0.0)
        s.setdefault("validation_seconds", 0.0)
        s.setdefault("startup_seconds", 0.0)
        s["rate"] = f"{s['docs_in'] / s['seconds']:.0f}" if s["seconds"] > 0 else ""
    names = [s["stage"] for s in stages]
    cards = [
        ("articles in", run["n_in"]),
        ("published", run["n_published"]),
        ("rejected", run["n_rejected"]),
        ("unchanged", run["n_unchanged"]),
        ("new versions", run["n_replaced"]),
        ("quarantined", run.get("n_quarantined") or 0),
    ]
    docs_in = [s["docs_in"] for s in stages]
    docs_out = [s["docs_out"] for s in stages]
    seconds = {
        "compute": [s["seconds"] for s in stages],
        "validation": [s["validation_seconds"] for s in stages],
    }
    startup = round(sum(s["startup_seconds"] for s in stages), 2)  # 0 once GX is loaded
    if startup:
        seconds["GX start-up"] = [s["startup_seconds"] for s in stages]
    svg = {
        "funnel_chart": charts.horizontal_bars(
            names, {"in": docs_in, "out": docs_out}, "documents"
        ),
        "time_chart": charts.horizontal_bars(names, seconds, "seconds", stacked=True),
        "drops_chart": charts.horizontal_bars(
            [f"{s}: {r}" for s, r, _ in report.drops],
            {"documents": [n for *_, n in report.drops]},
            "documents",
        )
        if report.drops
        else "",
        "entities_chart": charts.coloured_bars(
            [name for _, name, _ in report.entities],
            [n for *_, n in report.entities],
            [kind for kind, *_ in report.entities],
            "mentions",
        )
        if report.entities
        else "",
    }
    return (
        _templates()
        .get_template("run.html.j2")
        .render(
            run=run,
            blocked=report.blocked,
            warnings=report.warnings,
            cards=cards,
            stages=stages,
            drops=report.drops,
            removed=report.removed_paragraphs,
            fetched=report.fetched,
            nlp=report.nlp,
            per_stage=_per_stage(report),
            failures=_failures(report),
            quarantine=report.quarantine,
            entities=report.entities,
            startup=startup,
            data_docs=data_docs,
            **{k: Markup(v) for k, v in svg.items()},  # matplotlib escapes the text it writes
        )
    )


def render_index(settings: Settings, all_runs: list[dict], pages: Path) -> str:
    for r in all_runs:
        page = pages / page_name(r["run_id"])
        r["page"] = f"runs/{page.name}" if page.exists() else None
    charted = all_runs[:INDEX_RUNS_CHARTED][::-1]
    chart = charts.run_columns(
        [r["run_id"][:8] for r in charted],
        [r["n_published"] or 0 for r in charted],
        [r["n_rejected"] or 0 for r in charted],
        [r["n_unchanged"] or 0 for r in charted],
    )
    data_docs = Path(os.path.relpath(settings.data_docs_dir, settings.reports_dir))
    return (
        _templates()
        .get_template("index.html.j2")
        .render(
            lake=settings.lake_label,
            runs=all_runs,
            chart=Markup(chart),
            chart_runs=len(charted),
            data_docs=f"{data_docs.as_posix()}/index.html",
        )
    )


def write_reports(settings: Settings, run_id: str | None = None) -> Path:
    """Write the page of `run_id` or a unique prefix of it (default: the latest run) and the
    index; returns the page."""
    run_id = run_id or latest_run_id(settings)
    pages = settings.reports_dir / "runs"
    pages.mkdir(parents=True, exist_ok=True)
    data_docs = Path(os.path.relpath(settings.data_docs_dir, pages)).as_posix()
    report = run_report(settings, run_id)  # a prefix is looked up: the page has the full id
    page = pages / page_name(report.run["run_id"])
    page.write_text(render_run(report, data_docs), encoding="utf-8")
    index = settings.reports_dir / "index.html"
    index.write_text(render_index(settings, runs(settings), pages), encoding="utf-8")
    return page
