"""What validation costs next to the work it judges, per stage, on a generated corpus.

    .venv/bin/python -m benchmarks.validation_cost [N]      (N articles, default 2000)

Runs the five stages' own functions in this process (no Prefect), then for each stage the same
validation the flow runs: the frame of tasks/checks/frames.py and the stage's GX checkpoint (results
stored, as in a run). GX's import, its context and each checkpoint's first load happen once per
process, before timing: they are start-up, not a cost that grows with the data. Prints compute
and validation seconds per stage (the median of three) and their ratio; the goal is at most 0.15
for every stage. Publishing has a fixed cost per commit, so measure on 10000 articles as well.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import corpus
from vnnews.tasks.checks import frames, validate
from vnnews.tasks.clean import clean, quality
from vnnews.tasks.clean.dedup import deduplicate
from vnnews.tasks.clean.rules import RulePack
from vnnews.tasks.extract import extract, keywords
from vnnews.tasks.extract.gazetteer import Gazetteer
from vnnews.tasks.ingest import ingest
from vnnews.tasks.lake import publish
from vnnews.tasks.nlp import tokenise
from vnnews.tasks.settings import load_settings, quiet_telemetry
from vnnews.tasks.tables import SIGNATURES, TERM_DF

GOAL = 0.15


def timed(fn):
    started = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - started


def stages(settings, pack, gaz, src: Path):
    """Each stage's function, in order: yields (stage, seconds, data its validation reads)."""
    files = ingest.discover([src])
    (raw, _), t = timed(lambda: ingest.ingest(files, pack.html, settings.max_doc_bytes))
    yield "ingest", t, {"raw": raw}

    def clean_stage():
        docs, _ = clean.clean(raw, pack)
        kept, _ = quality.filter_quality(docs, pack.quality)
        return deduplicate(kept, SIGNATURES.empty_table())

    (documents, _, signatures), t = timed(clean_stage)
    yield "clean", t, {"documents": documents}
    (sentences, tokens, _), t = timed(
        lambda: tokenise.tokenise_parallel(documents, settings.workers)
    )
    yield "tokenise", t, {"sentences": sentences, "tokens": tokens}

    def extract_stage():
        found, _ = extract.extract(documents, sentences, tokens, gaz)
        found["keywords"], found["term_df"] = keywords.keywords(
            tokens, TERM_DF.empty_table(), 0, gaz.stopwords
        )
        return found

    found, t = timed(extract_stage)
    yield "extract", t, {"documents": documents, **found}
    tables = {"documents": documents, "sentences": sentences, "tokens": tokens, **found}
    tables["signatures"] = signatures
    n = documents.num_rows
    run = {"run_id": "bench", "status": "published", "n_in": n, "n_published": n}
    publish.publish(settings, {"documents": documents.slice(0, 1)}, {**run, "run_id": "warm"})
    _, t = timed(lambda: publish.publish(settings, tables, run))
    ledger = {"n_in": n, "n_published": n, "n_rejected": 0, "n_accounted": n}
    yield "publish", t, {"ledger": ledger, **tables}


def main(n: int) -> int:
    quiet_telemetry()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name, text in corpus(n).items():
            (src / name).write_text(text, encoding="utf-8")
        settings = load_settings(data_dir=Path(tmp) / "data")
        pack = RulePack.load(settings.rules_dir / "boilerplate.toml")
        gaz = Gazetteer.load(settings.gazetteers_dir)
        params = validate.parameters(settings, pack)
        done = list(stages(settings, pack, gaz, src))
        for stage, _, data in done:  # each checkpoint's first run loads it: start-up, untimed
            frame = frames.frame(stage, data, pack)
            validate.validate(stage, frame.slice(0, 5), settings, params, "warm-up")
        print(f"{n} articles; validation = the stage's frame (checks/frames.py) + its checkpoint")
        print(f"{'stage':<10}{'compute s':>10}{'frame s':>9}{'GX s':>7}{'ratio':>7}")
        worst = 0.0
        for stage, compute, data in done:
            frame_times, gx_times = [], []
            for _ in range(3):  # the median of three: one GC pause is not the cost
                frame, t = timed(lambda stage=stage, data=data: frames.frame(stage, data, pack))
                frame_times.append(t)
                result, t = timed(
                    lambda stage=stage, frame=frame: validate.validate(
                        stage, frame, settings, params, "bench"
                    )
                )
                gx_times.append(t)
            t_frame, t_gx = statistics.median(frame_times), statistics.median(gx_times)
            ratio = (t_frame + t_gx) / compute
            worst = max(worst, ratio)
            verdict = "passed" if result.passed else result.describe()
            print(f"{stage:<10}{compute:>10.3f}{t_frame:>9.3f}{t_gx:>7.3f}{ratio:>7.3f}  {verdict}")
        print(f"worst ratio {worst:.3f} (goal <= {GOAL}): {'met' if worst <= GOAL else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
