"""The NLP worker pool: forked from a command's process once it has loaded the models, when that
process runs no other thread; spawned otherwise. Either way the answers are the same, and the
commands hand on their next chunk while the workers tag the last one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from vnnews.flows.cli.batch import CHUNK
from vnnews.tasks.settings import PROJECT_ROOT

BIN = Path(sys.executable).parent
FIXTURES = Path(__file__).parent / "fixtures"

# In each worker: how many times `load` ran in the process it came from, as that worker sees it.
# A forked worker sees this process's memory after load; a spawned one imports the script anew.
PROBE = """
import os, sys, threading, time
from vnnews.tasks.nlp import parallel

LOADED = []

def seen(_):
    return len(LOADED), os.getpid()

if __name__ == "__main__":
    if sys.argv[1] == "thread":
        threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
    forked = parallel.start_forked(2, lambda: LOADED.append(1))
    answers = list(parallel._pool(2).map(seen, range(40)))
    print(forked, sorted({n for n, _ in answers}), len({pid for _, pid in answers}))
"""


def probe(mode: str, tmp_path: Path) -> str:
    script = tmp_path / "probe.py"  # a file: a spawned worker imports the script again
    script.write_text(PROBE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, script, mode],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_workers_forked_from_a_lone_thread_start_with_what_it_loaded(tmp_path):
    assert probe("alone", tmp_path) == "True [1] 2"


def test_a_process_running_another_thread_spawns_its_workers_instead(tmp_path):
    forked, loaded, _ = probe("thread", tmp_path).split(" ")  # spawned when needed: 1 or 2
    assert (forked, loaded) == ("False", "[0]")


@pytest.mark.parametrize("command", ["tokenize", "extract"])
def test_two_forked_workers_answer_as_one(command, tmp_path):
    given = tmp_path / "articles.jsonl"
    lines = [
        (f"{path.stem}-{number}", line)
        for path in sorted((FIXTURES / "txt").glob("*.txt"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines())
    ]
    with given.open("w", encoding="utf-8") as out:
        for copy in range(-(-2 * CHUNK // len(lines)) + 1):  # over two chunks of the command
            for ident, line in lines:
                record = {"id": f"{ident}-{copy}", "text": f"{line} ({copy})"}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    answers = {}
    for workers in (1, 2):
        written = tmp_path / f"out{workers}.jsonl"
        args = [BIN / "vnnews", command, "-i", given, "-o", written, "--workers", str(workers)]
        done = subprocess.run(args, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        answers[workers] = written.read_text(encoding="utf-8").splitlines()
    assert len(answers[1]) > 2 * CHUNK
    assert answers[2] == answers[1]
    found = "entities" if command == "extract" else "sentences"
    assert any(json.loads(line)[found] for line in answers[1])
