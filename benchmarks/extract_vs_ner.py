"""`vnnews extract` against plain `underthesea.ner()`, start-up included, on news sentences.

    .venv/bin/python -m benchmarks.extract_vs_ner [N_SENTENCES]

The sentences are UD Vietnamese-VTB dev then train, detokenised (../shared/eval), each once: up
to 2,523 (else the seeds' lines). No sentence repeats, since `vnnews extract` analyses a text it
has seen before only once.
Each side is a fresh process, timed from its start to its last output, so imports, model loading
and worker start-up count: `vnnews extract` with 1 and with 2 workers, and a Python loop calling
`underthesea.ner(sentence)` on one core. Printed: seconds, and the speed-up of each against the
loop (goal >= 8 with 2 workers).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.ner_speed import UD_DEV, sentences
from vnnews.tasks.nlp.conllu import read_conllu

BIN = Path(sys.executable).parent
PLAIN = """
import json, sys, underthesea
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for text in texts:
        out.write(json.dumps(underthesea.ner(text), ensure_ascii=False) + "\\n")
"""


def timed(command: list) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ})
    if done.returncode != 0:
        raise SystemExit(f"{command[:3]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return time.perf_counter() - started


def news_sentences(n: int) -> list[str]:
    found = sentences(n)
    train = UD_DEV.with_name("vi_vtb-ud-train.conllu")
    if train.exists():
        found += [g.detokenised for g in read_conllu(train)]
    return list(dict.fromkeys(found))[:n]


def main(limit: int) -> int:
    texts = news_sentences(limit)
    with tempfile.TemporaryDirectory() as tmp:
        given = Path(tmp) / "sentences.jsonl"
        with given.open("w", encoding="utf-8") as out:
            for i, text in enumerate(texts):
                out.write(json.dumps({"id": str(i), "text": text}, ensure_ascii=False) + "\n")
        print(f"{len(texts):,} sentences; {os.cpu_count()} cores")
        plain = timed([sys.executable, "-c", PLAIN, str(given), str(Path(tmp) / "plain.jsonl")])
        print(f"plain underthesea.ner(), 1 core: {plain:6.1f} s")
        for workers in (1, 2):
            written = Path(tmp) / f"ours{workers}.jsonl"
            ours = timed([BIN / "vnnews", "extract", "-i", str(given), "-o", str(written),
                          "--workers", str(workers)])  # fmt: skip
            goal = "   (goal >= 8)" if workers == 2 else ""
            print(f"vnnews extract, {workers} worker{'s' if workers > 1 else ''}: {ours:6.1f} s,"
                  f" {plain / ours:.1f}x plain{goal}")  # fmt: skip
    return 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    raise SystemExit(main(int(args[0]) if args else 100_000))
