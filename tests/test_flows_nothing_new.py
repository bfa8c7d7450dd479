"""A run with nothing new, and sources with nothing to read: answered in seconds, never lost."""

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import SEEDS
from vnnews.flows.cli.app import app
from vnnews.flows.nothing_new import nothing_new, record_without_prefect
from vnnews.flows.server import free_port
from vnnews.tasks.ingest.discover import describe_skipped, walk
from vnnews.tasks.lake import catalog
from vnnews.tasks.settings import load_settings

runner = CliRunner()
SEED_FILES = sorted(SEEDS.glob("*.txt"))
RUNS = "SELECT status, n_in, n_published, n_rejected, n_unchanged FROM runs ORDER BY snapshot_id"


@pytest.fixture(scope="module")
def published(prefect_harness, tmp_path_factory):
    """The seed articles and a note beside them, published once; (sources, data dir)."""
    from vnnews.flows.pipeline import pipeline

    root = tmp_path_factory.mktemp("nothing-new")
    src = root / "src"
    src.mkdir()
    for path in SEED_FILES:
        shutil.copy(path, src)
    (src / "notes.csv").write_text("a,b\n", encoding="utf-8")
    summary = pipeline(sources=[str(src)], data_dir=str(root / "data"))
    assert summary.status == "published" and summary.n_published == len(SEED_FILES)
    return src, root / "data"


def copy_lake(published, tmp_path) -> tuple[Path, Path]:
    src, data = published
    shutil.copytree(data, tmp_path / "data", ignore=shutil.ignore_patterns("prefect"))
    return src, tmp_path / "data"


