"""The whole flow at scale on generated articles: Dask workers, the flow's own cost, memory.

    .venv/bin/python -m benchmarks.scale [N] [--memory] [--only dask|local]
                                              (N articles, default 2000; both parts by default)

Articles come from benchmarks/corpus.py (the fixtures' words, 3 paragraphs of 40). Each run is
`vnnews run` in its own process on a fresh lake, start-up included (its Prefect database is a
copy of the cache's template, flows/prefect_db.py, as on any machine after its first run; the
first, untimed run here makes it if the cache has none). Printed, each with its goal:
- documents per second with `--runner dask` and 1, then 2 workers (a LocalCluster), and their
  ratio (goal >= 1.8 on 2 cores): of the NLP on the workers (the run's own figure, in
  `runs.stage_counts`: from handing the documents over to the last extract answer), and of the
  whole run, start-up, ingest, clean and publish included;
- the whole flow with one local worker against the bare NLP compute it wraps: tokenise and
  extract of the same clean documents in this process, models loaded before timing (goal
  <= 1.25);
- with --memory, the same ratio at 10 x N, where the run's fixed costs (start-up, the first
  part's reading and cleaning, the last part's publish) weigh less; and the peak RSS of a
  one-worker run at 10 x N against the run at N (goal <= 1.3), of its largest process and of
  all its processes together (its NLP worker is one of them).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.corpus import corpus
from vnnews.flows import prefect_db
from vnnews.tasks.extract import extract
from vnnews.tasks.extract.gazetteer import Gazetteer
from vnnews.tasks.lake import catalog
from vnnews.tasks.nlp import adapter, tokenise
from vnnews.tasks.settings import load_settings
from vnnews.tasks.tables import DOCUMENTS, RUNS

BIN = Path(sys.executable).parent


def write_corpus(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True)
    for name, text in corpus(n).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run(sources: Path, data_dir: Path, *options: str) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB of the run's largest process, peak RSS in MB of the run's
    processes together: the flow, its NLP worker processes and Prefect's server) of one
    `vnnews run`."""
    command = ["/usr/bin/time", "-f", "%M", BIN / "vnnews", "run", "--source", str(sources),
               "--data-dir", str(data_dir), *options]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    together = TreePeak(process.pid)
    together.start()
    out, err = process.communicate()
    wall = time.perf_counter() - started
    together.stop = True
    if process.returncode != 0:
        raise SystemExit(f"vnnews run failed:\n{out[-3000:]}\n{err[-3000:]}")
    return wall, int(err.strip().splitlines()[-1]) / 1024, together.peak / 1024


class TreePeak(threading.Thread):
    """The largest sum of RSS (KB) over a process and its descendants, sampled 4 times a
    second: /usr/bin/time reports the largest single process, and a run spans several."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root, self.peak, self.stop = root, 0, False

    def run(self) -> None:
        while not self.stop:
            self.peak = max(self.peak, sum(_rss(pid) for pid in _tree(self.root)))
            time.sleep(0.25)


def _tree(root: int) -> set[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:  # "pid (name) state ppid ...": the name may hold spaces, so split after it
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    found, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in found} - found
        found |= more
        grew = bool(more)
    return found


def _rss(pid: int) -> int:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in lines if line.startswith("VmRSS")), 0)


def nlp_seconds(data_dir: Path) -> float:
    """The NLP's seconds on the workers, as the run recorded them (tasks/reports/summary.py)."""
    settings = load_settings(data_dir=data_dir)
    runs = catalog.read_table(settings, "runs", RUNS).to_pylist()
    return json.loads(runs[-1]["stage_counts"])["nlp"]["seconds"]


def bare_nlp(data_dir: Path) -> float:
    """Seconds of tokenise + extract over the published documents, on one core."""
    settings = load_settings(data_dir=data_dir)
    documents = catalog.read_table(settings, "documents", DOCUMENTS)
    gazetteer = Gazetteer.load(settings.gazetteers_dir)
    adapter.load_models()
    started = time.perf_counter()
    sentences, tokens, _ = tokenise.tokenise(documents, settings.budget)
    extract.extract(documents, sentences, tokens, gazetteer, settings.budget)
    return time.perf_counter() - started


