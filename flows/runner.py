"""Where a run's NLP batches go: this machine's process pool, or a Dask cluster.

With `runner = "dask"` the flow gets Prefect's `DaskTaskRunner`, and tokenise and extract
submit all their batches at once, each a Prefect task on one single-thread Dask worker (the
underthesea models load once per worker process and stay). Without an address, the runner
starts a `LocalCluster` of `workers` processes for the run; with `dask_address` it uses that
scheduler, whose workers may be on other machines (each needs vnnews installed, and the data
dir, rules and gazetteers at the same paths, or shared storage).
"""

from __future__ import annotations

from collections.abc import Iterator
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


def each_batch(task, calls: list[tuple], settings: Settings) -> Iterator:
    """task(*call, settings) for each call, in order. Locally one after another (each batch
    spreads over the process pool); on Dask all submitted at once, one batch per worker."""
    if settings.runner != "dask":
        for call in calls:
            yield task(*call, settings)
        return
    one_process = replace(settings, workers=1)  # a Dask worker is the process
    futures = [task.submit(*call, one_process) for call in calls]
    for future in futures:
        yield future.result()
