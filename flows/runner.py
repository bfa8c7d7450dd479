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
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    cluster = {"n_workers": settings.workers, "threads_per_worker": 1, "processes": True,
               "dashboard_address": ":0"}  # fmt: skip
    return DaskTaskRunner(cluster_kwargs=cluster)


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
