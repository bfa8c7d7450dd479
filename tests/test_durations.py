"""The time limit of a test (tests/durations.py), on a small suite of its own."""

import pytest

from tests import durations

pytest_plugins = ["pytester"]

SUITE = """
import time
import pytest

@pytest.fixture(scope="module")
def shared():
    time.sleep(0.6)

@pytest.fixture
def own():
    time.sleep(0.6)

def test_slow_call():
    time.sleep(0.6)

def test_slow_own_fixture(own):
    pass

def test_slow_shared_fixture(shared):
    pass

def test_named_slow():
    time.sleep(0.6)

def test_quick():
    pass
"""


def test_a_test_over_the_limit_fails_unless_named(pytester, monkeypatch):
    pytester.makepyfile(test_suite=SUITE)
    # Only for the inner run: this test itself is judged by the real limit.
    with monkeypatch.context() as limits:
        limits.setattr(durations, "LIMIT_SECONDS", 0.5)
        limits.setenv(durations.FACTOR_VARIABLE, "1")
        limits.setattr(durations, "ALLOWED", {"test_suite.py::test_named_slow": "a reason"})
        result = pytester.runpytest_inprocess("-p", "tests.durations", "-p", "no:cacheprovider")
    outcomes = {r.nodeid.split("::")[-1]: r.outcome for r in result.reprec.getreports()
                if r.when == "call"}  # fmt: skip
    assert outcomes == {
        "test_slow_call": "failed",
        "test_slow_own_fixture": "failed",
        "test_slow_shared_fixture": "passed",  # a module's fixture is not the test's own time
        "test_named_slow": "passed",
        "test_quick": "passed",
    }
    result.stdout.fnmatch_lines(["*took 1 s of its own*over the 0 s a test may take here*"])


def test_a_slower_machine_gets_more_time(monkeypatch):
    monkeypatch.setenv(durations.FACTOR_VARIABLE, "1.5")
    assert durations.limit() == 90
    monkeypatch.delenv(durations.FACTOR_VARIABLE)
    factor = durations.slower_by()  # this machine, measured
    assert factor >= 1 and durations.limit() == 60 * factor
    assert 0 < durations.calibrate() < 60


@pytest.mark.parametrize("name", sorted(durations.ALLOWED))
def test_every_named_test_exists_and_says_why(name, request):
    file, test = name.split("::")
    source = (request.config.rootpath / "tests" / file).read_text(encoding="utf-8")
    assert f"def {test}(" in source
    assert len(durations.ALLOWED[name]) > 20
