"""NER throughput: underthesea's own `ner()` per sentence against our one-pass tagger.

    .venv/bin/python -m benchmarks.ner_speed [N_SENTENCES]

On the same sentences (UD Vietnamese-VTB dev, detokenised, from ../shared/eval, else the seeds),
prints sentences/s for: naive `underthesea.ner()`, ours on 1 worker, ours on 2 workers, and the
ratios. Worker start-up (spawning processes, loading models) is timed separately, since a run
pays it once. Each figure is the best of two runs. Tags are compared too: any difference is
reported.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pyarrow as pa
import underthesea

from vnnews.tasks.nlp import adapter, parallel
from vnnews.tasks.nlp.conllu import read_conllu

ROOT = Path(__file__).resolve().parents[1]

REPEAT = 2
UD_DEV = ROOT.parent / "shared" / "eval" / "ud_vtb" / "vi_vtb-ud-dev.conllu"


def analyse_part(part: pa.Table) -> list[list[tuple]]:
    return [
        [(w.text, w.pos, w.chunk, w.ner) for w in adapter.analyse(t)]
        for t in part["text"].to_pylist()
    ]


def sentences(limit: int) -> list[str]:
    if UD_DEV.exists():
        return [g.detokenised for g in read_conllu(UD_DEV)][:limit]
    seeds = [p for f in sorted((ROOT / "seeds").glob("*.txt")) for p in f.read_text().splitlines()]
    return [s.text for p in seeds for s in adapter.sentences(p)][:limit]


def timed(fn, repeat: int = REPEAT) -> tuple[float, object]:
    """Best wall time of `repeat` runs (the least disturbed by other work on the machine)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def main(limit: int) -> int:
    texts = sentences(limit)
    table = pa.table({"text": texts})
    syllables = sum(len(t.split()) for t in texts)
    underthesea.ner(texts[0])  # load underthesea's models before timing
    naive_s, naive = timed(lambda: [underthesea.ner(t) for t in texts])
    one_s, one = timed(lambda: parallel.map_tables(analyse_part, table, 1))
    startup_s, _ = timed(lambda: parallel.map_tables(analyse_part, table.slice(0, 8), 2), 1)
    two_s, two = timed(lambda: parallel.map_tables(analyse_part, table, 2))
    ours = [s for part in one for s in part]
    same = sum(a == [tuple(x) for x in b] for a, b in zip(ours, naive, strict=True))
    print(f"{len(texts)} sentences, {syllables} syllables")
    print(f"{'':<22}{'seconds':>9}{'sentences/s':>13}{'syllables/s':>13}")
    for name, seconds in [
        ("underthesea.ner()", naive_s),
        ("ours, 1 worker", one_s),
        ("ours, 2 workers", two_s),
    ]:
        print(f"{name:<22}{seconds:>9.2f}{len(texts) / seconds:>13.0f}{syllables / seconds:>13.0f}")
    print(f"2-worker start-up (once per run): {startup_s:.2f} s")
    print(f"ours 1 worker / naive: {naive_s / one_s:.2f}x")
    print(f"ours 2 workers / ours 1 worker: {one_s / two_s:.2f}x")
    print(
        f"identical tags: {same}/{len(texts)} sentences "
        f"(2 workers equal 1 worker: {[s for p in two for s in p] == ours})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1123))
