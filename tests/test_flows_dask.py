"""The Dask runner: the same tables from one process, from a process pool, from a LocalCluster
and from a scheduler and two workers started by hand, whose scheduler saw the NLP tasks."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tests.fixture_check import FIXTURES
from tests.same_tables import fingerprint, run_in_process
from vnnews.flows.runner import task_runner
from vnnews.tasks.lake import catalog
from vnnews.tasks.settings import load_settings
from vnnews.tasks.tables import RUNS

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def one_process(prefect_harness, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        return run_in_process(tmp_path_factory.mktemp("one") / "data", patch, VNNEWS_WORKERS="1")


def test_local_pool_and_local_cluster_publish_the_same_tables(one_process, tmp_path, monkeypatch):
    pool = run_in_process(tmp_path / "pool", monkeypatch, VNNEWS_WORKERS="2")
    cluster, summary = run_in_process(
        tmp_path / "dask", monkeypatch, True, VNNEWS_WORKERS="2", VNNEWS_RUNNER="dask"
    )
    assert one_process["documents"][0] >= 30 and one_process["entities"][0] > 50
    assert pool == one_process
    assert cluster == one_process
    assert summary.nlp.workers == "2 Dask workers"
    assert summary.nlp.documents == cluster["documents"][0] and summary.nlp.seconds > 0


def test_the_local_cluster_workers_do_not_profile_the_nlp():
    """Dask's statistical profiler samples a worker's task thread every 10 ms, a fifth of the
    NLP's speed: the runner's own LocalCluster starts its workers without it."""
    settings = replace(load_settings(), runner="dask", workers=2)
    with task_runner(settings) as runner:
        sampled = runner.client.run(lambda dask_worker: "profile" in dask_worker.periodic_callbacks)
    assert list(sampled.values()) == [False, False]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_cluster(tmp_path):
    """`dask scheduler` and two `dask worker`s, as a user starts them (README)."""
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"}
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    started = [
        subprocess.Popen(
            [BIN / "dask", *command], stdout=(logs / f"{i}.log").open("w"),
            stderr=subprocess.STDOUT, env=env,
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


def test_a_hand_started_scheduler_runs_the_nlp_tasks(
    one_process, dask_cluster, harness_env, tmp_path
):
    from distributed import Client

    data_dir = tmp_path / "data"
    command = [BIN / "vnnews", "run", "--runner", "dask", "--dask-address", dask_cluster,
               "--source", str(FIXTURES), "--data-dir", str(data_dir)]  # fmt: skip
    env = {**harness_env, "COLUMNS": "120", "VNNEWS_BATCH_SIZE": "8"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    found = fingerprint(data_dir)
    for name in ("documents", "sentences", "entities"):
        assert found[name] == one_process[name], name
    # The run's report names where its NLP ran, and how fast it went there.
    runs = catalog.read_table(load_settings(data_dir=data_dir), "runs", RUNS).to_pylist()
    nlp = json.loads(runs[-1]["stage_counts"])["nlp"]
    assert nlp["workers"] == f"the Dask cluster at {dask_cluster}", nlp
    assert nlp["documents"] == found["documents"][0] and nlp["seconds"] > 0, nlp
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


def test_the_run_warms_up_workers_even_those_that_join_later(dask_cluster, harness_env, tmp_path):
    from distributed import Client

    def models_loaded() -> bool:  # in a worker (defined here: sent by value, not by name)
        from vnnews.tasks.nlp import crf, segment

        return segment._model.cache_info().currsize == crf.taggers.cache_info().currsize == 1

    # The run only has to plant the warm-up on the cluster: the two seed articles will do.
    command = [BIN / "vnnews", "run", "--runner", "dask", "--dask-address", dask_cluster,
               "--source", str(SEEDS), "--data-dir", str(tmp_path / "data")]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, env=harness_env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    log = (tmp_path / "w3.log").open("w")
    late = subprocess.Popen([BIN / "dask", "worker", dask_cluster, "--nthreads", "1",
                             "--no-dashboard", "--name", "w3"], stdout=log, stderr=log)  # fmt: skip
    try:
        with Client(dask_cluster, timeout=30) as client:
            client.wait_for_workers(3, timeout=60)
            info = client.scheduler_info()["workers"]
            w3 = next(address for address, w in info.items() if w["name"] == "w3")
            assert client.run(models_loaded) == dict.fromkeys(info, True)
            # w3 was never given a task: the plugin loaded its models as it joined.
            assert client.run(lambda dask_worker: len(dask_worker.state.tasks), workers=[w3]) == {
                w3: 0
            }
    finally:
        late.terminate()
        late.wait(timeout=30)


def test_a_run_in_parts_publishes_what_one_part_does(one_process, tmp_path, monkeypatch):
    """33 documents in parts of 10 or so: each part validated and staged as Parquet, then one
    snapshot with the same tables; the parts of a killed run are swept away."""
    data_dir = tmp_path / "parts"
    killed = load_settings(data_dir=data_dir).staging_dir / "killed-run" / "tokens"
    killed.mkdir(parents=True)
    (killed / "000001.parquet").write_bytes(b"left by a run that was killed")
    found, summary = run_in_process(data_dir, monkeypatch, VNNEWS_WORKERS="1",
                                    VNNEWS_PART_SIZE="10", with_summary=True)  # fmt: skip
    assert (
        "tokenise (part 2)" in summary.validations and "publish (part 2)" not in summary.validations
    )
    assert [c.docs_out for c in summary.stages] == [33] * 5  # the parts add up, stage by stage
    assert "in all" in summary.verdict("tokenise")
    # Keywords score against the document frequencies of the parts before, like runs in turn.
    assert {k: v for k, v in found.items() if k != "keywords"} == {
        k: v for k, v in one_process.items() if k != "keywords"
    }
    assert found["keywords"][0] == one_process["keywords"][0]
    settings = load_settings(data_dir=data_dir)
    assert catalog.query(settings, "SELECT count(*) FROM runs")[1] == [(1,)]
    assert list(settings.staging_dir.iterdir()) == []  # staged, published, removed
