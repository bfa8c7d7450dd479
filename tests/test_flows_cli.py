"""The `vnnews` command, run in-process against the Prefect test server."""

import csv
import io
import json
import os
import re
import subprocess
import sys
import time
import uuid

import pytest
from typer.testing import CliRunner

from tests.processes import read_until
from tests.test_flows_pipeline import strict_context
from vnnews.flows.cli.app import app
from vnnews.tasks.lake import publish

runner = CliRunner()


@pytest.fixture(scope="module")
def lake_dir(prefect_harness, tmp_path_factory):
    # A quote, spaces and Vietnamese letters in the path: every command must still open it.
    data_dir = tmp_path_factory.mktemp("hồ dữ liệu") / "it's a lake"
    result = runner.invoke(app, ["run", "--data-dir", str(data_dir)])
    return data_dir, result


def test_help_teaches_every_command():
    result = runner.invoke(app, ["--help"], terminal_width=200)
    assert result.exit_code == 0
    listed = result.output.split("Commands")[1]  # the commands panel, not the description
    names = [c.callback.__name__ for c in app.registered_commands]
    assert len(names) == 12
    for command in app.registered_commands:
        first_line = command.callback.__doc__.split(". ")[0].split("\n")[0]
        row = next(line for line in listed.splitlines() if f" {command.callback.__name__} " in line)
        assert first_line[:40] in row, (command.callback.__name__, row)


def test_run_prints_the_summary_and_exits_zero(lake_dir):
    data_dir, result = lake_dir
    assert result.exit_code == 0, result.output
    for needle in (
        "ingest",
        "clean",
        "tokenise",
        "extract",
        "publish",
        "related_news",
        "status:     published",
        "snapshot:   1",
        "data_docs",
    ):
        assert needle in result.output
    assert re.search(r"nlp: +2 documents in [\d.]+ s, \d+ documents/s, on \d+ local", result.output)


def test_sql_formats(lake_dir):
    data_dir, _ = lake_dir
    args = [
        "sql",
        "SELECT type, count(*) AS n FROM entities GROUP BY type ORDER BY type",
        "--data-dir",
        str(data_dir),
    ]
    as_csv = runner.invoke(app, [*args, "--format", "csv"])
    assert as_csv.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert {r["type"] for r in rows} >= {"PER", "LOC", "ORG"}
    as_json = json.loads(runner.invoke(app, [*args, "--format", "json"]).output)
    assert [(r["type"], str(r["n"])) for r in as_json] == [(r["type"], r["n"]) for r in rows]
    as_table = runner.invoke(app, args)
    assert "LOC" in as_table.output and "rows)" in as_table.output


def test_sql_errors_are_plain_messages(lake_dir, tmp_path):
    data_dir, _ = lake_dir
    bad = runner.invoke(app, ["sql", "SELECT nope FROM documents", "--data-dir", str(data_dir)])
    assert bad.exit_code == 1 and "SQL error" in bad.output
    missing = runner.invoke(app, ["sql", "SELECT 1", "--data-dir", str(tmp_path / "none")])
    assert missing.exit_code == 1 and "vnnews run" in missing.output


