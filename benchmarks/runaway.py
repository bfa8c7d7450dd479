"""Work per KB of an article that is one paragraph with no sentence punctuation: does it stay
linear as the article grows?

    .venv/bin/python -m benchmarks.runaway [KB ...]      (default: 40 160 640 1536)

Each size is one document through every stage's per-document work, in this process: clean
(rules, quality, MinHash), tokenise, extract, keywords, and the frames the checks judge. Prints
seconds, seconds per KB and that rate as a ratio to the smallest size's (1.0 is linear), and the
peak memory of this process. Words come from the hand-written fixtures.
"""

from __future__ import annotations

import random
import re
import resource
import sys
import time

import pyarrow as pa

from benchmarks.corpus import vocabulary
from vnnews.tasks.budget import Budget
from vnnews.tasks.checks import frames
from vnnews.tasks.clean import quality
from vnnews.tasks.clean.clean import clean
from vnnews.tasks.clean.dedup import deduplicate
from vnnews.tasks.clean.rules import RulePack
from vnnews.tasks.extract import keywords
from vnnews.tasks.extract.extract import extract
from vnnews.tasks.extract.gazetteer import Gazetteer
from vnnews.tasks.nlp.tokenise import tokenise
from vnnews.tasks.settings import load_settings
from vnnews.tasks.tables import RAW_DOCUMENTS, SIGNATURES, TERM_DF


def paragraph(kb: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    words = [w for w in vocabulary() if re.fullmatch(r"\w+", w)]
    out, size = [], 0
    while size < kb * 1024:
        out.append(rng.choice(words))
        size += len(out[-1].encode()) + 1
    return " ".join(out)


def one_document(kb: int, pack: RulePack, gaz: Gazetteer) -> dict[str, float]:
    raw = pa.Table.from_pylist(
        [{"doc_id": "x", "source_uri": "file:///x.txt", "title": "T", "raw_text": paragraph(kb)}],
        schema=RAW_DOCUMENTS,
    )
    unlimited = Budget(max_chars=10**9, seconds=10**9)
    seconds = {}
    started = time.perf_counter()
    documents, _ = clean(raw, pack)
    documents, _ = quality.filter_quality(documents, pack.quality)
    documents, _, _ = deduplicate(documents, SIGNATURES.empty_table())
    seconds["clean"] = time.perf_counter() - started
    started = time.perf_counter()
    sentences, tokens, _ = tokenise(documents, unlimited)
    seconds["tokenise"] = time.perf_counter() - started
    started = time.perf_counter()
    found, _ = extract(documents, sentences, tokens, gaz, unlimited)
    keywords.keywords(tokens, TERM_DF.empty_table(), 0, gaz.stopwords)
    seconds["extract"] = time.perf_counter() - started
    started = time.perf_counter()
    frames.frame("tokenise", {"sentences": sentences, "tokens": tokens}, pack)
    frames.frame("extract", {"documents": documents, **found}, pack)
    seconds["checks"] = time.perf_counter() - started
    seconds["all"] = sum(seconds.values())
    return seconds


def main(sizes: list[int]) -> None:
    settings = load_settings()
    pack = RulePack.load(settings.rules_dir / "boilerplate.toml")
    gaz = Gazetteer.load(settings.gazetteers_dir)
    one_document(4, pack, gaz)  # models loaded, caches warm
    print("KB      clean  tokenise  extract  checks   total s   s/KB    rate vs smallest  peak RSS")
    base = None
    for kb in sizes:
        s = one_document(kb, pack, gaz)
        rate = s["all"] / kb
        base = base or rate
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{kb:<6} {s['clean']:6.2f} {s['tokenise']:9.2f} {s['extract']:8.2f} "
            f"{s['checks']:7.2f} {s['all']:9.2f} {rate:7.4f} {rate / base:12.2f}x "
            f"{peak:10.0f} MB",
            flush=True,
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [40, 160, 640, 1536])
