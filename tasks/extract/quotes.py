"""Quotes: text inside “…” (it may run over several paragraphs), with the speaker when a speech
verb names one: 'Người Phát ngôn Lê Thị Thu Hằng cho biết: “…”' or '“…”, ông X nói.'"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

VERBS = (
    "cho biết|nói|khẳng định|nhấn mạnh|phát biểu|tuyên bố|cho rằng|chia sẻ|bày tỏ|kết luận|"
    "thông báo|nhận định|đánh giá|thừa nhận|giải thích|cảnh báo|yêu cầu|đề nghị"
)
QUOTE = re.compile(r"“(?P<text>[^“”]+)”")
VERB_BEFORE = re.compile(rf"(?P<verb>{VERBS})\s*:?\s*$")
VERB_AFTER = re.compile(rf"^[,.]?\s*(?P<who>[^,.;:“”]{{0,60}}?)\s*(?P<verb>{VERBS})(?!\w)")
WINDOW = 300


@dataclass(frozen=True)
class Quote:
    start: int
    end: int
    text: str
    speaker: str | None
    verb: str | None


def _named(people: list[tuple[int, int, str]], starts: list[int], lo: int, hi: int) -> list:
    """The people whose mention lies between lo and hi, found by binary search on their starts."""
    return [p for p in people[bisect_left(starts, lo) : bisect_left(starts, hi)] if p[1] <= hi]


def find_quotes(body: str, people: list[tuple[int, int, str]]) -> list[Quote]:
    """Quotes of a body; `people` are (start, end, name) of its PER entities."""
    people = sorted(p for p in people if p[0] is not None)
    starts = [p[0] for p in people]
    quotes = []
    for m in QUOTE.finditer(body):
        inner = m.group("text")
        lead = len(inner) - len(inner.lstrip())
        text = inner.strip()
        start = m.start("text") + lead
        speaker = verb = None
        before = body[max(0, m.start() - WINDOW) : m.start()]
        if v := VERB_BEFORE.search(before):
            verb_at = m.start() - len(before) + v.start()
            named = _named(people, starts, verb_at - WINDOW, verb_at)
            speaker, verb = (named[-1][2] if named else None), v["verb"]
        elif v := VERB_AFTER.match(body[m.end() : m.end() + 100]):
            lo, hi = m.end(), m.end() + v.end("who")
            named = _named(people, starts, lo, hi)
            speaker, verb = (named[0][2] if named else None), v["verb"]
        quotes.append(Quote(start, start + len(text), text, speaker, verb))
    return quotes
