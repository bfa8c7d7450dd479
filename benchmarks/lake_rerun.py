"""Incremental cost and publish cost on a generated corpus.

    .venv/bin/python -m benchmarks.lake_rerun [N]      (N articles, default 10000)

Prints: fixed start-up (a run on an empty folder), the cold run, an unchanged re-run, and the
re-run/cold ratio beyond start-up; then the time to publish one run's tables (as a run into a
lake that already exists: connect, write, commit) against a plain DuckDB `COPY ... TO parquet` of
the same rows as they land in the lake (with their `run_id` column), best of three each, and
their ratio. Publishing has a fixed cost of about 0.1 s per commit (attach, catalog rows), so the
ratio falls with the size of a run: measure at 2000 to see that cost, at 10000 for the rate.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa

from benchmarks.corpus import corpus
from vnnews.tasks.lake import catalog, publish
from vnnews.tasks.lake.literal import quoted
from vnnews.tasks.settings import load_settings, quiet_telemetry
from vnnews.tasks.tables import PUBLISHED


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main(n: int) -> int:
    quiet_telemetry()
    from vnnews.flows.pipeline import pipeline

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        src, empty, data = root / "src", root / "empty", root / "data"
        src.mkdir()
        empty.mkdir()
        for name, text in corpus(n).items():
            (src / name).write_text(text, encoding="utf-8")
        pipeline(sources=[str(empty)], data_dir=str(root / "warm"))  # server start, imports
        fixed = timed(lambda: pipeline(sources=[str(empty)], data_dir=str(root / "warm2")))
        cold = timed(lambda: pipeline(sources=[str(src)], data_dir=str(data)))
        rerun = timed(lambda: pipeline(sources=[str(src)], data_dir=str(data)))

        settings = load_settings(data_dir=data)
        con = catalog.connect(settings, read_only=True, snapshot=1)
        tables = {
            name: con.execute(f"SELECT * EXCLUDE (run_id) FROM {name}").fetch_arrow_table()
            for name in PUBLISHED
        }
        con.close()
        rows = sum(t.num_rows for t in tables.values())
        fresh = load_settings(data_dir=root / "fresh")

        def run(i: int) -> dict:
            counts = {"n_in": n, "n_published": n, "n_rejected": 0}
            return {"run_id": f"bench-{i}", "status": "published", **counts}

        publish.publish(fresh, tables, run(0))  # the first run also creates the tables
        published = min(
            timed(lambda i=i: publish.publish(fresh, tables, run(i))) for i in (1, 2, 3)
        )
        plain = duckdb.connect()

        def copy_all() -> None:
            for name, table in tables.items():
                run_ids = pa.array(["bench-0"] * table.num_rows, pa.string())
                plain.register("t", table.append_column("run_id", run_ids))
                plain.execute(f"COPY t TO {quoted(root / f'{name}.parquet')} (FORMAT parquet)")
                plain.unregister("t")

        copy = min(timed(copy_all) for _ in range(3))
    print(f"\n{n} articles, {rows} published rows")
    print(f"fixed start-up (empty run): {fixed:.1f} s")
    print(f"cold run: {cold:.1f} s; unchanged re-run: {rerun:.1f} s")
    print(f"re-run / cold beyond start-up: {(rerun - fixed) / (cold - fixed):.3f}")
    print(
        f"publish into DuckLake: {published:.2f} s; COPY TO parquet: {copy:.2f} s; "
        f"ratio {published / copy:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000))
