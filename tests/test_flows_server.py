"""Scheduled runs on a real Prefect server: `vnnews serve --interval` starts the server with its
scheduler and UI, the runs fire and publish, the UI shows them, and Ctrl-C stops it all."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import duckdb
import pytest

from tests.browser import Browser, chromium
from tests.conftest import SEEDS
from tests.processes import alive, descendants
from vnnews.flows.server import free_port
from vnnews.tasks.lake import catalog
from vnnews.tasks.settings import PROJECT_ROOT, load_settings

WAIT_FOR_RUNS = 200


def vnnews(*args: str, env: dict | None = None, output=subprocess.PIPE) -> subprocess.Popen:
    """The real command, without a Prefect API chosen for it: it must find or start one."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    return subprocess.Popen(
        [sys.executable, "-m", "vnnews.flows.cli", *args],
        cwd=PROJECT_ROOT,
        env={**clean, **(env or {})},
        stdout=output,
        stderr=subprocess.STDOUT,
        text=True,
    )


def status(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as reply:
        return reply.status


def published_runs(settings) -> list[tuple]:
    if not catalog.exists(settings):
        return []
    try:
        return catalog.query(settings, "SELECT run_id, status FROM runs ORDER BY snapshot_id")[1]
    except catalog.LakeMissing:
        return []
    except duckdb.CatalogException:  # the first run is creating the lake's tables right now
        return []


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`vnnews serve --interval 15` until two scheduled runs are published."""
    data_dir = tmp_path_factory.mktemp("served") / "data"
    port = free_port("127.0.0.1")
    proc = vnnews(
        "serve", "--interval", "15", "--source", str(SEEDS), "--data-dir", str(data_dir),
        "--port", str(port),
    )  # fmt: skip
    settings = load_settings(data_dir=data_dir)
    try:
        deadline = time.monotonic() + WAIT_FOR_RUNS
        while len(published_runs(settings)) < 2 and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stdout.read()
            time.sleep(3)
        yield proc, settings, port
    finally:
        stop_tree(proc)


def stop_tree(proc: subprocess.Popen) -> None:
    """Stop `vnnews serve` and everything it started, whatever the fixture met: left running, it
    would start a flow run every interval for the rest of the session."""
    family = descendants(proc.pid)
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=60)
    for pid in alive(family):
        with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
            os.kill(pid, signal.SIGKILL)


def test_interval_runs_fire_and_publish(served):
    proc, settings, port = served
    runs = published_runs(settings)
    assert len(runs) >= 2, f"fewer than two scheduled runs in {WAIT_FOR_RUNS} s"
    assert {s for _, s in runs} == {"published"}
    assert status(f"http://127.0.0.1:{port}/api/health") == 200
    assert status(f"http://127.0.0.1:{port}/") == 200  # the UI
    assert (settings.prefect_home / "prefect.db").exists()  # the server's database: in the data dir


@pytest.mark.skipif(
    not chromium() and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (.ci/run installs it)",
)
def test_the_ui_lists_the_scheduled_runs(served):
    proc, settings, port = served
    run_ids = [r for r, _ in published_runs(settings)]
    browser = Browser(loopback=True)
    try:
        page = browser.open(f"http://127.0.0.1:{port}/runs/flow-run/{run_ids[0]}", settle=2)
        deadline = time.monotonic() + 60
        text = ""
        while time.monotonic() < deadline:
            text = page.evaluate("document.body.innerText") or ""
            if "vnnews" in text and "Completed" in text:
                break
            time.sleep(1)
        assert "vnnews" in text and "Completed" in text, text[:2000]
        page = browser.open(f"http://127.0.0.1:{port}/runs", settle=2)
        time.sleep(3)
        assert "vnnews" in (page.evaluate("document.body.innerText") or "")
    finally:
        browser.close()


def test_ctrl_c_stops_serving_and_the_server(served):
    proc, settings, port = served
    family = descendants(proc.pid)
    assert family, "serve started no server process"
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=90)
    assert proc.returncode == 0, output[-3000:]
    assert "Stopped." in output and f"UI: http://127.0.0.1:{port}" in output
    assert "Next runs:" in output
    time.sleep(1)
    assert port_is_free(port)
    assert not alive(family), f"left running: {alive(family)}"


def test_the_server_command_serves_the_ui_refuses_a_second_and_stops_on_ctrl_c(tmp_path):
    data_dir, port = tmp_path / "data", free_port("127.0.0.1")
    printed = tmp_path / "printed.txt"
    with printed.open("w") as out:  # a file, not a pipe: read at any time, by one reader
        proc = vnnews("server", "--data-dir", str(data_dir), "--port", str(port), output=out)
    try:
        deadline = time.monotonic() + 120
        while "Ctrl-C stops it." not in (seen := printed.read_text()):
            assert proc.poll() is None and time.monotonic() < deadline, seen[-3000:]
            time.sleep(0.5)
        assert f"UI:  http://127.0.0.1:{port}\nAPI: http://127.0.0.1:{port}/api" in seen, seen
        assert status(f"http://127.0.0.1:{port}/api/health") == 200
        assert status(f"http://127.0.0.1:{port}/") == 200  # the UI
        assert (data_dir / "prefect" / "prefect.db").exists()
        family = descendants(proc.pid)

        second = vnnews("server", "--data-dir", str(tmp_path / "other"), "--port", str(port))
        output, _ = second.communicate(timeout=120)
        assert second.returncode == 1
        assert f"A Prefect server already answers at http://127.0.0.1:{port}/api." in output

        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=90) == 0, printed.read_text()[-3000:]
        assert "Stopping the Prefect server ..." in printed.read_text()
        time.sleep(1)
        assert port_is_free(port)
        assert not alive(family), f"left running: {alive(family)}"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=60)


def test_a_server_that_does_not_answer_in_time_is_stopped_with_its_log_and_the_fix(tmp_path):
    port = free_port("127.0.0.1")
    env = {"VNNEWS_SERVER_START_TIMEOUT": "0.5"}
    proc = vnnews("server", "--data-dir", str(tmp_path / "data"), "--port", str(port), env=env)
    output, _ = proc.communicate(timeout=120)
    assert proc.returncode == 1, output[-3000:]
    assert f"The Prefect server at http://127.0.0.1:{port}/api did not answer in 0.5 s." in output
    assert "Its log (" in output and "raise VNNEWS_SERVER_START_TIMEOUT" in output
    time.sleep(1)
    assert port_is_free(port)  # the half-started server was stopped
