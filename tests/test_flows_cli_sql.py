"""`vnnews sql` as an analyst uses it: dot-commands, every statement's result, a row limit that
counts the rest, columns cut to fit, Ctrl-C that stops a query and keeps the prompt, and a
history under the data dir. On a small real lake (two published snapshots)."""

import os
import pty
import select
import signal
import subprocess
import sys
import threading
import time

import pytest
from typer.testing import CliRunner

from tests.test_lake import run_row, tables_with
from vnnews.flows.cli.app import app
from vnnews.flows.cli.statements import Interrupted, interruptible
from vnnews.tasks.lake import publish, sandbox

runner = CliRunner()


@pytest.fixture
def lake(settings):
    publish.publish(settings, tables_with("a"), run_row("run-one"))
    publish.publish(settings, tables_with("b" * 300), run_row("run-two"))  # a long doc_id
    return str(settings.data_dir)


def sql(lake, *args, input=None):
    result = runner.invoke(app, ["sql", *args, "--data-dir", lake], input=input)
    return result.exit_code, result.output


def test_dot_commands_work_without_the_prompt(lake):
    code, out = sql(lake, ".tables")
    assert code == 0 and all(name in out for name in ("documents", "fetches", "runs"))
    code, out = sql(lake, ".schema documents", "--max-rows", "0")
    assert code == 0 and "body_hash" in out and "ingested_at" in out and "run_id" in out
    code, out = sql(lake, ".mode csv")
    assert code == 1 and "--format" in out
    code, out = sql(lake, ".nope")
    assert code == 1 and ".help lists them" in out


def test_every_statement_shows_its_result(lake):
    code, out = sql(lake, "SELECT 'first' AS a; SELECT count(*) AS n FROM documents;", "-f", "csv")
    assert code == 0 and out.split() == ["a", "first", "n", "2"]


def test_a_long_result_is_cut_and_the_rest_counted(lake):
    code, out = sql(lake, "SELECT i FROM range(100) t(i)")
    assert code == 0 and "… 60 more rows (40 of 100 shown" in out
    assert " 39 " in out and " 40 " not in out
    code, out = sql(lake, "SELECT i FROM range(100) t(i)", "--max-rows", "0")
    assert "(100 rows)" in out
    code, out = sql(lake, "SELECT i FROM range(100) t(i)", "-f", "csv")
    assert out.split() == ["i", *map(str, range(100))]  # CSV is data: all of it, nothing else


def test_long_text_is_cut_to_fit(lake):
    code, out = sql(lake, "SELECT doc_id, title FROM documents ORDER BY doc_id DESC")
    assert code == 0 and "b" * 39 + "…" in out and "b" * 41 not in out
    assert max(map(len, out.splitlines())) <= 120  # the console width of piped output
    code, out = sql(lake, "SELECT doc_id FROM documents", "--max-width", "10")
    assert "bbbbbbbbb…" in out


def test_the_prompt_modes_and_settings(lake):
    typed = (
        ".mode markdown\nSELECT 1 AS a, 'x|y' AS b;\n.mode line\nSELECT 1 AS a, 2 AS bb;\n"
        ".maxrows 2\n.mode csv\nSELECT i FROM range(5) t(i);\n.timer on\n.mode table\n"
        "SELECT 1 AS\n   n;\n.mode nope\n.quit\n"
    )
    code, out = sql(lake, input=typed)
    assert code == 0, out
    assert "| a | b |" in out and "| 1 | x\\|y |" in out
    assert " a = 1\nbb = 2" in out
    assert "i\n0\n1\n" in out and "… 3 more rows" in out
    assert " s\n" in out or " s" in out.split("(1 row)")[1].splitlines()[0]
    assert ".mode takes one of table, csv, json, markdown, line" in out


def test_ctrl_c_stops_the_query_and_the_prompt_goes_on(lake):
    """On a terminal (a pty), as a user types: the query is stopped, the prompt answers the next
    one, and what was typed is in the lake's history file."""
    command = [sys.executable, "-m", "vnnews.flows.cli", "sql", "--data-dir", lake]
    main, child = pty.openpty()
    prompt = subprocess.Popen(command, stdin=child, stdout=child, stderr=child, close_fds=True,
                              env={**os.environ, "COLUMNS": "80", "TERM": "dumb"})  # fmt: skip
    os.close(child)
    try:
        read_until(main, "vnnews> ", timeout=60)  # started, however slow the machine
        type_in(main, "SELECT count(*) FROM range(1000000000000) a, range(10) b;\n")
        time.sleep(2)  # well into the query
        started = time.monotonic()
        prompt.send_signal(signal.SIGINT)
        type_in(main, "SELECT 41 + 1 AS answer;\n.quit\n")
        prompt.wait(timeout=60)
        out = read_all(main)
    finally:
        prompt.kill()
        os.close(main)
    assert prompt.returncode == 0, out
    assert "Interrupted." in out and "42" in out
    assert time.monotonic() - started < 30
    with open(os.path.join(lake, ".sql_history"), encoding="utf-8") as fh:
        assert "SELECT 41 + 1 AS answer;" in fh.read()


def test_ctrl_c_before_duckdb_has_started_the_query_still_stops_it(settings, lake):
    """On a busy machine, Ctrl-C can come while the typed text is still being checked: the query
    must not then start and run on behind the prompt, holding the connection."""
    box = sandbox.open_sandbox(settings, None, ())
    checked = box.check

    def slow_check(sql: str) -> list:  # a busy machine: DuckDB starts a second after Enter
        time.sleep(1)
        return checked(sql)

    box.check = slow_check
    threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
    with pytest.raises(Interrupted):
        interruptible(box, "SELECT count(*) FROM range(1000000000000) a, range(10) b;")
    answered: dict = {}
    after = threading.Thread(target=lambda: answered.update(r=interruptible(box, "SELECT 42;")))
    after.start()
    after.join(30)
    assert "r" in answered, "the next query waited behind the one Ctrl-C should have stopped"
    assert answered["r"][0].rows == [(42,)]
    box.close()


def type_in(fd: int, text: str) -> None:
    os.write(fd, text.encode())


def read_until(fd: int, text: str, timeout: float) -> str:
    seen, deadline = "", time.monotonic() + timeout
    while text not in seen and time.monotonic() < deadline:
        if select.select([fd], [], [], 0.5)[0]:
            seen += os.read(fd, 65536).decode(errors="replace")
    assert text in seen, seen
    return seen


def read_all(fd: int) -> str:
    chunks = []
    while select.select([fd], [], [], 0.5)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode(errors="replace")
