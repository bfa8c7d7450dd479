"""Keyword candidates: the noun phrases of a document, as people would write them.

underthesea's chunker marks every noun as its own NP, so phrases come from the POS tags: a run
of nouns ("giá cà phê", "Bộ Giáo dục và Đào tạo", "sầu riêng Việt Nam"), without the classifiers,
units and function words at its edges. A phrase is counted under its lowercase key and shown in
the case it is most often written in ("Trung Quốc", not "trung quốc"); a capital that only
starts a sentence counts for less than one inside it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa

NOUNS = {"N", "Np", "Ny", "Nb"}
# Nouns that only count or measure ("chiếc", "kg", "đồng") never start or end a phrase.
EDGE_NOUNS = {"Nc", "Nu"}
MAX_WORDS = 4
SENTENCE_START_WEIGHT = 0.4


@dataclass
class Phrases:
    """One document's candidate phrases: counts by key, written forms by key, proper or not."""

    counts: Counter = field(default_factory=Counter)
    forms: dict[str, Counter] = field(default_factory=dict)
    proper: set[str] = field(default_factory=set)  # holds a proper noun
    single: set[str] = field(default_factory=set)  # one common noun ("giá", "khu vực")

    def add(self, words: list[tuple[str, str]], starts_sentence: bool, stopwords) -> None:
        """A run of nouns: split at function words and at words without letters ("85", "%")."""
        part: list[tuple[str, str]] = []
        for i, (word, pos) in enumerate(words):
            if word.lower() in stopwords or not any(c.isalpha() for c in word):
                self._phrase(part, starts_sentence and i == len(part))
                part = []
            else:
                part.append((word, pos))
        self._phrase(part, starts_sentence and len(part) == len(words))

    def _phrase(self, words: list[tuple[str, str]], starts_sentence: bool) -> None:
        while words and words[0][1] in EDGE_NOUNS:
            words, starts_sentence = words[1:], False
        while words and words[-1][1] in EDGE_NOUNS:
            words = words[:-1]
        if not words or len(words) > MAX_WORDS:
            return
        text = " ".join(w for w, _ in words)
        key = text.lower()
        self.counts[key] += 1
        proper = any(pos == "Np" for _, pos in words)
        if starts_sentence and not proper:
            text = text[0].lower() + text[1:]  # the sentence's capital, not the phrase's
        weight = SENTENCE_START_WEIGHT if starts_sentence else 1.0
        self.forms.setdefault(key, Counter())[text] += weight
        if proper:
            self.proper.add(key)
        elif len(words) == 1:
            self.single.add(key)

    def written(self, key: str) -> str:
        return max(self.forms[key].items(), key=lambda item: item[1])[0]


def phrases(tokens: pa.Table, stopwords: frozenset[str]) -> dict[str, Phrases]:
    """doc_id -> its noun phrases."""
    out: dict[str, Phrases] = {}
    columns = (tokens[c].to_pylist() for c in ("doc_id", "sent_idx", "tok_idx", "word", "pos"))
    run: list[tuple[str, str]] = []
    run_starts = False
    last = None
    for doc_id, sent_idx, tok_idx, word, pos in zip(*columns, strict=True):
        if (doc_id, sent_idx) != last and run:
            out.setdefault(last[0], Phrases()).add(run, run_starts, stopwords)
            run = []
        last = (doc_id, sent_idx)
        if pos in NOUNS or pos in EDGE_NOUNS:
            if not run:
                run_starts = tok_idx == 0
            run.append((word, pos))
            continue
        if run:
            out.setdefault(doc_id, Phrases()).add(run, run_starts, stopwords)
            run = []
    if run and last:
        out.setdefault(last[0], Phrases()).add(run, run_starts, stopwords)
    return out
