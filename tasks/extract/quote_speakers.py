"""Who speaks a quote: the person or organisation a speech verb names, next to the quote.

Vietnamese news attributes a quote in a few ways, all handled here:
- before it: 'Thứ trưởng Nguyễn Thị Liên Hương cho biết: “…”', 'Ông Chính yêu cầu các bộ, ngành
  “…”', 'Theo Cục Y tế dự phòng, “…”';
- after it: '“…”, bà Hương nhấn mạnh.', '“…”, chị Hoàng Thu Hà, phụ huynh ở Cầu Giấy, chia sẻ.'
The subject may be a bare pronoun or title ('“…”, ông nói.', 'Bộ trưởng cho biết: “…”'): then the
speaker is the person last named before the quote. An indefinite subject ('một hành khách',
'đại diện hãng') names nobody. People win over organisations in the same subject
('Ông Trần Thế Cương, Giám đốc Sở Giáo dục …, cho biết').
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import NamedTuple

VERBS = (
    "cho biết thêm|cho biết|cho hay|nói thêm|nói|khẳng định|nhấn mạnh|phát biểu|tuyên bố|cho rằng|"
    "chia sẻ|bày tỏ|kết luận|thông báo|thông tin|nhận định|nhận xét|đánh giá|thừa nhận|giải thích|"
    "lý giải|cảnh báo|khuyến cáo|khuyên|lưu ý|nhắc lại|nhắc|yêu cầu|đề nghị|đề xuất|kêu gọi|"
    "hứa|cam kết|trấn an|trả lời|đáp|hỏi|đặt câu hỏi|kể|tâm sự|bộc bạch|phân trần|than thở|"
    "bức xúc|xúc động|cười|khoe|nêu rõ|phản đối|mong muốn|viết"
)
# Verbs often followed by their object before the quote: 'yêu cầu các bộ, ngành “…”'.
WITH_OBJECT = "yêu cầu|đề nghị|kêu gọi|khuyên|hứa|cam kết|bày tỏ mong muốn|bày tỏ|lưu ý|nhắc"
VERB_BEFORE = re.compile(rf"(?<!\w)(?P<verb>{VERBS})(?:\s+rằng)?\s*:?\s*$")
OBJECT_BEFORE = re.compile(rf"(?<!\w)(?P<verb>{WITH_OBJECT})\s+[^.!?“”:]{{1,40}}$")
THEO_BEFORE = re.compile(r"(?<!\w)[Tt]heo\s+(?P<who>[^.!?“”]{1,100}?),\s*$")
VERB_AFTER = re.compile(
    rf"^\s*[,.]?\s*-?\s*(?P<who>[^.;:“”!?]{{1,110}}?)\s+(?P<verb>{VERBS})(?!\w)"
)
SENTENCE_END = re.compile(r"[.!?…](?=\s)|\n|”\s*\.")
NOBODY = ("một ", "nhiều ", "các ", "những ", "người ", "đại diện ", "ai ")
WINDOW = 300


class Speaker(NamedTuple):
    start: int
    end: int
    name: str
    type: str = "PER"


class Speakers:
    """A body's named people and organisations, sorted by start and found by binary search, so
    a body with many quotes and many names costs quotes x log(names), not their product."""

    def __init__(self, named: list[Speaker]):
        self.named = sorted(named)
        self.starts = [s.start for s in self.named]

    def between(self, lo: int, hi: int) -> list[Speaker]:
        """The names lying wholly inside body[lo:hi], in body order."""
        first, last = bisect_left(self.starts, lo), bisect_left(self.starts, hi)
        return [s for s in self.named[first:last] if s.end <= hi]

    def last_person_before(self, at: int) -> Speaker | None:
        for i in range(bisect_left(self.starts, at) - 1, -1, -1):
            if self.named[i].type == "PER" and self.named[i].end <= at:
                return self.named[i]
        return None


def attribute(
    body: str, start: int, end: int, speakers: Speakers, titles: re.Pattern | None
) -> tuple[str | None, str | None]:
    """(speaker, verb) of the quote body[start:end] (the quote marks included)."""
    before = body[max(0, start - WINDOW) : start]
    offset = start - len(before)
    for pattern in (VERB_BEFORE, OBJECT_BEFORE):
        if v := pattern.search(before):
            cut = [m.end() for m in SENTENCE_END.finditer(before, 0, v.start())]
            lo = offset + (cut[-1] if cut else 0)
            return _who(body, lo, offset + v.start(), start, speakers, titles), v["verb"]
    if t := THEO_BEFORE.search(before):
        lo, hi = offset + t.start("who"), offset + t.end("who")
        return _who(body, lo, hi, start, speakers, titles), "theo"
    if v := VERB_AFTER.match(body[end : end + 150]):
        lo, hi = end + v.start("who"), end + v.end("who")
        return _who(body, lo, hi, start, speakers, titles), v["verb"]
    return None, None


def _who(body, lo, hi, quote_at, speakers, titles) -> str | None:
    """The speaker named in body[lo:hi], the subject of the speech verb."""
    inside = speakers.between(lo, hi)
    for kind in ("PER", "ORG"):
        if named := [s for s in inside if s.type == kind]:
            return named[0].name
    subject = body[lo:hi].rsplit(",", 1)[-1].strip()
    if not subject or subject.lower().startswith(NOBODY):
        return None
    bare = titles.fullmatch(subject) if titles else None
    if bare or (len(subject.split()) <= 2 and subject[:1].islower()):
        earlier = speakers.last_person_before(quote_at)
        return earlier.name if earlier else None
    return None
