"""The entity span type and the small predicates the entity rules share."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

from vnnews.tasks.nlp.adapter import Word

TYPES = ("PER", "LOC", "ORG", "MISC")
NUMBER = re.compile(r"\d+(?:[-/.]\d+)*")
# A rule reads at most this many words after its opener: no name is longer, and a rule that
# matches often in a long sentence must not re-read the rest of it each time.
MAX_NAME_WORDS = 40


@dataclass(frozen=True)
class Entity:
    type: str
    start: int
    end: int
    method: str
    # The generic word kept out of the name: "Thủ tướng" for a person, "tỉnh" for a place.
    title: str | None = None


def is_capitalised(text: str) -> bool:
    return text[:1].isupper() or text[:1].isdigit()


def is_name_like(text: str) -> bool:
    """Every syllable capitalised and alphabetic: 'Lê Thị Thu Hằng', not 'Ngoại giao'."""
    syllables = text.split(" ")
    return all(s[:1].isupper() and s.replace("-", "").isalpha() for s in syllables)


def is_person_name(text: str, surnames: frozenset[str]) -> bool:
    """Two to four capitalised syllables opening with a family name: 'Phạm Trung Kiên'."""
    syllables = text.split(" ")
    return 2 <= len(syllables) <= 4 and is_name_like(text) and syllables[0] in surnames


class Spans:
    """Entity spans indexed by start: whether a span overlaps or lies inside one of them is a
    binary search, not a scan of every span."""

    def __init__(self, spans: Iterable[Entity]):
        self.spans = list(spans)
        ordered = sorted(self.spans, key=lambda s: s.start)
        self.starts = [s.start for s in ordered]
        # The furthest end of the spans that start at or before each one.
        self.reach = list(accumulate((s.end for s in ordered), max))

    def overlaps(self, a: Entity) -> bool:
        before = bisect_left(self.starts, a.end)  # the spans that start before `a` ends
        return before > 0 and self.reach[before - 1] > a.start

    def inside(self, start: int, end: int) -> Entity | None:
        """The first span (in the order given) that holds [start, end), if any."""
        before = bisect_right(self.starts, start)
        if before == 0 or self.reach[before - 1] < end:
            return None  # the usual answer, found without a scan
        return next((s for s in self.spans if s.start <= start and end <= s.end), None)


@dataclass(frozen=True)
class Bounds:
    """Where the segmenter put word edges: a rule match must start and end on them, so that
    the country 'Đức' is not found inside the district 'Đức Phổ' (one word)."""

    starts: frozenset[int]
    ends: frozenset[int]
    words: tuple[Word, ...] = ()  # the words that have offsets, in order
    word_starts: tuple[int, ...] = ()

    @classmethod
    def of(cls, words: list[Word]) -> Bounds:
        located = tuple(w for w in words if w.start is not None)
        starts = tuple(w.start for w in located)
        return cls(frozenset(starts), frozenset(w.end for w in located), located, starts)

    def aligned(self, start: int, end: int) -> bool:
        return start in self.starts and end in self.ends

    def after(self, offset: int, limit: int = MAX_NAME_WORDS) -> tuple[Word, ...]:
        """The words that start at or after `offset`, at most `limit` of them."""
        first = bisect_left(self.word_starts, offset)
        return self.words[first : first + limit]
