"""One writer at a time; readers never wait and never see a half-written run; kill -9 in the
middle of a publish leaves the lake as it was, and a rerun then equals an uninterrupted run."""

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tests.paused_run import PAUSED
from tests.processes import read_until
from vnnews.tasks.lake import catalog
from vnnews.tasks.lake.lock import LockTimeout, writer_lock
from vnnews.tasks.lake.shared_lock import shared_writer_lock
from vnnews.tasks.reports.pages import page_name
from vnnews.tasks.settings import PROJECT_ROOT, load_settings

TABLES = ("documents", "sentences", "tokens", "entities", "dates", "quantities", "quotes")
VOLATILE = "('run_id', 'ingested_at', 'source_uri')"  # differ between two lakes by design


def vnnews_run(
    data_dir, source, api_url, pause: float = 0, at: str = "before_commit", stdout=None,
    release: Path | None = None,
):  # fmt: skip
    """`vnnews run` in a subprocess; with `pause` it stops at that point of its publish, for
    `pause` seconds or until the file `release` exists."""
    env = {**os.environ, "PREFECT_API_URL": api_url}
    if release:
        env["VNNEWS_TEST_RELEASE"] = str(release)
    cmd = [
        sys.executable,
        "-m",
        "tests.paused_run",
        at,
        str(pause),
        "--",
        "run",
        "--data-dir",
        str(data_dir),
        "-s",
        str(source),
    ]
    return subprocess.Popen(
        cmd, cwd=PROJECT_ROOT, env=env, stdout=stdout, stderr=subprocess.PIPE, text=True
    )


def finished(proc) -> int:
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-3000:]
    return proc.returncode


def wait_for_pause(proc, timeout=240) -> None:
    seen = read_until(proc.stderr, lambda text: PAUSED in text, timeout)
    assert PAUSED in seen, f"the run never reached its commit:\n{seen[-3000:]}"


def content(settings) -> dict:
    """Every table's rows, hashed column by column, without run ids, times and paths."""
    out = {}
    for table in TABLES:
        sql = f"SELECT count(*), sum(hash(COLUMNS(c -> c NOT IN {VOLATILE}))) FROM {table}"
        out[table] = catalog.query(settings, sql)[1][0]
    return out


def snapshot(settings):
    return catalog.query(settings, "SELECT max(snapshot_id) FROM lake.snapshots()")[1][0][0]


@pytest.fixture
def api_url(prefect_harness):
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


def test_the_writer_lock_times_out_with_a_clear_message(tmp_path):
    with (
        writer_lock(tmp_path, "first", timeout=1),
        pytest.raises(LockTimeout, match="run first"),
        writer_lock(tmp_path, "second", timeout=1),
    ):
        pass
    with writer_lock(tmp_path, "third", timeout=1):  # released: free again
        pass


