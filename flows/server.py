"""The Prefect server vnnews talks to: one already running, or one it starts and stops.

`vnnews server` and `vnnews serve` start Prefect's full server (scheduler, late runs,
cancellation, UI); `vnnews run` starts a temporary one without services or UI when no server is
up. Either keeps its database under the data dir (`<data dir>/prefect/`), so the runs of one lake
stay together (a fresh one starts as a copy of a migrated template: flows/prefect_db.py), and
either dies with the vnnews process that started it, even after `kill -9`.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from vnnews.flows import prefect_db
from vnnews.tasks.settings import Settings

PR_SET_PDEATHSIG = 1
# What a temporary server on a database copied from this Prefect version's template need not do.
SKIPPED_CHECKS = ("PREFECT_API_DATABASE_MIGRATE_ON_START", "PREFECT_API_BLOCKS_REGISTER_ON_START")
STOP_SECONDS = 15


class ServerFailed(RuntimeError):
    pass


def api_url(host: str, port: int) -> str:
    return f"http://{host}:{port}/api"


def healthy(api: str, timeout: float = 2.0) -> bool:
    """Whether a Prefect API answers at `api` (a URL ending in /api)."""
    try:
        with urllib.request.urlopen(f"{api}/health", timeout=timeout) as reply:
            return reply.status == 200
    except (OSError, ValueError):
        return False


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def die_with_parent() -> None:
    """In a child before exec: the kernel sends SIGTERM when the parent dies (Linux)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the parent's own shutdown must do
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


@contextmanager
def started_server(
    settings: Settings,
    host: str,
    port: int,
    services: bool = True,
    meanwhile: Callable[[], object] = lambda: None,
) -> Iterator[subprocess.Popen]:
    """`prefect server start` on host:port until the block ends; its log goes to
    <data dir>/prefect/server.log. `meanwhile` runs here while the server starts (the flow's
    imports: seconds of work on another core). Raises ServerFailed, with the log's tail, if
    the server does not answer within settings.server_start_timeout seconds."""
    home = settings.prefect_home
    home.mkdir(parents=True, exist_ok=True)
    log_path = home / "server.log"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    template = prefect_db.template(settings)
    database = prefect_db.prepare(home, template, env)
    if database == "seeded" and not services:  # the template's schema and blocks: ~2 s to check
        for name in SKIPPED_CHECKS:
            env.setdefault(name, "false")  # unless the user asks for them
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env["PREFECT_UI_API_URL"] = api_url(host, port)  # else the UI's pages ask port 4200
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", host]
    command += ["--port", str(port), "--analytics-off"]
    command += [] if services else ["--no-services", "--no-ui"]
    with log_path.open("ab") as log:
        server = subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches vnnews, which stops the server in order
            preexec_fn=die_with_parent,
        )
    try:
        meanwhile()
        _wait_until_healthy(server, api_url(host, port), settings.server_start_timeout, log_path)
        if database == "new" and not services:  # a full server's services may have written to it
            prefect_db.keep(home, template)
        yield server
    finally:
        stop(server)


def _wait_until_healthy(server, api: str, limit: float, log_path: Path) -> None:
    deadline = time.monotonic() + limit
    while not healthy(api, timeout=1.0):
        if server.poll() is not None or time.monotonic() > deadline:
            tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
            why = "exited" if server.poll() is not None else f"did not answer in {limit:g} s"
            raise ServerFailed(
                f"The Prefect server at {api} {why}. Its log ({log_path}) ends:\n{tail}\n"
                "A busy machine may need more time: raise VNNEWS_SERVER_START_TIMEOUT."
            )
        time.sleep(0.25)


def stop(server: subprocess.Popen) -> None:
    """SIGTERM to the server's process group, then SIGKILL if it lingers."""
    if server.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, STOP_SECONDS), (signal.SIGKILL, 5)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue
