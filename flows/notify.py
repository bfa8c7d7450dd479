"""A failed, blocked or crashed run tells a webhook (settings.notify_url): a JSON POST with the
run id, its status and counts, why it stopped and where its report is. A webhook that is down
is logged and never changes the run's outcome."""

from __future__ import annotations

import json
import urllib.request

from prefect.logging import get_logger

from vnnews.tasks.reports.summary import RunSummary
from vnnews.tasks.settings import load_settings

TIMEOUT_SECONDS = 10


def payload(flow_run, state) -> dict:
    summary = state.result(raise_on_failure=False) if state.data is not None else None
    body = {
        "run_id": str(flow_run.id),
        "flow_run": flow_run.name,
        "status": "crashed" if state.is_crashed() else "failed",
        "message": state.message,
        "data_dir": flow_run.parameters.get("data_dir"),
    }
    if isinstance(summary, RunSummary):
        body["status"] = "blocked" if summary.blocked else summary.status
        body["blocked"] = summary.blocked
        body["counts"] = {
            "in": summary.n_in,
            "published": summary.n_published,
            "rejected": summary.n_rejected,
            "quarantined": summary.n_quarantined,
            "unchanged": summary.n_unchanged,
        }
        body["report"] = summary.reports.get("report")
    return body


def post(url: str, body: dict) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(body, default=str).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as reply:
        reply.read()


def notify_failure(flow, flow_run, state) -> None:
    """Prefect's on_failure / on_crashed hook of the vnnews flow."""
    log = get_logger("vnnews.notify")
    try:
        settings = load_settings(data_dir=flow_run.parameters.get("data_dir"))
        if settings.notify_url:
            post(settings.notify_url, payload(flow_run, state))
            log.info("notified %s of run %s", settings.notify_url, flow_run.id)
    except Exception as exc:  # a hook must not turn a failed run into a stranger failure
        log.warning("could not notify of run %s: %s", flow_run.id, exc)
