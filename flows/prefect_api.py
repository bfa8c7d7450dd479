"""Which Prefect API a command talks to, in this order:

1. PREFECT_API_URL, when the user's environment or Prefect profile sets one;
2. a server already answering at settings.server_host:server_port (`vnnews server`): the run
   shows in its UI, with its logs and the funnel artifact;
3. otherwise one started here (flows/server.py) and stopped when the command ends: for `serve`
   the full server on that port, for `run` a temporary one without services on a free port.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from vnnews.flows import server
from vnnews.tasks.settings import Settings


@dataclass(frozen=True)
class Api:
    url: str
    started_here: bool

    @property
    def ui(self) -> str:
        return self.url.removesuffix("/api")


def server_up(settings: Settings) -> bool:
    """Whether prefect_api() would find a server up (1 or 2 above), asked without importing
    Prefect (seconds) unless Prefect is loaded already or a Prefect setting file may name one."""
    if os.environ.get("PREFECT_API_URL"):
        return True
    if "prefect" in sys.modules or _prefect_configured():
        from prefect.settings import PREFECT_API_URL

        if PREFECT_API_URL.value():
            return True
    return server.healthy(server.api_url(settings.server_host, settings.server_port))


def _prefect_configured() -> bool:
    """Whether a file Prefect reads its settings from may set an API URL: the profiles, and
    .env, prefect.toml or pyproject.toml's [tool.prefect] in the working directory."""
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml")
    files = {profiles: "api", Path(".env"): "prefect_api", Path("prefect.toml"): "api",
             Path("pyproject.toml"): "tool.prefect"}  # fmt: skip
    for path, mark in files.items():
        try:
            if mark in path.read_text(encoding="utf-8", errors="replace").lower():
                return True
        except OSError:
            continue
    return False


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