def test_kill_during_publish_then_rerun(tmp_path, api_url):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEEDS / "000_e0afc6dd529c41e8.txt", src)
    reference, crashed = tmp_path / "reference", tmp_path / "crashed"
    finished(vnnews_run(reference, src, api_url))
    finished(vnnews_run(crashed, src, api_url))
    shutil.copy(SEEDS / "002_b86183774bd0c12c.txt", src)
    finished(vnnews_run(reference, src, api_url))
    settings = load_settings(data_dir=crashed)
    before, rows_before = snapshot(settings), content(settings)

    proc = vnnews_run(crashed, src, api_url, pause=120)
    wait_for_pause(proc)
    # A reader is not blocked by the open write, and sees only the last committed snapshot.
    assert catalog.query(settings, "SELECT count(*) FROM documents")[1] == [(1,)]
    # A second writer waits for the lock and gives up cleanly.
    env = {**os.environ, "PREFECT_API_URL": api_url, "VNNEWS_LOCK_TIMEOUT": "1"}
    second = subprocess.run(
        [
            sys.executable,
            "-m",
            "vnnews.flows.cli",
            "run",
            "--data-dir",
            str(crashed),
            "-s",
            str(src),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert second.returncode == 1 and "is writing to" in second.stderr + second.stdout
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    assert snapshot(settings) == before
    assert content(settings) == rows_before
    # The killed run's Parquet files are orphans: `vnnews maintain` finds and removes them.
    files = sorted(p.name for p in (crashed / "lake").rglob("*.parquet"))
    maintained = subprocess.run(
        [sys.executable, "-m", "vnnews.flows.cli", "maintain", "--data-dir", str(crashed)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PREFECT_API_URL": api_url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert maintained.returncode == 0, maintained.stderr[-2000:]
    orphans = int(maintained.stdout.split("orphaned files deleted: ")[1].split()[0])
    assert orphans >= 1
    assert len(sorted(p.name for p in (crashed / "lake").rglob("*.parquet"))) < len(files)
    assert content(settings) == rows_before
    finished(vnnews_run(crashed, src, api_url))
    assert content(settings) == content(load_settings(data_dir=reference))
    assert catalog.query(settings, "SELECT count(*), count(DISTINCT doc_id) FROM documents")[1] == [
        (2, 2)
    ]


def edit(path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tích cực hợp tác", "tiếp tục hợp tác", 1), encoding="utf-8")


@pytest.fixture(scope="module")
def versioned_reference(tmp_path_factory, prefect_harness):
    """An uninterrupted lake: seed 000 published, then a run with 000 edited and 002 added."""
    from prefect.settings import PREFECT_API_URL

    root = tmp_path_factory.mktemp("reference")
    src = root / "src"
    src.mkdir()
    shutil.copy(SEEDS / "000_e0afc6dd529c41e8.txt", src)
    finished(vnnews_run(root / "data", src, PREFECT_API_URL.value()))
    edit(src / "000_e0afc6dd529c41e8.txt")
    shutil.copy(SEEDS / "002_b86183774bd0c12c.txt", src)
    finished(vnnews_run(root / "data", src, PREFECT_API_URL.value()))
    return load_settings(data_dir=root / "data")


@pytest.mark.parametrize("point", ["after_delete", "mid_insert"])
def test_kill_at_other_publish_points_of_a_run_that_replaces_a_version(
    tmp_path, api_url, versioned_reference, point
):
    src, data = tmp_path / "src", tmp_path / "data"
    src.mkdir()
    shutil.copy(SEEDS / "000_e0afc6dd529c41e8.txt", src)
    finished(vnnews_run(data, src, api_url))
    settings = load_settings(data_dir=data)
    before, rows_before = snapshot(settings), content(settings)
    edit(src / "000_e0afc6dd529c41e8.txt")
    shutil.copy(SEEDS / "002_b86183774bd0c12c.txt", src)

    proc = vnnews_run(data, src, api_url, pause=120, at=point)
    wait_for_pause(proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert snapshot(settings) == before
    assert content(settings) == rows_before

    finished(vnnews_run(data, src, api_url))
    assert content(settings) == content(versioned_reference)
    documents = "SELECT count(*), count(replaces) FROM documents"
    assert catalog.query(settings, documents)[1] == [(2, 1)]
    # The replaced version is still there, one snapshot back.
    old = catalog.query(
        settings,
        "SELECT count(*) FROM documents WHERE body LIKE '%tích cực hợp tác%'",
        snapshot=before,
    )[1]
    assert old == [(1,)]


@pytest.mark.parametrize("lake_backend", ["postgres+s3"], indirect=True)
def test_a_run_raced_by_a_writer_on_another_machine_stays_published(
    lake_backend, tmp_path, api_url
):
    """Two data dirs (two machines) share one PostgreSQL catalog, so no writer lock is between
    them: the other writer commits while this run holds its publish open."""
    from tests.test_lake import run_row, tables_with
    from vnnews.tasks.lake import publish

    other = load_settings(data_dir=tmp_path / "other")
    publish.publish(other, tables_with("first"), run_row("first"))  # the lake's tables exist
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEEDS / "000_e0afc6dd529c41e8.txt", src)
    printed = tmp_path / "printed.txt"
    with printed.open("w") as out:
        proc = vnnews_run(tmp_path / "here", src, api_url, pause=20, stdout=out)
        wait_for_pause(proc)
        assert publish.publish(other, tables_with("raced"), run_row("other")) == 2
        _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-3000:]
    summary = " ".join(printed.read_text().split())  # the console wraps long lines
    assert "status: published" in summary
    assert "warning: Run " in summary and "is published as snapshot 3, not 2" in summary
    assert "snapshot: 3" in summary

    settings = load_settings(data_dir=tmp_path / "here")
    _, runs = catalog.query(settings, "SELECT run_id, snapshot_id, status FROM runs ORDER BY 2")
    assert [(s, status) for _, s, status in runs] == [
        (1, "published"),
        (2, "published"),
        (3, "published"),
    ]
    here = runs[2][0]
    _, stamps = catalog.query(
        settings, "SELECT DISTINCT snapshot_id, run_id FROM validation_results"
    )
    assert stamps == [(3, here)]
    _, notes = catalog.query(settings, f"SELECT stage_counts FROM runs WHERE run_id = '{here}'")
    assert "another writer published" in notes[0][0]
    page = (settings.reports_dir / "runs" / page_name(here)).read_text(encoding="utf-8")
    assert "<h2>Warning</h2><p>Run " in page and "is published as snapshot 3, not 2" in page
    _, docs = catalog.query(settings, "SELECT run_id FROM documents AT (VERSION => 3) ORDER BY 1")
    assert sorted(r for (r,) in docs) == sorted(["first", "other", here])


@pytest.mark.parametrize("lake_backend", ["postgres+s3"], indirect=True)
def test_writers_on_two_machines_wait_for_each_other(lake_backend, tmp_path):
    """Two data dirs, so two lock files: the PostgreSQL advisory lock is what they share."""
    catalog_uri = load_settings(data_dir=tmp_path / "one").catalog_uri
    with (
        shared_writer_lock(catalog_uri, "first", timeout=1),
        pytest.raises(LockTimeout, match=r"vnnews run first on .* is writing"),
        shared_writer_lock(catalog_uri, "second", timeout=1),
    ):
        pass
    with shared_writer_lock(catalog_uri, "third", timeout=1):  # released: free again
        pass


@pytest.mark.parametrize("lake_backend", ["postgres+s3"], indirect=True)
def test_runs_on_two_machines_take_turns_on_one_postgres_lake(lake_backend, tmp_path, api_url):
    """A run from another data dir waits while the first holds its publish open, then reads
    what it published: the shared article is unchanged, not in the lake twice."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEEDS / "000_e0afc6dd529c41e8.txt", src)
    # The first holds its publish open until the second has said it waits, however slow
    # the machine is to start the second.
    release = tmp_path / "release"
    first = vnnews_run(tmp_path / "here", src, api_url, pause=300, release=release)
    wait_for_pause(first)
    second = vnnews_run(tmp_path / "there", src, api_url)
    seen = read_until(second.stderr, lambda text: "is writing to this lake; waiting" in text, 240)
    assert first.poll() is None  # still holding its publish open: the second one waited
    release.touch()
    assert "is writing to this lake; waiting" in seen, seen[-3000:]
    finished(first)
    finished(second)
    settings = load_settings(data_dir=tmp_path / "there")
    _, runs = catalog.query(
        settings, "SELECT snapshot_id, status, n_published, n_unchanged FROM runs ORDER BY 1"
    )
    assert runs == [(1, "published", 1, 0), (2, "published", 0, 1)]
    assert catalog.query(settings, "SELECT count(*) FROM documents")[1] == [(1,)]
    _, notes = catalog.query(settings, "SELECT stage_counts FROM runs")
    assert not any("another writer published" in n for (n,) in notes)


def test_the_lock_holder_named_is_one_of_this_lakes_database():
    """Advisory locks are per database: a run holding another lake's lock on the same server
    is not the one this lake waits for, and is never named as such."""
    import psycopg

    from tests.backends import POSTGRES, _own_database
    from vnnews.tasks.lake import shared_lock

    if not POSTGRES:
        pytest.skip("set VNNEWS_TEST_POSTGRES to a PostgreSQL database to run this case")
    with (
        _own_database(POSTGRES) as other,
        _own_database(POSTGRES) as ours,
        shared_writer_lock(f"postgres:{other}", "run-on-the-other-lake", timeout=5),
        psycopg.connect(ours, autocommit=True) as con,
    ):
        assert shared_lock._holder(con) == "another vnnews run"
        with shared_writer_lock(f"postgres:{ours}", "run-on-this-lake", timeout=5):
            assert "run-on-this-lake" in shared_lock._holder(con)
