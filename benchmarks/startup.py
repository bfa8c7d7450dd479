"""The fixed cost of a run, as a new user meets it, measured in this one session:

    .venv/bin/python -m benchmarks.startup [REPEATS]

- a cold `vnnews run` on the seeds (a fresh data dir, its temporary Prefect server included);
- the same command again on that lake, with nothing new to do;
- `vnnews sql "select 1"` on that lake, and the ratio of the rerun to it (the goal: ≤ 3);
- `vnnews run` on a folder that holds no article (it must end at once, exit code 3);
- the temporary Prefect server's start on a seeded database, with and without its start-up
  checks (migrations, block registration), the alternative Prefect offers;
- where a rerun's time goes: the slowest imports of the process, from `-X importtime`.

Every command runs with no Prefect server up and no Prefect profile, as on a fresh machine.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vnnews.flows import server
from vnnews.tasks.settings import load_settings

HOST = "127.0.0.1"


def environment(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "VNNEWS_"))}
    return env | {"PREFECT_HOME": str(home), "VNNEWS_SERVER_PORT": str(server.free_port(HOST))}


def vnnews(args: list[str], env: dict, ok: tuple[int, ...] = (0,)) -> tuple[float, str]:
    """Seconds the command took, wall, and its standard error."""
    command = [sys.executable, "-m", "vnnews.flows.cli", *args]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in ok:
        raise SystemExit(f"vnnews {' '.join(args)}: exit {done.returncode}\n{done.stderr[-2000:]}")
    return seconds, done.stderr


def server_start(work: Path, checks: bool) -> float:
    """Seconds until a temporary server on a database copied from the template answers."""
    settings = load_settings(data_dir=work / f"server-{checks}-{time.monotonic_ns()}")
    flag = "true" if checks else "false"
    saved = {k: os.environ.get(k) for k in server.SKIPPED_CHECKS}
    os.environ.update(dict.fromkeys(server.SKIPPED_CHECKS, flag))
    try:
        started = time.perf_counter()
        with server.started_server(settings, HOST, server.free_port(HOST), services=False):
            return time.perf_counter() - started
    finally:
        for key, value in saved.items():
            os.environ.pop(key) if value is None else os.environ.update({key: value})


def slowest_imports(stderr: str, n: int = 6) -> list[tuple[float, str]]:
    """The top-level packages that took longest to import (cumulative), from -X importtime."""
    took: dict[str, float] = {}
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = (part.strip() for part in line.split("|"))
            if cumulative.isdigit() and not name.startswith(" "):
                top = name.split(".")[0]
                took[top] = max(took.get(top, 0.0), int(cumulative) / 1e6)
    return sorted(((s, name) for name, s in took.items()), reverse=True)[:n]


def median(values: list[float]) -> str:
    return f"{statistics.median(values):5.1f} s ({', '.join(f'{v:.1f}' for v in values)})"


def main(repeats: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="vnnews-startup-"))
    env = environment(work / "prefect-home")
    cold, rerun, sql = [], [], []
    for i in range(repeats):
        data = ["--data-dir", str(work / f"data-{i}")]
        cold.append(vnnews(["run", *data], env)[0])
        rerun.append(vnnews(["run", *data], env)[0])
        sql.append(vnnews(["sql", "select 1", *data], env)[0])
    (empty := work / "no-articles").mkdir()
    (empty / "notes.csv").write_text("a,b\n", encoding="utf-8")
    nothing = vnnews(["run", "-s", str(empty), "--data-dir", str(work / "x")], env, ok=(3,))[0]
    _, imports = vnnews(
        ["run", "--data-dir", str(work / "data-0")], env | {"PYTHONPROFILEIMPORTTIME": "1"}
    )
    with_checks = [server_start(work, checks=True) for _ in range(repeats)]
    without = [server_start(work, checks=False) for _ in range(repeats)]
    ratio = statistics.median(rerun) / statistics.median(sql)
    print(f"vnnews on the seeds, no server up, median of {repeats}:")
    print(f"  cold run (fresh data dir)          {median(cold)}   goal ≤ 25 s")
    print(f"  rerun, nothing new                 {median(rerun)}   goal ≤ 10 s")
    print(f'  sql "select 1" on that lake        {median(sql)}')
    print(f"  rerun ÷ sql                        {ratio:5.2f}               goal ≤ 3")
    print(f"  a folder with no article (exit 3)  {nothing:5.1f} s               goal ≤ 5 s")
    print("temporary Prefect server, seeded database, until it answers:")
    print(f"  with its start-up checks           {median(with_checks)}")
    print(f"  without (as vnnews starts it)      {median(without)}")
    print("slowest imports of a rerun (cumulative):")
    for seconds, name in slowest_imports(imports):
        print(f"  {name:<34} {seconds:5.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