def test_a_data_dir_named_with_a_quote_works_for_every_command(lake_dir, tmp_path):
    data_dir, run = lake_dir
    assert "'" in data_dir.name and run.exit_code == 0, run.output
    where = ["--data-dir", str(data_dir)]
    sql = runner.invoke(app, ["sql", "SELECT count(*) AS n FROM documents", *where, "-f", "csv"])
    assert sql.output.split() == ["n", "2"], sql.output
    found = runner.invoke(app, ["search", "Covid", *where, "-f", "json"])
    assert found.exit_code == 0 and len(json.loads(found.output)) == 2, found.output
    exported = runner.invoke(app, ["export", str(tmp_path / "out"), *where, "--tables", "runs"])
    assert exported.exit_code == 0 and (tmp_path / "out" / "runs.parquet").is_file()
    changed = runner.invoke(app, ["diff", "0", "1", *where, "-f", "json"])
    rows = {(r["table_name"], r["change"]): r["rows"] for r in json.loads(changed.output)}
    assert rows[("documents", "added")] == 2, changed.output
    attach = runner.invoke(app, ["sql", "--print-attach", *where])
    assert "it''s a lake" in attach.output  # quoted for DuckDB, not cut short


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "Covid", "--since", "x"], "--since 'x': give a date like 2025-03-20"),
        (["search", "Covid", "--until", "2025-13-45"], "--until '2025-13-45': give a date"),
        (["search", "Covid", "--as-of", "0"], "Snapshot 0 comes before the first run"),
        (["sql", "SELECT 1", "--as-of", "0"], "Snapshot 0 comes before the first run"),
        (["export", "out", "--as-of", "0"], "Snapshot 0 comes before the first run"),
        (["sql", "SELECT 1", "--as-of", "x"], "'x' is not a snapshot number"),
        (["diff", "x", "1"], "'x' is not a snapshot number"),
    ],
)
def test_a_bad_argument_is_one_line_naming_what_is_accepted(lake_dir, args, message):
    data_dir, _ = lake_dir
    result = runner.invoke(app, [*args, "--data-dir", str(data_dir)], terminal_width=300)
    assert result.exit_code == 1, result.output
    assert result.output.startswith(message) and result.output.count("\n") == 1, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["serve", "--cron", "bad expr"], "--cron 'bad expr': not a cron schedule."),
        (["serve", "--interval", "60", "--maintain-cron", "61 * * * *"], "--maintain-cron '61"),
        (["run", "--dask-address", "scheduler"], "--dask-address 'scheduler': give the sched"),
    ],
)
def test_a_bad_schedule_or_address_is_refused_before_anything_starts(tmp_path, args, message):
    result = runner.invoke(app, [*args, "--data-dir", str(tmp_path)], terminal_width=300)
    assert result.exit_code == 1 and result.output.startswith(message), result.output
    assert not any(tmp_path.iterdir())  # no server, no run, no data dir


def test_interactive_sql_prompt(lake_dir):
    data_dir, _ = lake_dir
    typed = ".tables\nSELECT count(*)\nAS n FROM documents;\n.quit\n"
    result = runner.invoke(
        app, ["sql", "--data-dir", str(data_dir), "--format", "csv"], input=typed
    )
    assert result.exit_code == 0, result.output
    assert "documents" in result.output and "n\n2" in result.output.replace("\r", "")


