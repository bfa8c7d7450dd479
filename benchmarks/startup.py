"""The fixed cost of a run: `vnnews run` on the seeds with a vnnews server up, against the same
command when it has to start its temporary Prefect server, measured in this one session.

    .venv/bin/python -m benchmarks.startup [REPEATS]

Each run goes to a fresh data dir, so every run does the whole work on the two seeds. It also
says whether importing the flow imports Great Expectations (it should not: GX loads when the
first checkpoint runs).
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vnnews.flows.server import api_url, free_port, healthy
from vnnews.tasks.settings import PROJECT_ROOT

HOST = "127.0.0.1"


def environment(port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    return {**env, "VNNEWS_SERVER_PORT": str(port)}


def timed_run(data_dir: Path, port: int) -> float:
    command = [sys.executable, "-m", "vnnews.flows.cli", "run", "--data-dir", str(data_dir)]
    started = time.perf_counter()
    done = subprocess.run(command, env=environment(port), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"vnnews run failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return time.perf_counter() - started


def gx_imported_with_the_flow() -> bool:
    code = "import sys, vnnews.flows.pipeline; print('great_expectations' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return out.stdout.strip() == "True"


def main(repeats: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="vnnews-startup-"))
    port = free_port(HOST)
    temporary = [timed_run(work / f"temporary-{i}", port) for i in range(repeats)]
    command = [sys.executable, "-m", "vnnews.flows.cli", "server", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--data-dir", str(work / "server")],
        env=environment(port),
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not healthy(api_url(HOST, port)):
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the vnnews server did not start")
            time.sleep(0.5)
        with_server = [timed_run(work / f"server-{i}", port) for i in range(repeats)]
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(60)
    a, b = statistics.median(temporary), statistics.median(with_server)
    print(f"vnnews run on the seeds, median of {repeats} (fresh data dir each):")
    for label, median, times in (
        ("temporary Prefect server", a, temporary),
        ("vnnews server up        ", b, with_server),
    ):
        print(f"  {label}: {median:6.1f} s   ({', '.join(f'{t:.1f}' for t in times)})")
    print(f"  ratio server / temporary: {b / a:6.2f}")
    print(f"  Great Expectations imported with the flow: {gx_imported_with_the_flow()}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
