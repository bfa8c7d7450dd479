"""Quotes: text inside “…” (it may run over several paragraphs), with the speaker when a speech
verb names one (tasks/extract/quote_speakers.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from vnnews.tasks.extract.quote_speakers import Speaker, Speakers, attribute

QUOTE = re.compile(r"“(?P<text>[^“”]+)”")


@dataclass(frozen=True)
class Quote:
    start: int
    end: int
    text: str
    speaker: str | None
    verb: str | None


def find_quotes(body: str, speakers: list[tuple], titles: re.Pattern | None = None) -> list[Quote]:
    """Quotes of a body. `speakers` are (start, end, name[, type]) of its PER and ORG entities
    (type PER when left out); `titles` (the gazetteer's) tells a bare title as the subject."""
    named = Speakers([Speaker(*s) for s in speakers if s[0] is not None])
    quotes = []
    for m in QUOTE.finditer(body):
        inner = m.group("text")
        lead = len(inner) - len(inner.lstrip())
        text = inner.strip()
        start = m.start("text") + lead
        speaker, verb = attribute(body, m.start(), m.end(), named, titles)
        quotes.append(Quote(start, start + len(text), text, speaker, verb))
    return quotes
