"""No test may take more than a minute of its own, unless it is named here with the reason.

A test's own time is its call plus the set-up of its function-scoped fixtures: a fixture shared
by a module or the session (one lake, one Prefect server) is paid once and not charged to
the test that happens to come first. A slow test is made cheaper, not left to grow: the
suite as a whole must stay under 20 minutes on 2 cores.

The minute is one of the machine the suite was timed on (2 cores, REFERENCE_SECONDS for the
calibration loop below). A slower machine gets proportionally more: the loop is timed once at
the start of the session, and the factor is printed in the session's header.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

LIMIT_SECONDS = 60.0
REFERENCE_SECONDS = 0.25  # calibrate() on the reference machine
FACTOR_VARIABLE = "VNNEWS_TEST_SLOWER_BY"  # measured once, handed to the xdist workers

# "file::test" (parameters aside) -> why it needs more than a minute.
ALLOWED: dict[str, str] = {
    "test_lake_concurrency.py::test_kill_during_publish_then_rerun": (
        "a kill test: five runs in turn (a reference lake, the lake to crash, the run killed "
        "inside its publish, a second writer that times out on the lock, maintain), as the "
        "crash can only be shown against runs that really published"
    ),
    "test_lake_concurrency.py::"
    "test_kill_at_other_publish_points_of_a_run_that_replaces_a_version": (
        "a kill test: a run publishes, the next is killed inside its publish, and a third must "
        "publish what the killed one would have"
    ),
    "test_flows_resilience.py::"
    "test_kill_9_leaves_nothing_behind_and_the_next_run_records_the_crash": (
        "a kill test: a run on 160 articles is killed with its server and NLP workers up, and "
        "the next run, on a temporary server of its own, records the crash in the lake and in "
        "Prefect's database"
    ),
}

_FIXTURES = pytest.StashKey[float]()


LOOP = """
import time

def loop():
    total = 0
    for i in range(10_000_000):
        total += i % 7

best = float("inf")
for _ in range(5):
    started = time.perf_counter()
    loop()
    best = min(best, time.perf_counter() - started)
print(best)
"""


def calibrate() -> float:
    """Seconds of a fixed pure-Python loop, the best of five, in a process of its own: in
    this one, coverage's tracer would be timed too."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    done = subprocess.run([sys.executable, "-c", LOOP], env=env, capture_output=True, text=True)
    return float(done.stdout)


def slower_by() -> float:
    """How much slower this machine runs the loop than the reference machine (at least 1)."""
    if FACTOR_VARIABLE not in os.environ:
        os.environ[FACTOR_VARIABLE] = f"{max(1.0, calibrate() / REFERENCE_SECONDS):.2f}"
    return float(os.environ[FACTOR_VARIABLE])


def limit() -> float:
    return LIMIT_SECONDS * slower_by()


def pytest_configure(config) -> None:
    slower_by()  # in the controller, before the workers start: they inherit the factor


def pytest_report_header(config) -> str:
    return f"time limit per test: {LIMIT_SECONDS:.0f} s x {slower_by():.2f} (tests/durations.py)"


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    started = time.perf_counter()
    yield
    if fixturedef.scope == "function":
        item = request.node
        item.stash[_FIXTURES] = item.stash.get(_FIXTURES, 0.0) + time.perf_counter() - started


def own_seconds(item, call) -> float:
    return call.duration + item.stash.get(_FIXTURES, 0.0)


def allowed_key(item) -> str:
    return f"{item.path.name}::{item.originalname}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    judge(item, call, (yield).get_result())


def judge(item, call, report) -> None:
    """Fail a passing test that took over the limit, unless ALLOWED names it."""
    if call.when != "call" or not report.passed or allowed_key(item) in ALLOWED:
        return
    seconds = own_seconds(item, call)
    if seconds > limit():
        report.outcome = "failed"
        report.longrepr = (
            f"took {seconds:.0f} s of its own (call and function fixtures), over the "
            f"{limit():.0f} s a test may take here ({LIMIT_SECONDS:.0f} s x {slower_by():.2f}): "
            f"make it cheaper, or name {allowed_key(item)!r} in tests/durations.py's ALLOWED "
            "with the reason"
        )
