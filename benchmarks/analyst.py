"""The analyst's questions on a large generated lake: search and "top entities per day".

    .venv/bin/python -m benchmarks.analyst [N]      # N documents, default 100,000

Documents are generated from the fixtures' vocabulary (benchmarks/corpus.py) over 60 days, each
naming 5 of 2,000 entities; they are published straight into a DuckLake lake in a temporary
folder (no NLP: the questions are what is measured). Printed: the search index's build time
and size; p50 and p95 of `search()` (in process) against an ILIKE scan for the same three words;
and of the top 10 entities per day for a month from the `entities_by_day` table (counted ahead
by publish), against the same question counted from `entities` joined to `documents`.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa

from benchmarks.corpus import vocabulary
from vnnews.tasks.lake import catalog, publish, search, search_index
from vnnews.tasks.settings import load_settings
from vnnews.tasks.tables import DOCUMENTS, ENTITIES, PUBLISHED

START = datetime(2025, 10, 1, tzinfo=UTC)
TOP_PER_DAY = """
    SELECT day, entity_id, mentions FROM entities_by_day
    WHERE day BETWEEN '2025-10-01' AND '2025-10-31'
    QUALIFY row_number() OVER (PARTITION BY day ORDER BY mentions DESC, entity_id) <= 10"""
TOP_PER_DAY_JOINED = """
    SELECT day, entity_id, mentions FROM (
        SELECT CAST(d.published_at + INTERVAL 7 HOUR AS DATE) AS day, e.entity_id,
               count(*) AS mentions
        FROM entities e JOIN documents d USING (doc_id) GROUP BY ALL)
    WHERE day BETWEEN '2025-10-01' AND '2025-10-31'
    QUALIFY row_number() OVER (PARTITION BY day ORDER BY mentions DESC, entity_id) <= 10"""


def tables(n: int, rng: random.Random) -> dict[str, pa.Table]:
    words = vocabulary()
    names = [f"{rng.choice(words).title()} {rng.choice(words).title()}" for _ in range(2000)]
    docs, entities = [], []
    for i in range(n):
        body = " ".join(rng.choice(words) for _ in range(rng.randint(60, 120))) + "."
        when = START + timedelta(minutes=rng.randrange(60 * 24 * 60))
        docs.append({"doc_id": f"d{i:07d}", "source_uri": f"file:///{i}.txt",
                     "title": " ".join(rng.choice(words) for _ in range(8)), "body": body,
                     "published_at": when, "source": f"outlet{i % 20}"})  # fmt: skip
        for k, name in enumerate(rng.sample(names, 5)):
            entities.append({"doc_id": f"d{i:07d}", "sent_idx": 0, "type": "PER", "text": name,
                             "entity_id": name, "start": k, "end": k + 1})  # fmt: skip
    out = {name: schema.empty_table() for name, schema in PUBLISHED.items()}
    out["documents"] = pa.Table.from_pylist(docs, schema=DOCUMENTS)
    out["entities"] = pa.Table.from_pylist(entities, schema=ENTITIES)
    return out


def timed(fn, repeats: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))]


def main(n: int) -> int:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(data_dir=Path(folder) / "data")
        published = tables(n, rng)
        bodies = published["documents"]["body"].to_pylist()
        started = time.perf_counter()
        snapshot = publish.publish(settings, published, {
            "run_id": "benchmark", "started_at": START, "finished_at": START,
            "status": "published", "n_in": n, "n_published": n, "n_rejected": 0})  # fmt: skip
        print(f"{n:,} documents, {published['entities'].num_rows:,} entity mentions, "
              f"published in {time.perf_counter() - started:.1f} s")  # fmt: skip
        started = time.perf_counter()
        path = search_index.build(settings, snapshot)
        size = path.stat().st_size / 1e6
        print(f"search index: built in {time.perf_counter() - started:.1f} s, {size:.0f} MB")
        queries = []
        for _ in range(50):
            words = rng.choice(bodies).split()
            at = rng.randrange(len(words) - 3)
            queries.append(" ".join(words[at : at + 3]).strip("."))
        it = iter(queries * 2)
        p50, p95 = timed(lambda: search.search(settings, snapshot, next(it), 10), 50)
        con = catalog.connect(settings, read_only=True)
        try:
            it = iter(queries * 2)
            like = "SELECT doc_id FROM documents WHERE body ILIKE ? LIMIT 10"
            s50, s95 = timed(lambda: con.execute(like, [f"%{next(it)}%"]).fetchall(), 50)
            v50, v95 = timed(lambda: con.execute(TOP_PER_DAY).fetchall(), 20)
            j50, j95 = timed(lambda: con.execute(TOP_PER_DAY_JOINED).fetchall(), 20)
        finally:
            con.close()
    print(f"{'':<40}{'p50 ms':>9}{'p95 ms':>9}")
    for label, (a, b) in (
        ("search()", (p50, p95)),
        ("ILIKE scan of the same words", (s50, s95)),
        ("top 10 entities a day for a month", (v50, v95)),
        ("the same, entities joined to documents", (j50, j95)),
    ):
        print(f"{label:<40}{a:>9.1f}{b:>9.1f}")
    print(f"at p95: search / ILIKE {p95 / s95:.2f}, entities_by_day / join {v95 / j95:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
