"""Organisation spans: from an opener ("Bộ", "Công ty", "UBND", "U23") over the name.

The name runs over capitalised words, the places and organisations it contains ("UBND tỉnh
Quảng Trị", "Ban Thường vụ Thành ủy Đà Nẵng"), joiners inside abbreviations ("Bộ GD-ĐT"), and
short lowercase bridges that lead to more of the name ("Bộ Tài nguyên và Môi trường",
"Công ty Dịch vụ viễn thông Vinaphone"). It stops before a person ("Bộ Y tế Đào Hồng Lan") and
before a second organisation joined by "và".
"""

from __future__ import annotations

from vnnews.tasks.extract.entity_spans import (
    Bounds,
    Entity,
    Spans,
    is_capitalised,
    is_person_name,
)
from vnnews.tasks.extract.gazetteer import Gazetteer
from vnnews.tasks.nlp.adapter import Word

BRIDGE_POS = frozenset({"N", "Nc", "A", "C"})
MAX_BRIDGE = 2


def _joins(words: list[Word], i: int, text: str) -> bool:
    """'-' or '&' inside one name: 'Bộ GD-ĐT', 'Bộ Lao động - Thương binh', 'Sở TT&TT'."""
    w, nxt = words[i], words[i + 1] if i + 1 < len(words) else None
    if w.text not in ("-", "&", "–") or nxt is None or not is_capitalised(nxt.text):
        return False
    return w.text != "&" or text[w.end : w.end + 1] != " " or nxt.text.isupper()


def _enumerates(words: list[Word], i: int) -> bool:
    """A comma inside one name: 'Bộ Văn hóa, Thể thao và Du lịch' (a 'và' closes the list)."""
    ahead = words[i + 1 : i + 5]
    return bool(ahead) and is_capitalised(ahead[0].text) and any(w.text == "và" for w in ahead)


def org_prefix_spans(
    text: str, words: list[Word], known: list[Entity], gaz: Gazetteer, bounds: Bounds
):
    """'Bộ' + 'Ngoại giao' -> ORG; stops before a person's name ('Bộ Y tế Đào Hồng Lan')."""
    openers = {m.start() for m in gaz.org_prefixes.finditer(text)}
    taken = Spans(known)
    spans = []
    for m in gaz.org_prefixes.finditer(text):
        if not bounds.aligned(m.start(), m.end()):  # part of a longer word: "Bộ trưởng"
            continue
        following = bounds.after(m.end())
        end, bridge = None, 0
        for i, w in enumerate(following):
            if end is not None and w.start < end:
                continue  # inside a place or organisation already taken in
            span = taken.inside(w.start, w.end)
            if span is not None and span.type in ("LOC", "ORG") and not bridge:
                end = span.end
                continue
            if span is not None or (w.start in openers and bridge):
                break  # "Bộ Y tế và [Bộ Công an]"; without a bridge: "Ban Thường vụ Thành ủy"
            if end is not None and (
                _joins(following, i, text) or (w.text == "," and _enumerates(following, i))
            ):
                bridge += 1
            elif w.pos == "CH":
                break
            elif is_capitalised(w.text) and (not bridge or w.text[:1].isupper()):
                if end is not None and is_person_name(w.text, gaz.surnames):
                    break
                end, bridge = w.end, 0
            elif w.pos in BRIDGE_POS and bridge < MAX_BRIDGE and not is_capitalised(w.text):
                bridge += 1
            else:
                break
        if end is not None:
            spans.append(Entity("ORG", m.start(), end, "rule:org_prefix"))
    return spans
