"""Runs that survive a busy machine, and runs that are killed: `kill -9` leaves no process of the
run behind, and the next run records the killed one as crashed, in the lake and in Prefect."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager

from benchmarks.corpus import corpus
from tests.conftest import SEEDS, write
from tests.processes import alive, descendants
from tests.test_flows_server import vnnews
from vnnews.flows.server import free_port
from vnnews.tasks.lake import catalog
from vnnews.tasks.settings import load_settings


@contextmanager
def every_core_busy():
    spinners = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(os.cpu_count() or 2)
    ]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait(timeout=60)


def no_server_env() -> dict:
    """No vnnews server to find: `vnnews run` must start its temporary one."""
    return {"VNNEWS_SERVER_PORT": str(free_port("127.0.0.1"))}


def test_run_succeeds_with_every_core_busy(tmp_path):
    with every_core_busy():
        # One NLP worker: the temporary server and the run are what must cope, not the pool.
        env = {**no_server_env(), "VNNEWS_WORKERS": "1"}
        proc = vnnews("run", "--data-dir", str(tmp_path / "data"), env=env)
        output, _ = proc.communicate(timeout=900)
    assert proc.returncode == 0, output[-3000:]
    assert "status:     published" in output


def test_kill_9_leaves_nothing_behind_and_the_next_run_records_the_crash(tmp_path):
    source = tmp_path / "articles"
    for name, text in corpus(160, seed=5).items():
        write(source / name, text)
    data_dir = tmp_path / "data"
    env = {**no_server_env(), "VNNEWS_WORKERS": "2", "VNNEWS_BATCH_SIZE": "40"}
    proc = vnnews("run", "--data-dir", str(data_dir), "-s", str(source), env=env)
    # Wait for the temporary server and both NLP workers: the run is inside tokenise.
    deadline, family = time.monotonic() + 300, {}
    while time.monotonic() < deadline and len(family) < 3:
        assert proc.poll() is None, proc.stdout.read()[-3000:]
        family = descendants(proc.pid)
        time.sleep(0.2)
    assert len(family) >= 3, "the run never started its server and workers"
    killed = json.loads((data_dir / ".writer.lock").read_text())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    time.sleep(10)
    assert not alive(family), f"left running 10 s after kill -9: {alive(family)}"

    again = vnnews("run", "--data-dir", str(data_dir), "-s", str(SEEDS), env=no_server_env())
    output, _ = again.communicate(timeout=600)
    assert again.returncode == 0, output[-3000:]
    settings = load_settings(data_dir=data_dir)
    rows = catalog.query(settings, "SELECT run_id, status FROM runs ORDER BY snapshot_id")[1]
    assert rows[0] == (killed["run_id"], "crashed") and rows[1][1] == "published"
    with sqlite3.connect(settings.prefect_home / "prefect.db") as db:
        states = dict(db.execute("SELECT id, state_type FROM flow_run").fetchall())
    assert states[killed["run_id"]] == "CRASHED", states
