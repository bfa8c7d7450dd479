"""A synthetic corpus for benchmarks and scale tests: distinct Vietnamese-looking articles.

Words are drawn from the hand-written fixtures, so bodies pass the quality filters while no two
articles share enough 3-word shingles to look like near duplicates.
"""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

from vnnews.tasks.text.orthography import TONES

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "expected.json"


def vocabulary() -> list[str]:
    docs = json.loads(FIXTURES.read_text(encoding="utf-8"))["documents"].values()
    return sorted({w.strip(".,") for d in docs for p in d["body"] for w in p.split()})


def article(rng: random.Random, n: int, words: list[str], paragraphs: int = 3) -> str:
    """Title line plus `paragraphs` paragraphs of 40 words each."""
    body = [" ".join(rng.choice(words) for _ in range(40)) + "." for _ in range(paragraphs)]
    return f"Bài báo số {n}\n" + "\n".join(body) + "\n"


def corpus(n: int, seed: int = 7) -> dict[str, str]:
    """{file name: article text} for n distinct articles."""
    rng, words = random.Random(seed), vocabulary()
    return {f"a{i:05}.txt": article(rng, i, words) for i in range(n)}


def cp1258(text: str) -> bytes:
    """Windows-1258 bytes: tone marks stay combining characters after the base letter."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tone = "".join(c for c in parts if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + tone)
    return "".join(out).encode("cp1258")


def light_edit(text: str) -> str:
    """One word of ~120 changed: a near duplicate."""
    words = text.split(" ")
    words[50] = "thêm"
    return " ".join(words)
