"""Named entities of one sentence: the underthesea CRF tags, repaired, plus gazetteer rules.

Rules win over the model where they overlap, because the model is weakest exactly where rules
are sure: fixed names (countries, ASEAN), "Bộ/Công ty/... + name" organisations, "tỉnh/sông/...
+ name" places, and the capitalised name after a title ("Thủ tướng Nguyễn Xuân Phúc" -> PER
"Nguyễn Xuân Phúc"). The model's spans are then repaired: BIO, edges, a person's name it typed
as a place, an initial's full stop.
"""

from __future__ import annotations

import re

from vnnews.tasks.extract.entity_rules import (
    gazetteer_spans,
    misc_spans,
    place_spans,
    title_person_spans,
)
from vnnews.tasks.extract.entity_spans import (
    TYPES,
    Bounds,
    Entity,
    Spans,
    is_capitalised,
    is_person_name,
)
from vnnews.tasks.extract.gazetteer import Gazetteer
from vnnews.tasks.extract.org_rule import org_prefix_spans
from vnnews.tasks.nlp.adapter import Word
from vnnews.tasks.text.orthography import normalise_line

__all__ = ["Entity", "bare_name", "find_entities", "model_spans", "normalise"]

INITIAL = re.compile(r"[A-ZĐ][a-zđ]{0,2}")  # "Th" of "Th." in "Ôi Th. ơi!"
ABBREVIATION = re.compile(r"[A-ZĐ0-9&]{2,}|[A-Z][a-z]+[A-Z]\w*")  # SLNA, OceanBank
# "quý III", "thế kỷ XX": a well-formed numeral up to 399 is an ordinal, never a name ("VIC",
# "CIC" are not numerals and stay: tickers).
ROMAN = re.compile(r"(?=[IVXLC])C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
LATIN_CODE = re.compile(r"[A-Z][A-Z0-9&]{1,5}")  # MB, HPG, HOSE: tickers, exchanges, bodies


def _prefer(first: list[Entity], then: list[Entity]) -> list[Entity]:
    taken = Spans(first)
    return first + [s for s in then if not taken.overlaps(s)]


def find_entities(text: str, words: list[Word], gaz: Gazetteer) -> list[Entity]:
    """Non-overlapping entity spans of one sentence, sorted by start."""
    bounds = Bounds.of(words)
    known = gazetteer_spans(text, words, gaz, bounds)
    known = _prefer(place_spans(text, words, gaz, bounds, known), known)
    known = _prefer(misc_spans(text, words, gaz, bounds), known)
    known = _prefer(org_prefix_spans(text, words, known, gaz, bounds), known)
    chosen = _prefer(title_person_spans(text, words, known, gaz, bounds), known)
    chosen = _prefer(chosen, model_spans(text, words, gaz))
    return sorted((_with_initial_stop(text, e) for e in chosen), key=lambda e: e.start)


def _with_initial_stop(text: str, span: Entity) -> Entity:
    """A person written as an initial keeps its full stop: 'Th.', as the gold data writes it."""
    surface = text[span.start : span.end]
    if span.type == "PER" and INITIAL.fullmatch(surface) and text[span.end : span.end + 1] == ".":
        return Entity(span.type, span.start, span.end + 1, span.method, span.title)
    return span


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
        if kind == "LOC" and len(group) > 1 and group[0].start == 0 and group[0].pos == "N":
            group = group[1:]  # "Cổ phiếu HPG": a common noun capitalised by opening the sentence
        while group and (group[-1].pos == "CH" or not is_capitalised(group[-1].text)):
            group = group[:-1]
        if kind in TYPES and group:
            surface = text[group[0].start : group[-1].end]
            if kind in ("LOC", "ORG") and _looks_personal(surface, gaz):
                kind = "PER"  # "thượng sĩ Nguyễn Trung Hiếu" tagged LOC by the model
            elif kind == "PER" and ABBREVIATION.fullmatch(surface):
                kind = "ORG"  # "SLNA", "OceanBank": people's names are never written so
            elif (
                kind == "LOC" and LATIN_CODE.fullmatch(surface) and not _listed_place(surface, gaz)
            ):
                kind = "ORG"  # a ticker or an agency ("HPG", "HOSE"); places in caps are listed
            span = _without_title(text, Entity(kind, group[0].start, group[-1].end, "model"), gaz)
            surface = text[span.start : span.end] if span else ""
            # "14/5" or "2025" tagged as an entity is a date or number, never a name.
            if span and _is_name(surface, span.type, gaz):
                spans.append(span)
    return spans


def _looks_personal(surface: str, gaz: Gazetteer) -> bool:
    """'Phạm Văn Chiến', but not the places 'Hà Nội' or 'Lạng Sơn' that start like a name."""
    known = gaz.loc.fullmatch(surface) or gaz.org.fullmatch(surface)
    return is_person_name(surface, gaz.surnames) and not known


def _listed_place(surface: str, gaz: Gazetteer) -> bool:
    return bool(gaz.loc.fullmatch(surface)) or ("LOC", surface.casefold()) in gaz.aliases


def _is_name(surface: str, kind: str, gaz: Gazetteer) -> bool:
    """Not a date or number ("14/5", "III"), a lone letter, a known non-entity or a bare opener."""
    letters = sum(c.isalpha() for c in surface)
    if letters == 0 or (letters == 1 and kind != "PER") or surface in gaz.not_entities:
        return False
    if ROMAN.fullmatch(surface):
        return False
    return not gaz.org_prefixes.fullmatch(surface)


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


def bare_name(surface: str, title: str | None, admin: frozenset[str]) -> str:
    """'tỉnh Quảng Trị' -> 'Quảng Trị', so a place is one name however it was introduced. Only
    administrative units (`admin`, casefolded) are dropped: 'sông Đuống' and 'chợ Bến Thành'
    keep theirs, and 'quận 1' stays whole, a number alone names nothing."""
    if not title or title.casefold() not in admin or not surface.startswith(title):
        return surface
    rest = surface[len(title) :].strip()
    return rest if rest and not rest[:1].isdigit() else surface


def normalise(text: str) -> str:
    """The entity's canonical form: normalised like article text, spaces collapsed."""
    return normalise_line(text)
