"""What one document may cost the NLP stages, so that a runaway article becomes a reject
(`too_complex`), not a stuck run.

Sentences are cut to a bounded length before tagging (nlp/adapter.py), so the work per document
grows linearly with its length; the character cap keeps that work bounded, and the clock,
checked between sentences, is the last resort against anything slower than expected.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

DEFAULT_MAX_CHARS = 2_000_000
DEFAULT_SECONDS = 120.0


class TooComplex(Exception):
    """A document went over its budget; the message says which limit and how far it got."""


@dataclass(frozen=True)
class Budget:
    max_chars: int = DEFAULT_MAX_CHARS  # settings.max_doc_chars
    seconds: float = DEFAULT_SECONDS  # settings.max_doc_seconds, per stage

    def start(self, stage: str, body: str) -> Clock:
        """The clock of one document's work in a stage; TooComplex if it is too long to
        start at all."""
        if len(body) > self.max_chars:
            raise TooComplex(
                f"{len(body):,} characters > max_doc_chars={self.max_chars:,}: too long to {stage}"
            )
        return Clock(stage, time.monotonic() + self.seconds, self.seconds)


@dataclass(frozen=True)
class Clock:
    stage: str
    deadline: float
    seconds: float

    def check(self, done: int, total: int) -> None:
        """Between two pieces of work (sentences): TooComplex once the time is up."""
        if time.monotonic() > self.deadline:
            raise TooComplex(
                f"{self.stage} took over max_doc_seconds={self.seconds:g} s "
                f"(stopped after sentence {done} of {total})"
            )
