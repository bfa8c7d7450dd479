"""Shared fixtures: real Prefect (test harness), real lake files in a temp dir, the seeds."""

from __future__ import annotations

import json
import os
from pathlib import Path

import hypothesis
import pytest

from vnnews.tasks.settings import PROJECT_ROOT, load_settings, quiet_telemetry

pytest_plugins = [
    "tests.backends",
    "tests.webhook",
    "tests.news_site",
    "tests.live_site",
    "tests.durations",
]

SEEDS = PROJECT_ROOT / "seeds"
EXPECTED = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))

quiet_telemetry()

# A developer's own VNNEWS_* settings (a data dir, a catalog, a config file) must not reach the
# tests: each test sets what it needs. The PostgreSQL test database is the one exception.
for _name in [n for n in os.environ if n.startswith("VNNEWS_") and n != "VNNEWS_TEST_POSTGRES"]:
    del os.environ[_name]

# In CI, property tests replay the same examples every time so a red build is reproducible;
# locally they explore new random examples on every run.
settings_profile = "ci" if os.environ.get("CI") else "dev"
hypothesis.settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis.settings.register_profile("dev", print_blob=True)
hypothesis.settings.load_profile(settings_profile)


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server (with its own database) for the whole test session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def harness_env(prefect_harness) -> dict:
    """The environment of a `vnnews` process that reports to the session's Prefect server, so
    that it starts no temporary server of its own (the tests of that server set their own)."""
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}


@pytest.fixture
def settings(tmp_path):
    """Settings whose data dir is a fresh temp dir; everything else is the project's own."""
    return load_settings(data_dir=tmp_path / "data")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (`CI` set) a skipped test fails: a missing browser, database or data set beside the
    checkout is a broken CI machine, not a reason to stay green. (A test over its time limit
    fails too: tests/durations.py.)"""
    report = (yield).get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which must run every test: {reason}"


def seed_lines(name: str) -> list[str]:
    """The raw lines of a seed article, 1-based as expected.json counts them (index 0 unused)."""
    return ["", *(SEEDS / name).read_text(encoding="utf-8").split("\n")]


@pytest.fixture(scope="session")
def rule_pack():
    from vnnews.tasks.clean.clean import RulePack

    return RulePack.load(PROJECT_ROOT / "seeds" / "rules" / "boilerplate.toml")


@pytest.fixture(scope="session")
def gazetteer():
    from vnnews.tasks.extract.gazetteer import Gazetteer

    return Gazetteer.load(PROJECT_ROOT / "seeds" / "gazetteers")


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path
