"""A run killed mid-way (kill -9, a power cut) cannot record its own end. It leaves its record
in the lake's lock file (tasks/lake/lock.py), and the next run on the lake closes the books: a
`crashed` row in `runs` (its data was never committed), and its Prefect flow run marked Crashed
instead of staying Running for ever."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa

from vnnews.flows.run import Run
from vnnews.tasks.lake import catalog

SEEN = "SELECT run_id FROM runs WHERE run_id = ?"


def record_crashed(run: Run, killed: dict) -> None:
    run_id, pid = str(killed["run_id"]), killed.get("pid", "?")
    seen = catalog.read_query(
        run.settings, "runs", SEEN, pa.schema([("run_id", pa.string())]), [run_id]
    )
    if seen.num_rows:  # it was killed after its commit: its own row tells the story
        return
    try:
        started = datetime.fromisoformat(str(killed.get("since")))
    except ValueError:
        started = None
    now = datetime.now(UTC)
    row = {"run_id": run_id, "started_at": started or now, "finished_at": now, "status": "crashed"}
    row |= {"n_in": 0, "n_published": 0, "n_rejected": 0, "n_unchanged": 0, "n_replaced": 0}
    snapshot = run.publish({}, row, {})
    why = f"process {pid} was killed; found by run {run.summary.run_id}"
    run.log.warning(
        "run %s did not finish (%s): recorded as crashed, snapshot %s", run_id, why, snapshot
    )
    _mark_crashed(run, run_id, why)


def _mark_crashed(run: Run, run_id: str, why: str) -> None:
    from prefect.client.orchestration import get_client
    from prefect.states import Crashed

    try:
        with get_client(sync_client=True) as client:
            client.set_flow_run_state(run_id, Crashed(message=f"Crashed: {why}"), force=True)
    except Exception as exc:  # it ran against another Prefect server, or none is reachable
        run.log.info("could not mark flow run %s as crashed in Prefect: %s", run_id, exc)