def main(n: int, memory: bool, only: str | None = None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sources = write_corpus(root / "articles", n)
        print(f"{n:,} articles; {os.cpu_count()} cores")
        given_server = os.environ.get("PREFECT_API_URL")  # the runs start no server of their own
        if not given_server and not prefect_db.template(load_settings()).exists():
            # Else the first timed run alone would pay Prefect's migrations (about 20 s).
            run(write_corpus(root / "warm-up", 1), root / "warm-up-run", "--workers", "1")
            print("(a first, untimed run made the Prefect database template)")
        if only != "local":
            dask_figures(n, sources, root)
        if only != "dask":
            local_figures(n, sources, root, memory)
    mine = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this process peaked at {mine:.0f} MB)")
    return 0


def dask_figures(n: int, sources: Path, root: Path) -> None:
    """Documents per second on 1 and 2 Dask workers, of the NLP and of the whole run."""
    one, *_ = run(sources, root / "dask1", "--runner", "dask", "--workers", "1")
    two, *_ = run(sources, root / "dask2", "--runner", "dask", "--workers", "2")
    nlp1, nlp2 = (nlp_seconds(root / f"dask{w}") for w in (1, 2))
    for w, wall, nlp in ((1, one, nlp1), (2, two, nlp2)):
        label = f"dask, {w} worker{'s' if w > 1 else ' '}"
        print(f"{label}: NLP on the workers {n / nlp:6.1f} docs/s ({nlp:.1f} s); "
              f"whole run {n / wall:5.1f} docs/s ({wall:.1f} s)")  # fmt: skip
    print(f"2 workers / 1 worker: NLP on the workers {nlp1 / nlp2:.2f}x   (goal >= 1.8); "
          f"whole run {one / two:.2f}x")  # fmt: skip


def local_figures(n: int, sources: Path, root: Path, memory: bool) -> None:
    """The whole flow on one local worker against the bare NLP; with `memory`, at 10 x N too."""
    local, peak, tree = run(sources, root / "local1", "--workers", "1")
    compute = bare_nlp(root / "local1")
    print(f"whole flow, 1 local worker: {local:.1f} s; bare tokenise + extract: {compute:.1f} s")
    print(f"whole flow / bare NLP: {local / compute:.2f}   (goal <= 1.25)")
    if memory:
        big = write_corpus(root / "articles10", 10 * n)
        wall10, peak10, tree10 = run(big, root / "local10", "--workers", "1")
        compute10 = bare_nlp(root / "local10")
        print(f"whole flow, 1 local worker, {10 * n:,} articles: {wall10:.1f} s; bare "
              f"tokenise + extract: {compute10:.1f} s")  # fmt: skip
        print(f"whole flow / bare NLP at {10 * n:,}: {wall10 / compute10:.2f}   (goal <= 1.25)")
        print(
            f"peak RSS, largest process: {peak:.0f} MB at {n:,}, {peak10:.0f} MB at "
            f"{10 * n:,}: 10x / 1x {peak10 / peak:.2f}   (goal <= 1.3)"
        )
        print(f"peak RSS, all the run's processes: {tree:.0f} MB at {n:,}, {tree10:.0f} MB "
              f"at {10 * n:,}: 10x / 1x {tree10 / tree:.2f}   (goal <= 1.3)")  # fmt: skip


if __name__ == "__main__":
    argv = sys.argv[1:]
    only = argv[argv.index("--only") + 1] if "--only" in argv else None
    if only not in (None, "dask", "local"):
        raise SystemExit("--only takes dask or local")
    args = [a for a in argv if not a.startswith("--") and a != only]
    raise SystemExit(main(int(args[0]) if args else 2000, "--memory" in argv, only))
