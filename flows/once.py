"""One run now, as `vnnews run` and `vnnews.run()` start it.

Kept apart from flows/pipeline.py so that the flow's modules (Prefect, GX's wiring, the stages:
seconds of imports) load while the Prefect server starts in its own process, not before it.
"""

from __future__ import annotations

from collections.abc import Callable

from vnnews.flows.prefect_api import Api, prefect_api, server_up
from vnnews.flows.runner import pipeline_for
from vnnews.tasks.settings import run_settings


def run_once(
    sources: list[str] | None = None,
    data_dir: str | None = None,
    tell: Callable[[Api], None] = lambda api: None,
    sources_file: str | None = None,
):
    """Run the flow against the Prefect API that flows/prefect_api.py picks (`tell` hears
    which), else a temporary server. Returns the RunSummary, or the exception the run failed
    with; raises ServerFailed when no server could be started.

    With no server up, a run with nothing new (flows/nothing_new.py) is over before a server
    would start: its record is published without Prefect."""
    settings = run_settings(sources, data_dir, sources_file)
    if not server_up(settings):
        from vnnews.flows.nothing_new import record_without_prefect
        from vnnews.tasks.lake.lock import LockTimeout

        try:
            if done := record_without_prefect(settings):
                return done
        except LockTimeout as busy:  # as the flow fails when another run holds the lake
            return busy
    with prefect_api(settings, temporary=True, meanwhile=_load_flow) as api:
        tell(api)
        state = pipeline_for(settings)(
            sources=sources, data_dir=data_dir, sources_file=sources_file, return_state=True
        )
    return state.result(raise_on_failure=False)


def _load_flow() -> None:
    """What a run will import anyway, while the server starts: the flow, then GX."""
    import vnnews.flows.pipeline  # noqa: F401
    from vnnews.tasks.checks import validate

    validate.import_gx()
