"""Named entities of one sentence: the underthesea CRF tags, repaired, plus gazetteer rules.

Rules win over the model where they overlap, because the model is weakest exactly where rules
are sure: fixed names (countries, ASEAN), "Bộ/Công ty/... + name" organisations, and the
capitalised name after a title ("Thủ tướng Nguyễn Xuân Phúc" -> PER "Nguyễn Xuân Phúc").
"""

from __future__ import annotations

from dataclasses import dataclass

from tasks.gazetteer import Gazetteer
from tasks.nlp import Word
from tasks.orthography import normalise_line

TYPES = ("PER", "LOC", "ORG", "MISC")


@dataclass(frozen=True)
class Entity:
    type: str
    start: int
    end: int
    method: str
    title: str | None = None  # "Thủ tướng" for "Thủ tướng Nguyễn Xuân Phúc"


def is_capitalised(text: str) -> bool:
    return text[:1].isupper() or text[:1].isdigit()


def is_name_like(text: str) -> bool:
    """Every syllable capitalised and alphabetic: 'Lê Thị Thu Hằng', not 'Ngoại giao'."""
    syllables = text.split(" ")
    return all(s[:1].isupper() and s.replace("-", "").isalpha() for s in syllables)


def _overlaps(a: Entity, spans: list[Entity]) -> bool:
    return any(a.start < b.end and b.start < a.end for b in spans)


def _inside(start: int, end: int, spans: list[Entity]) -> bool:
    return any(s.start <= start and end <= s.end for s in spans)


def gazetteer_spans(text: str, gaz: Gazetteer) -> list[Entity]:
    found = [Entity("ORG", m.start(), m.end(), "rule:gazetteer") for m in gaz.org.finditer(text)]
    for m in gaz.loc.finditer(text):
        span = Entity("LOC", m.start(), m.end(), "rule:gazetteer")
        if not _overlaps(span, found):
            found.append(span)
    return found


def _words_from(words: list[Word], offset: int) -> list[Word]:
    return [w for w in words if w.start is not None and w.start >= offset]


def org_prefix_spans(text: str, words: list[Word], known: list[Entity], gaz: Gazetteer):
    """'Bộ' + 'Ngoại giao' -> ORG; stops at a person-like name that no gazetteer knows."""
    ends = {w.end for w in words}
    spans = []
    for m in gaz.org_prefixes.finditer(text):
        if m.end() not in ends:  # the prefix is part of a longer word: "Bộ trưởng"
            continue
        end = None
        for w in _words_from(words, m.end()):
            known_name = _inside(w.start, w.end, known)
            if w.pos == "CH" or not is_capitalised(w.text):
                break
            if is_name_like(w.text) and not known_name and end is not None:
                break
            if is_name_like(w.text) and not known_name and len(w.text.split(" ")) > 1:
                break
            end = w.end
        if end is not None:
            spans.append(Entity("ORG", m.start(), end, "rule:org_prefix"))
    return spans


def title_person_spans(text: str, words: list[Word], known: list[Entity], gaz: Gazetteer):
    """The name-like words right after a title (skipping an ORG/LOC it belongs to) are a PER."""
    spans = []
    starts = {w.start for w in words}
    for m in gaz.titles.finditer(text):
        if m.start() not in starts:
            continue
        start = end = None
        title = " ".join(m.group(0).split())
        for w in _words_from(words, m.end()):
            if end is None and _inside(w.start, w.end, known):
                continue  # "Thủ tướng [Quốc vụ viện Trung Quốc] Lý Khắc Cường"
            if w.pos == "CH" or not is_name_like(w.text) or _inside(w.start, w.end, known):
                break
            start = w.start if start is None else start
            end = w.end
        if start is not None:
            spans.append(Entity("PER", start, end, "rule:title", title))
    return spans


def model_spans(text: str, words: list[Word], gaz: Gazetteer) -> list[Entity]:
    """BIO tags -> spans: no I- without B-, a type switch opens a new span, edges trimmed."""
    groups: list[tuple[str, list[Word]]] = []
    for w in words:
        tag = w.ner or "O"
        if w.start is None or tag == "O":
            groups.append(("O", []))
            continue
        kind = tag[2:]
        if tag.startswith("B-") or not groups or groups[-1][0] != kind:
            groups.append((kind, [w]))
        else:
            groups[-1][1].append(w)
    spans = []
    for kind, group in groups:
        while group and (group[0].pos == "CH" or not is_capitalised(group[0].text)):
            group = group[1:]
        while group and (group[-1].pos == "CH" or not is_capitalised(group[-1].text)):
            group = group[:-1]
        if kind in TYPES and group:
            span = _without_title(text, Entity(kind, group[0].start, group[-1].end, "model"), gaz)
            surface = text[span.start : span.end] if span else ""
            # "14/5" or "2025" tagged as an entity is a date or number, never a name.
            if span and any(c.isalpha() for c in surface) and surface not in gaz.not_entities:
                spans.append(span)
    return spans


def _without_title(text: str, span: Entity, gaz: Gazetteer) -> Entity | None:
    """A person span the model started with a title ("Thủ tướng X") loses the title."""
    m = gaz.titles.match(text, span.start, span.end)
    if span.type != "PER" or not m:
        return span
    rest = len(text[m.end() : span.end]) - len(text[m.end() : span.end].lstrip())
    start = m.end() + rest
    if start >= span.end:
        return None
    return Entity(span.type, start, span.end, span.method, " ".join(m.group(0).split()))


def normalise(text: str) -> str:
    """The entity's canonical form: normalised like article text, spaces collapsed."""
    return normalise_line(text)


def find_entities(text: str, words: list[Word], gaz: Gazetteer) -> list[Entity]:
    """Non-overlapping entity spans of one sentence, sorted by start."""
    known = gazetteer_spans(text, gaz)
    orgs = org_prefix_spans(text, words, known, gaz)
    known = orgs + [s for s in known if not _overlaps(s, orgs)]
    people = title_person_spans(text, words, known, gaz)
    chosen = people + [s for s in known if not _overlaps(s, people)]
    chosen += [s for s in model_spans(text, words, gaz) if not _overlaps(s, chosen)]
    return sorted(chosen, key=lambda e: e.start)
