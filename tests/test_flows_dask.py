"""The Dask runner: the same tables from one process, from a process pool, from a LocalCluster
and from a scheduler and two workers started by hand, whose scheduler saw the NLP tasks."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fixture_check import FIXTURES
from vnnews.flows.runner import pipeline_for
from vnnews.tasks.lake import catalog
from vnnews.tasks.settings import load_settings

BIN = Path(sys.executable).parent
COMPARED = ("documents", "sentences", "tokens", "entities", "dates", "quantities", "quotes",
            "keywords", "rejects")  # fmt: skip
VOLATILE = {"run_id", "ingested_at"}  # differ between any two runs, by design


def fingerprint(data_dir: Path) -> dict[str, tuple[int, str]]:
    """Per table: rows, and a hash of its rows in sorted order (order-independent)."""
    settings = load_settings(data_dir=data_dir)
    out = {}
    for name in COMPARED:
        columns = [c for c in catalog.query(settings, f"DESCRIBE {name}")[1]]
        kept = ", ".join(f'"{c[0]}"' for c in columns if c[0] not in VOLATILE)
        rows = catalog.query(settings, f"SELECT {kept} FROM {name} ORDER BY ALL")[1]
        out[name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return out


def run_in_process(data_dir: Path, monkeypatch, **env: str):
    monkeypatch.setenv("VNNEWS_BATCH_SIZE", "8")  # several batches: several Dask tasks
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = load_settings(data_dir=data_dir)
    summary = pipeline_for(settings)(sources=[str(FIXTURES)], data_dir=str(data_dir))
    assert summary.status == "published", summary.blocked
    return fingerprint(data_dir)


@pytest.fixture(scope="module")
def one_process(prefect_harness, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        return run_in_process(tmp_path_factory.mktemp("one") / "data", patch, VNNEWS_WORKERS="1")


def test_local_pool_and_local_cluster_publish_the_same_tables(one_process, tmp_path, monkeypatch):
    pool = run_in_process(tmp_path / "pool", monkeypatch, VNNEWS_WORKERS="2")
    cluster = run_in_process(
        tmp_path / "dask", monkeypatch, VNNEWS_WORKERS="2", VNNEWS_RUNNER="dask"
    )
    assert one_process["documents"][0] >= 30 and one_process["entities"][0] > 50
    assert pool == one_process
    assert cluster == one_process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_cluster(tmp_path):
    """`dask scheduler` and two `dask worker`s, as a user starts them."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    started = [
        subprocess.Popen(
            [BIN / "dask", *command], stdout=(logs / f"{i}.log").open("w"), stderr=subprocess.STDOUT
        )
        for i, command in enumerate([
            ["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            ["worker", address, "--nthreads", "1", "--no-dashboard", "--name", "w1"],
            ["worker", address, "--nthreads", "1", "--no-dashboard", "--name", "w2"],
        ])
    ]  # fmt: skip
    try:
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            process.wait(timeout=30)


def test_a_hand_started_scheduler_runs_the_nlp_tasks(one_process, dask_cluster, tmp_path):
    from distributed import Client

    data_dir = tmp_path / "data"
    command = [BIN / "vnnews", "run", "--runner", "dask", "--dask-address", dask_cluster,
               "--source", str(FIXTURES), "--data-dir", str(data_dir)]  # fmt: skip
    env = {**os.environ, "COLUMNS": "120", "VNNEWS_BATCH_SIZE": "8"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    found = fingerprint(data_dir)
    for name in ("documents", "sentences", "entities"):
        assert found[name] == one_process[name], name
    with Client(dask_cluster, timeout=30) as client:
        # How many tasks of each kind finished there (a running count: they are gone now).
        prefixes = client.run_on_scheduler(
            lambda dask_scheduler: {
                p: tp.state_counts["memory"] for p, tp in dask_scheduler.task_prefixes.items()
            }
        )
        ran = client.run(lambda: time.time())  # both workers are still there
    assert len(ran) == 2
    # 33 documents in batches of 8: 5 tokenise and 5 extract tasks ran there.
    assert sum(n for p, n in prefixes.items() if p.startswith("tokenise")) == 5, prefixes
    assert sum(n for p, n in prefixes.items() if p.startswith("extract")) == 5, prefixes
