"""Dask workers that load the NLP models as they join, while the flow reads and cleans.

Prefect's DaskTaskRunner connects to its scheduler (and starts its LocalCluster) when it is
handed its first task: tokenise's, after ingest and clean. Each worker then imported Prefect and
the NLP stack and loaded the models inside its first batch: 5 s or more of every run's NLP,
measured on 2,000 articles (tokenise's first batch took 11 s, the next ones 6-7 s). Here the
flow connects as it starts reading (flows/parts.py, beside the local pool's warm-up), in a
thread, and registers a worker plugin that warms each worker up as it joins (a worker that
joins later too; on workers already warm it returns at once).
"""

from __future__ import annotations

import threading
from pathlib import Path

from distributed.diagnostics.plugin import WorkerPlugin


class LoadModels(WorkerPlugin):
    name = "vnnews-load-models"

    def __init__(self, gazetteers: Path):
        self.gazetteers = gazetteers

    def setup(self, worker) -> None:
        # Run before the worker takes tasks, so no batch loads the models a second time. A
        # worker's first task also imports Prefect's task engine and the flow's steps (3-4 s).
        import prefect.task_engine  # noqa: F401

        import vnnews.flows.steps  # noqa: F401
        from vnnews.tasks import batch

        batch.warm_up(self.gazetteers)


def start(task_runner, gazetteers: Path, log) -> threading.Thread:
    """Connect `task_runner` (a DaskTaskRunner) and warm its workers up, in a thread; join it
    before handing over the first task, so that the runner is connected only once."""

    def connect() -> None:
        try:
            task_runner.client.register_plugin(LoadModels(gazetteers))
        except Exception as exc:  # the first batch will load them, or say what is wrong
            log.warning("could not warm the Dask workers up ahead of the NLP: %s", exc)

    thread = threading.Thread(target=connect, name="vnnews-dask-warm-up", daemon=True)
    thread.start()
    return thread
