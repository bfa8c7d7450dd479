"""`vnnews sql --print-attach`: the script opens the lake, read-only and offline, in a plain
DuckDB session of the `duckdb` package and in the DuckDB command line."""

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from tests.test_lake import run_row, tables_with
from vnnews.flows.cli.app import app
from vnnews.tasks.lake import publish

runner = CliRunner()


@pytest.fixture
def script(settings, tmp_path):
    publish.publish(settings, tables_with("a"), run_row("run-one"))
    publish.publish(settings, tables_with("b"), run_row("run-two"))
    result = runner.invoke(app, ["sql", "--print-attach", "--data-dir", str(settings.data_dir)])
    assert result.exit_code == 0, result.output
    path = tmp_path / "attach.sql"
    path.write_text(result.output, encoding="utf-8")
    return path


def test_the_script_opens_the_lake_in_plain_duckdb_read_only(script):
    con = duckdb.connect()  # DuckDB's defaults: signed extensions only
    con.execute(script.read_text(encoding="utf-8"))
    assert con.sql("SELECT count(*) FROM documents").fetchall() == [(2,)]
    assert con.sql("SELECT count(*) FROM documents AT (VERSION => 1)").fetchall() == [(1,)]
    with pytest.raises(duckdb.Error, match="read-only"):
        con.execute("DELETE FROM documents")


def test_the_script_opens_the_lake_in_the_duckdb_command_line(script):
    cli = Path(sys.executable).parent / "duckdb"
    command = [str(cli), "-csv", "-c", f".read {script}", "-c", "SELECT count(*) AS n FROM runs"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["n", "2"]


def test_no_script_without_a_lake(tmp_path):
    result = runner.invoke(app, ["sql", "--print-attach", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1 and "vnnews run" in result.output


def test_a_lake_moved_elsewhere_opens_from_where_it_is(settings, tmp_path):
    publish.publish(settings, tables_with("a"), run_row("run-one"))
    moved = tmp_path / "moved"
    shutil.copytree(settings.data_dir, moved)
    shutil.rmtree(settings.data_dir)  # nothing left where the catalog was written
    result = runner.invoke(app, ["sql", "--print-attach", "--data-dir", str(moved)])
    con = duckdb.connect()
    con.execute(result.output)
    assert con.sql("SELECT count(*) FROM documents").fetchall() == [(1,)]
