"""The entity span type and the small predicates the entity rules share."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.nlp import Word

TYPES = ("PER", "LOC", "ORG", "MISC")
NUMBER = re.compile(r"\d+(?:[-/.]\d+)*")


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


def overlaps(a: Entity, spans: list[Entity]) -> bool:
    return any(a.start < b.end and b.start < a.end for b in spans)


def inside(start: int, end: int, spans: list[Entity]) -> Entity | None:
    return next((s for s in spans if s.start <= start and end <= s.end), None)


def words_from(words: list[Word], offset: int) -> list[Word]:
    return [w for w in words if w.start is not None and w.start >= offset]


@dataclass(frozen=True)
class Bounds:
    """Where the segmenter put word edges: a rule match must start and end on them, so that
    the country 'Đức' is not found inside the district 'Đức Phổ' (one word)."""

    starts: frozenset[int]
    ends: frozenset[int]

    @classmethod
    def of(cls, words: list[Word]) -> Bounds:
        located = [w for w in words if w.start is not None]
        return cls(frozenset(w.start for w in located), frozenset(w.end for w in located))

    def aligned(self, start: int, end: int) -> bool:
        return start in self.starts and end in self.ends