def test_missing_source_is_reported(tmp_path):
    result = runner.invoke(
        app, ["run", "--source", str(tmp_path / "nope"), "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "no such file or directory" in result.output


def test_blocked_run_exits_two(prefect_harness, tmp_path, monkeypatch):
    monkeypatch.setenv("VNNEWS_EXPECTATIONS_DIR", str(strict_context(tmp_path)))
    result = runner.invoke(app, ["run", "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 2, result.output
    assert "blocked at: clean" in result.output


def test_serve_creates_a_cron_deployment(prefect_harness, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    cmd = [
        sys.executable,
        "-m",
        "vnnews.flows.cli",
        "serve",
        "--cron",
        "0 * * * *",
        "--data-dir",
        str(tmp_path),
    ]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.time() + 120
        output = read_until(proc.stdout, lambda text: "UI: " in text, timeout=120)
        assert f"UI: {PREFECT_API_URL.value().removesuffix('/api')}" in output, output

        async def read():
            async with get_client() as client:
                return await client.read_deployment_by_name("vnnews/vnnews-scheduled")

        import asyncio

        from prefect.exceptions import ObjectNotFound

        deployment = None
        while deployment is None and time.time() < deadline:
            try:  # the runner creates it once it starts
                deployment = asyncio.run(read())
            except ObjectNotFound:
                time.sleep(1)
        assert deployment.schedules[0].schedule.cron == "0 * * * *"
        assert deployment.parameters["data_dir"] == str(tmp_path.resolve())
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_tokenize_and_extract_commands(tmp_path):
    source = tmp_path / "in.jsonl"
    lines = [
        {
            "id": 1,
            "text": "Bộ trưởng Bộ Y tế Đào Hồng Lan cho biết: “Bệnh viện cần 140 triệu đồng.”",
        },
        {"id": "b", "text": "Ngày 14/5, Hà Nội mưa lớn."},
    ]
    source.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n{oops\n")
    tokens, entities = tmp_path / "tok.jsonl", tmp_path / "ext.jsonl"
    result = runner.invoke(
        app, ["tokenize", "-i", str(source), "-o", str(tokens), "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "line 3" in result.output
    first = json.loads(tokens.read_text().splitlines()[0])
    words = [w for s in first["sentences"] for w in s["words"]]
    assert (
        first["id"] == "1"
        and {"word": "Đào Hồng Lan", "pos": "Np"}.items()
        <= {k: v for w in words if w["word"] == "Đào Hồng Lan" for k, v in w.items()}.items()
    )
    result = runner.invoke(app, ["extract", "-i", str(source), "-o", str(entities)])
    assert result.exit_code == 0, result.output
    one, two = (json.loads(line) for line in entities.read_text().splitlines())
    assert {
        "type": "PER",
        "text": "Đào Hồng Lan",
        "normalized": "Đào Hồng Lan",
        "entity_id": "Đào Hồng Lan",
        "title": "Bộ trưởng",
        "start": 18,
        "end": 30,
    } in one["entities"]
    assert one["quotes"][0]["speaker"] == "Đào Hồng Lan"
    assert one["quantities"][0]["value"] == 140_000_000
    assert two["dates"][0]["text"] == "14/5"
    assert not any(e["text"] == "14/5" for e in two["entities"])


@pytest.fixture
def two_snapshots(settings):
    from tests.test_lake import run_row, tables_with

    publish.publish(settings, tables_with("a"), run_row("run-one"))
    publish.publish(settings, tables_with("b"), run_row("run-two"))
    return settings.data_dir


def test_runs_lists_every_run(two_snapshots):
    result = runner.invoke(app, ["runs", "--data-dir", str(two_snapshots), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert [(r["run_id"], r["snapshot_id"]) for r in json.loads(result.output)] == [
        ("run-one", 1),
        ("run-two", 2),
    ]


def test_runs_fit_80_columns_with_short_ids(two_snapshots, settings):
    from tests.test_lake import run_row, tables_with

    run_id = str(uuid.uuid4())
    publish.publish(settings, tables_with("c"), run_row(run_id))
    env = {**os.environ, "COLUMNS": "80"}
    command = [sys.executable, "-m", "vnnews.flows.cli", "runs", "--data-dir", str(two_snapshots)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(map(len, lines)) <= 80, result.stdout
    row = next(line for line in lines if line.startswith(run_id[:8]))
    assert run_id not in result.stdout and " 3 " in row  # one line per run: its snapshot 3
    assert count_as_of(two_snapshots, run_id[:8]) == "3"


def count_as_of(data_dir, as_of):
    args = ["sql", "SELECT count(*) FROM documents", "--data-dir", str(data_dir), "--as-of", as_of]
    result = runner.invoke(app, [*args, "-f", "csv"])
    assert result.exit_code == 0, result.output
    return result.output.split()[-1]


def test_sql_as_of_a_run_a_snapshot_or_a_time(two_snapshots):
    def count(*extra):
        args = ["sql", "SELECT count(*) AS n FROM documents", "--data-dir", str(two_snapshots)]
        result = runner.invoke(app, [*args, "-f", "csv", *extra])
        assert result.exit_code == 0, result.output
        return result.output.split()[-1]

    assert count() == "2"
    assert count("--as-of", "1") == "1"
    assert count("--as-of", "run-one") == "1"
    assert count("--as-of", "run-t") == "2"  # any unique prefix of a run id
    args = ["sql", "SELECT 1", "--data-dir", str(two_snapshots), "--as-of", "run-"]
    ambiguous = runner.invoke(app, args, terminal_width=200)
    assert ambiguous.exit_code == 1 and "starts 2 run ids (run-one, run-two)" in ambiguous.output
    assert count("--as-of", "2100-01-01T00:00") == "2"
    bad = runner.invoke(app, ["sql", "SELECT 1", "--data-dir", str(two_snapshots), "--as-of", "x"])
    assert bad.exit_code == 1 and "snapshot number" in bad.output


def test_diff_between_runs(two_snapshots):
    args = ["diff", "run-one", "run-two", "--data-dir", str(two_snapshots), "-f", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert {(r["table_name"], r["change"]): r["rows"] for r in json.loads(result.output)} == {
        ("documents", "added"): 1
    }
    backwards = runner.invoke(app, ["diff", "2", "1", "--data-dir", str(two_snapshots)])
    assert backwards.exit_code == 1 and "not after" in backwards.output