def without_prefect_server(tmp_path) -> dict:
    """The environment of a user with no Prefect server up and no Prefect profile."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    port = free_port("127.0.0.1")  # nothing answers there
    return env | {"PREFECT_HOME": str(tmp_path / "prefect-home"), "VNNEWS_SERVER_PORT": str(port)}


def vnnews(args: list[str], env: dict, cwd: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "vnnews.flows.cli", *args]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_a_rerun_with_nothing_new_publishes_its_record_without_prefect(published, tmp_path):
    src, data = copy_lake(published, tmp_path)
    env = without_prefect_server(tmp_path) | {"PYTHONPROFILEIMPORTTIME": "1", "COLUMNS": "250"}
    done = vnnews(["run", "-s", str(src), "--data-dir", str(data)], env, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    assert "vnnews.flows.nothing_new" in imported
    assert not {"prefect", "great_expectations", "underthesea"} & imported
    assert "0 files read, 2 unchanged not re-read, 1 other file skipped (1 .csv)" in done.stdout
    assert "status:     published" in done.stdout and "snapshot:   2" in done.stdout
    settings = load_settings(data_dir=data)
    assert catalog.query(settings, RUNS)[1] == [
        ("published", 2, 2, 0, 0),
        ("published", 2, 0, 0, 2),
    ]
    _, rows = catalog.query(settings, "SELECT manifest FROM runs WHERE snapshot_id = 2")
    assert sorted(m["source_uri"] for m in rows[0][0]) == [
        (src / p.name).absolute().as_uri() for p in SEED_FILES
    ]
    assert all(m["content_hash"] for m in rows[0][0])
    assert not (data / "prefect").exists()  # no server was started for it


def test_under_a_server_the_run_shows_as_a_flow_run(published, tmp_path):
    from prefect.client.orchestration import get_client

    from vnnews.flows.pipeline import pipeline

    src, data = copy_lake(published, tmp_path)
    summary = pipeline(sources=[str(src)], data_dir=str(data))
    assert [(s.stage, s.docs_in, s.docs_out) for s in summary.stages] == [("ingest", 2, 0)]
    assert summary.validations == {} and "report" not in summary.reports  # no GX, no report
    with get_client(sync_client=True) as client:
        flow_run = client.read_flow_run(summary.run_id)
    assert flow_run.state.is_completed()
    assert catalog.query(load_settings(data_dir=data), RUNS)[1][-1] == ("published", 2, 0, 0, 2)


def test_a_changed_file_is_work(published, tmp_path):
    src, data = copy_lake(published, tmp_path)
    settings = load_settings(data_dir=data, sources=(src,))
    assert nothing_new(settings).n_items == 2
    first = sorted(src.glob("*.txt"))[0]
    moved = tmp_path / "src"
    shutil.copytree(src, moved)
    (moved / first.name).write_text(first.read_text(encoding="utf-8") + "\nThêm.\n", "utf-8")
    assert nothing_new(load_settings(data_dir=data, sources=(moved,))) is None
    assert nothing_new(load_settings(data_dir=data, sources=(src, "https://a.vn/rss"))) is None
    assert nothing_new(load_settings(data_dir=tmp_path / "no-lake", sources=(src,))) is None


def test_an_edit_that_keeps_the_size_is_found_by_the_hash(published, tmp_path):
    src, data = copy_lake(published, tmp_path)
    moved = tmp_path / "src"
    shutil.copytree(src, moved)
    edited = sorted(moved.glob("*.txt"))[0]
    text = edited.read_bytes()
    i = text.index(b"a")
    edited.write_bytes(text[:i] + b"o" + text[i + 1 :])  # one byte for another
    assert edited.stat().st_size == len(text)
    assert nothing_new(load_settings(data_dir=data, sources=(moved,))) is None


def test_a_killed_run_is_left_for_the_flow_to_record(published, tmp_path):
    src, data = copy_lake(published, tmp_path)
    killed = {"run_id": "0b5e7f6a-killed", "pid": 999999, "since": "2026-01-01T00:00:00+00:00"}
    (data / ".writer.lock").write_text(json.dumps(killed), encoding="utf-8")
    settings = load_settings(data_dir=data, sources=(src,))
    assert record_without_prefect(settings) is None  # the flow's to record, with Prefect
    assert json.loads((data / ".writer.lock").read_text(encoding="utf-8")) == killed
    assert len(catalog.query(settings, RUNS)[1]) == 1


def test_a_lake_another_run_writes_to_is_a_one_line_failure(published, tmp_path):
    src, data = copy_lake(published, tmp_path)
    env = without_prefect_server(tmp_path) | {"VNNEWS_LOCK_TIMEOUT": "1"}
    holder = {"run_id": "r-busy", "pid": os.getpid(), "since": "2026-12-01T00:00:00+00:00"}
    with (data / ".writer.lock").open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write(json.dumps(holder))
        held.flush()
        done = vnnews(["run", "-s", str(src), "--data-dir", str(data)], env, tmp_path)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"The run failed: run r-busy (pid {os.getpid()}, since 2026-12-01")
    assert "gave up after 1 s" in last and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("files", "named", "said"),
    [
        ({}, "", "no article file. vnnews reads .htm, .html"),
        ({"a.csv": "x", "b.CSV": "y", "c.pdf": "z", "README": ""}, "", "(2 .csv, 1 .pdf, 1 "),
        ({"table.csv": "x"}, "table.csv", "no article file (1 .csv skipped)"),
    ],
)
def test_sources_with_no_article_exit_3_at_once(tmp_path, files, named, said):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    source = folder / named if named else folder
    result = runner.invoke(app, ["run", "-s", str(source), "--data-dir", str(tmp_path / "d")])
    assert result.exit_code == 3, result.output
    assert f"Nothing to read in {source}: " in result.output and said in result.output
    assert not (tmp_path / "d").exists()  # nothing was run


def test_files_in_folders_that_are_no_articles_are_counted(tmp_path):
    for name in ("a.txt", "b.html.gz", "c.csv", "d.csv", "e.pdf", "f", "sub/g.json", "sub/h.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    skipped: Counter = Counter()
    found = [src.path.name for src in walk([tmp_path], skipped)]
    assert found == ["a.txt", "b.html.gz", "h.txt"]
    assert skipped == Counter({".csv": 2, ".pdf": 1, "without a suffix": 1, ".json": 1})
    assert describe_skipped(skipped) == (
        "5 other files skipped (2 .csv, 1 .json, 1 .pdf, 1 without a suffix)"
    )
    assert describe_skipped(Counter()) == ""


def test_a_catalog_that_cannot_be_read_is_left_for_the_flow_to_report(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "catalog.sqlite").write_bytes(b"not a database at all" * 100)
    settings = load_settings(data_dir=data, sources=(SEEDS,))
    with pytest.raises(Exception, match="(?i)database|sqlite|file"):
        nothing_new(settings)
    assert record_without_prefect(settings) is None  # the flow runs, and fails as it reports
