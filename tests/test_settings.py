"""One place for settings: defaults < vnnews.toml (or $VNNEWS_CONFIG) < VNNEWS_* variables <
what the caller passes; a bad file or key stops with a message naming it."""

import os
import subprocess
import sys

import pytest

from vnnews.tasks.settings import PROJECT_ROOT, load_settings


@pytest.fixture
def config(tmp_path, monkeypatch):
    path = tmp_path / "vnnews.toml"
    path.write_text(
        '[vnnews]\nbatch_size = 50\nworkers = 3\nlock_timeout = 7.5\ndata_dir = "from-file"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("VNNEWS_CONFIG", str(path))
    monkeypatch.chdir(tmp_path)
    return path


def test_defaults_without_file_or_environment():
    settings = load_settings()
    assert settings.data_dir == PROJECT_ROOT / "data"
    assert settings.batch_size == 500 and settings.lock_timeout > 0


def test_the_file_then_the_environment_then_the_caller(config, tmp_path, monkeypatch):
    from_file = load_settings()
    assert (from_file.batch_size, from_file.workers, from_file.lock_timeout) == (50, 3, 7.5)
    assert from_file.data_dir == tmp_path / "from-file"  # relative to where it runs

    monkeypatch.setenv("VNNEWS_BATCH_SIZE", "20")
    monkeypatch.setenv("VNNEWS_DATA_DIR", str(tmp_path / "from-env"))
    from_env = load_settings()
    assert (from_env.batch_size, from_env.workers) == (20, 3)  # env wins, the file fills in
    assert from_env.data_dir == tmp_path / "from-env"

    given = load_settings(batch_size=9, data_dir=tmp_path / "given")
    assert (given.batch_size, given.workers, given.data_dir) == (9, 3, tmp_path / "given")
    assert load_settings(batch_size=None).batch_size == 20  # None means "not given"


def test_a_missing_or_broken_config_file_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("VNNEWS_CONFIG", str(tmp_path / "nowhere.toml"))
    with pytest.raises(SystemExit, match="nowhere.toml: no such file"):
        load_settings()
    broken = tmp_path / "broken.toml"
    broken.write_text("[vnnews\nbatch_size = ", encoding="utf-8")
    monkeypatch.setenv("VNNEWS_CONFIG", str(broken))
    with pytest.raises(SystemExit, match="broken.toml: not valid TOML"):
        load_settings()
    typo = tmp_path / "typo.toml"
    typo.write_text("[vnnews]\nbatch_sise = 5\n", encoding="utf-8")
    monkeypatch.setenv("VNNEWS_CONFIG", str(typo))
    with pytest.raises(SystemExit, match=r"unknown \[vnnews\] keys \['batch_sise'\]"):
        load_settings()


def test_no_developer_variable_reaches_the_tests(tmp_path):
    """The test suite's conftest clears VNNEWS_* (bar the test database) when it loads."""
    code = (
        "import os, tests.conftest\nprint(sorted(n for n in os.environ if n.startswith('VNNEWS_')))"
    )
    env = {**os.environ, "VNNEWS_BATCH_SIZE": "3", "VNNEWS_CONFIG": str(tmp_path / "x.toml")}
    env["VNNEWS_TEST_POSTGRES"] = "dbname=x"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split("\n")[-2] == "['VNNEWS_TEST_POSTGRES']"


def test_live_sources_and_the_fetch_policy_come_from_settings(tmp_path, monkeypatch):
    feed = "http://127.0.0.1:8080/rss/thoi-su.rss"
    monkeypatch.setenv("VNNEWS_SOURCES", os.pathsep.join(["seeds", feed, "https://x.vn/s.xml"]))
    monkeypatch.setenv("VNNEWS_ALLOW_PRIVATE_HOSTS", "127.0.0.1, 10.0.0.0/8")
    monkeypatch.setenv("VNNEWS_FETCH_INTERVAL", "0.25")
    monkeypatch.setenv("VNNEWS_USER_AGENT", "lab-crawler/1.0 (+https://lab.example/contact)")
    settings = load_settings()
    assert settings.live_sources == [feed, "https://x.vn/s.xml"]
    assert [p.name for p in settings.local_sources] == ["seeds"]
    policy = settings.fetch_policy
    assert policy.allow_private == ("127.0.0.1", "10.0.0.0/8")
    assert (policy.min_interval, policy.max_bytes) == (0.25, settings.max_doc_bytes)
    assert policy.user_agent.startswith("lab-crawler/1.0")


def test_the_runner_is_local_or_dask_and_a_mistake_says_which(monkeypatch):
    assert load_settings().runner == "local"
    monkeypatch.setenv("VNNEWS_RUNNER", "dask")
    monkeypatch.setenv("VNNEWS_DASK_ADDRESS", "tcp://10.0.0.5:8786")
    settings = load_settings()
    assert (settings.runner, settings.dask_address) == ("dask", "tcp://10.0.0.5:8786")
    with pytest.raises(SystemExit, match="runner = 'spark': use one of local, dask"):
        load_settings(runner="spark")
