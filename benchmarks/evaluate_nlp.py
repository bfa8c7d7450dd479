"""Quality of the NLP stages against gold data.

    .venv/bin/python -m benchmarks.evaluate_nlp --ud ../shared/eval/ud_vtb/vi_vtb-ud-dev.conllu
    .venv/bin/python -m benchmarks.evaluate_nlp --ner PATH [--ner-format conll|jsonl|muc]
        [--limit N] [--by-folder]

--ud: word segmentation precision/recall/F1 (words matched by their character span, spaces
ignored) and POS accuracy on matched words, after mapping the UD file's tag names onto the VLSP
tags underthesea emits (PUNCT->CH, PRE->E, NNP->Np, ...). Text is the detokenised `# text`.
--ner: entity precision/recall/F1 per type and micro, for raw `underthesea.ner()` (its BIO tags
decoded as they are) and for ours (the same CRF tags, repaired, plus vnnews rules and
gazetteers). CoNLL: one token per line, first column the word (syllables joined by space or _),
last column the BIO tag, blank line between sentences; JSONL; or a directory of VLSP 2018 .muc
files (see benchmarks/ner_data.py). Each unit is split into sentences as the pipeline does.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import underthesea

from benchmarks.ner_data import bio_spans, read_ner
from vnnews.tasks.extract.entities import find_entities
from vnnews.tasks.extract.gazetteer import Gazetteer
from vnnews.tasks.nlp import adapter
from vnnews.tasks.nlp.conllu import read_conllu

ROOT = Path(__file__).resolve().parents[1]

UD_TO_VLSP = {
    "PUNCT": "CH",
    "PRE": "E",
    "Pre": "E",
    "NNP": "Np",
    "NNPY": "Np",
    "ADV": "R",
    "Adv": "R",
    "ADJ": "A",
    "Adj": "A",
    "PRO": "P",
    "Pro": "P",
    "NUM": "M",
    "Num": "M",
    "NUMX": "M",
    "DET": "L",
    "Det": "L",
    "AUX": "V",
    "VERB": "V",
    "NU": "Nu",
    "NY": "Ny",
    "NB": "Nb",
    "PRT": "T",
    "SC": "C",
    "SYM": "CH",
}


def spans(words: list[str]) -> set[tuple[int, int]]:
    out, at = set(), 0
    for w in words:
        n = len(w.replace(" ", "").replace("_", ""))
        out.add((at, at + n))
        at += n
    return out


def prf(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate_ud(path: Path, limit: int) -> None:
    tp = predicted = gold = pos_ok = 0
    for sent in read_conllu(path)[:limit]:
        words = adapter.analyse(sent.detokenised)
        mine = dict(
            zip(sorted(spans([w.text for w in words])), [w.pos for w in words], strict=True)
        )
        ref = dict(zip(sorted(spans(sent.words)), sent.tags, strict=True))
        matched = mine.keys() & ref.keys()
        tp, predicted, gold = tp + len(matched), predicted + len(mine), gold + len(ref)
        pos_ok += sum(mine[k] == UD_TO_VLSP.get(ref[k], ref[k]) for k in matched)
    p, r, f = prf(tp, predicted, gold)
    print(f"word segmentation: P {p:.3f}  R {r:.3f}  F1 {f:.3f}  ({gold} gold words)")
    print(f"POS accuracy on matched words: {pos_ok / tp:.3f}")


def systems_on(text: str, gaz: Gazetteer) -> dict[str, set]:
    """Both systems on one unit, sentence by sentence as the pipeline does, in unit offsets."""
    found = {"underthesea": set(), "vnnews": set()}
    for sent in adapter.sentences(text):
        if sent.start < 0:  # a sentence the splitter rewrote: no offsets to compare
            continue
        piece = text[sent.start : sent.end]
        raw_tags = [t[3] for t in underthesea.ner(piece)]
        located = adapter.analyse(piece)
        offsets = [(w.start, w.end) for w in located]
        raw = {s for s in bio_spans(offsets, raw_tags) if None not in s}
        ours = {(e.type, e.start, e.end) for e in find_entities(piece, located, gaz)}
        found["underthesea"] |= {(k, a + sent.start, b + sent.start) for k, a, b in raw}
        found["vnnews"] |= {(k, a + sent.start, b + sent.start) for k, a, b in ours}
    return found


def evaluate_ner(path: Path, fmt: str, limit: int, by_folder: bool = False) -> None:
    gaz = Gazetteer.load(ROOT / "seeds" / "gazetteers")
    counts = {name: Counter() for name in ("underthesea", "vnnews")}
    folders: dict[str, dict[str, Counter]] = {}
    units = read_ner(path, fmt, with_folder=True)
    units = units[:: max(1, len(units) // limit)][:limit]  # spread over every file and topic
    for folder, text, gold in units:
        for name, found in systems_on(text, gaz).items():
            per_folder = folders.setdefault(folder, {n: Counter() for n in counts})[name]
            for kind in {k for k, _, _ in gold | found} | {"ALL"}:
                g = {x for x in gold if kind in ("ALL", x[0])}
                f = {x for x in found if kind in ("ALL", x[0])}
                for tally in (counts[name], per_folder):
                    tally[(kind, "tp")] += len(g & f)
                    tally[(kind, "pred")] += len(f)
                    tally[(kind, "gold")] += len(g)
    print(f"{len(units)} units from {path}")
    kinds = sorted({k for c in counts.values() for k, _ in c})
    print(f"{'type':<6}" + "".join(f"{n + ' P/R/F1':>28}" for n in counts))
    for kind in kinds:
        cells = []
        for c in counts.values():
            p, r, f = prf(c[(kind, "tp")], c[(kind, "pred")], c[(kind, "gold")])
            cells.append(f"{p:>10.3f}{r:>8.3f}{f:>8.3f}  ")
        print(f"{kind:<6}" + "".join(f"{x:>28}" for x in cells))
    if by_folder:
        # One row per folder (VLSP 2018: one per news section): F1 of both systems.
        header = "".join(f"{k + ' F1 (raw / ours)':>26}" for k in ("ALL", "PER"))
        print(f"\n{'folder':<14}{header}")
        for folder, tallies in sorted(folders.items()):
            cells = []
            for kind in ("ALL", "PER"):
                f1 = [prf(c[(kind, "tp")], c[(kind, "pred")], c[(kind, "gold")])[2]
                      for c in tallies.values()]  # fmt: skip
                cells.append(f"{f1[0]:>12.3f} / {f1[1]:.3f}")
            print(f"{folder[:14]:<14}" + "".join(f"{x:>26}" for x in cells))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ud", type=Path)
    parser.add_argument("--ner", type=Path)
    parser.add_argument("--ner-format", choices=["conll", "jsonl", "muc"], default="conll")
    parser.add_argument("--limit", type=int, default=10**9)
    parser.add_argument(
        "--by-folder", action="store_true", help="also F1 per folder (VLSP 2018: per section)"
    )
    args = parser.parse_args()
    if not args.ud and not args.ner:
        parser.error("give --ud and/or --ner")
    if args.ud:
        evaluate_ud(args.ud, args.limit)
    if args.ner:
        evaluate_ner(args.ner, args.ner_format, args.limit, args.by_folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
