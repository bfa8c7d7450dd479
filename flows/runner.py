"""Where a run's NLP batches go: this machine's process pool, or a Dask cluster.

With `runner = "dask"` the flow gets Prefect's `DaskTaskRunner`, and tokenise and extract
submit all their batches of a part at once, each a Prefect task on one single-thread Dask
worker (the underthesea models load once per worker process and stay). Without an address,
the runner starts a `LocalCluster` of `workers` processes for the run; with `dask_address` it
uses that scheduler, whose workers may be on other machines (each needs vnnews installed, and
the data dir, rules and gazetteers at the same paths, or shared storage).
"""

from __future__ import annotations

from dataclasses import replace

from vnnews.tasks.settings import Settings


def task_runner(settings: Settings):
    """The flow's task runner for `settings`, or None for Prefect's default."""
    if settings.runner != "dask":
        return None
    import dask
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    # Dask's workers sample their task threads' stacks every 10 ms for the dashboard's profile
    # page: on the NLP, pure Python, that costs about a fifth of the speed (a 500-article
    # tokenise batch: 6.0-7.2 s on a worker, 5.3-5.9 s without, 5.3-5.9 s in a plain process).
    # The cluster's worker processes take the config of this one.
    dask.config.set({"distributed.worker.profile.enabled": False})
    cluster = {"n_workers": settings.workers, "threads_per_worker": 1, "processes": True,
               "dashboard_address": ":0"}  # fmt: skip
    return DaskTaskRunner(cluster_kwargs=cluster)


def warm_up(settings: Settings, log):
    """Connect to the Dask cluster and warm its workers up in a thread, while the flow reads
    and cleans (flows/dask_warm_up.py); the thread."""
    from prefect.context import FlowRunContext

    from vnnews.flows import dask_warm_up

    runner = FlowRunContext.get().task_runner
    return dask_warm_up.start(runner, settings.gazetteers_dir, log)


def describe_workers(settings: Settings) -> str:
    """Where the NLP runs, for the run's report: "2 Dask workers", "1 local worker"."""
    n, s = settings.workers, "" if settings.workers == 1 else "s"
    if settings.runner != "dask":
        return f"{n} local worker{s}"
    if settings.dask_address:
        return f"the Dask cluster at {settings.dask_address}"
    return f"{n} Dask worker{s}"


def pipeline_for(settings: Settings):
    """The vnnews flow, on the task runner `settings` ask for."""
    from vnnews.flows.pipeline import pipeline

    runner = task_runner(settings)
    return pipeline if runner is None else pipeline.with_options(task_runner=runner)


class Done:
    """The answer of a task run in this thread, with a future's `result()`."""

    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value

    def release(self) -> None:
        self.value = None


def submit(task, calls: list[tuple], settings: Settings, aside: bool = False) -> list:
    """task(*call, settings) for each call, as futures in the calls' order (a call may hold
    the futures of an earlier submit). On Dask all go to the cluster at once, one batch per
    worker. Locally with `aside`, they go to Prefect's threads, each waiting on the process
    pool, so that the flow goes on meanwhile; else they run one after another, now (each
    batch spreads over the pool when there is more than one worker)."""
    if settings.runner == "dask":
        one_process = replace(settings, workers=1)  # a Dask worker is the process
        return [task.submit(*call, one_process) for call in calls]
    if aside:
        return [task.submit(*call, settings, aside=True) for call in calls]
    return [Done(task(*_values(call), settings)) for call in calls]


def _values(call: tuple) -> tuple:
    return tuple(arg.result() if isinstance(arg, Done) else arg for arg in call)
