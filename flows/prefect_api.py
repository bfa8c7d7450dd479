"""Which Prefect API a command talks to, in this order:

1. PREFECT_API_URL, when the user's environment or Prefect profile sets one;
2. a server already answering at settings.server_host:server_port (`vnnews server`): the run
   shows in its UI, with its logs and the funnel artifact;
3. otherwise one started here (flows/server.py) and stopped when the command ends: for `serve`
   the full server on that port, for `run` a temporary one without services on a free port.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from vnnews.flows import server
from vnnews.tasks.settings import Settings


@dataclass(frozen=True)
class Api:
    url: str
    started_here: bool

    @property
    def ui(self) -> str:
        return self.url.removesuffix("/api")


@contextmanager
def prefect_api(
    settings: Settings, *, temporary: bool, meanwhile: Callable[[], object] = lambda: None
) -> Iterator[Api]:
    """The API for the block, with PREFECT_API_URL pointing at it. `meanwhile` runs before the
    block, while a server started here is starting."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if given := PREFECT_API_URL.value():
        meanwhile()
        yield Api(given, started_here=False)
        return
    host, port = settings.server_host, settings.server_port
    if server.healthy(up := server.api_url(host, port)):
        meanwhile()
        with temporary_settings({PREFECT_API_URL: up}):
            yield Api(up, started_here=False)
        return
    if temporary:  # on a port of its own: 4200 stays free for `vnnews server`
        port = server.free_port(host)
    url = server.api_url(host, port)
    with (
        server.started_server(settings, host, port, not temporary, meanwhile),
        temporary_settings({PREFECT_API_URL: url}),
    ):
        try:
            yield Api(url, started_here=True)
        finally:
            _drain()


def _drain() -> None:
    """Send the logs and events still queued before the server they go to stops."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.utilities.asyncutils import run_coro_as_sync

    async def drain() -> None:
        try:
            result = APILogWorker.instance().drain()
            if inspect.isawaitable(result):
                await result
        except RuntimeError:  # the log worker never started
            pass
        result = EventsWorker.drain_all()
        if inspect.isawaitable(result):
            await result

    run_coro_as_sync(drain())
