"""Rule-based entity spans from the gazetteers (seeds/gazetteers/*.tsv).

Spans follow the VLSP convention: a generic word that opens a place ("tỉnh Quảng Trị", "sông
Sê Pôn", "quận 1") belongs to the LOC; "người Mỹ" / "tiếng Anh" are MISC; an organisation runs
from its opener ("Bộ", "Công ty", "UBND") over its capitalised words, the places it names
("UBND tỉnh Quảng Trị") and short lowercase bridges ("Công ty Dịch vụ viễn thông Vinaphone").
A title is never part of a person's name: it goes to Entity.title.
"""

from __future__ import annotations

from vnnews.tasks.extract.entity_spans import (
    NUMBER,
    Bounds,
    Entity,
    Spans,
    is_name_like,
    is_person_name,
)
from vnnews.tasks.extract.gazetteer import Gazetteer
from vnnews.tasks.nlp.adapter import Word

OPENING_PUNCTUATION = " \"“‘'(-–—…"


def opens_sentence(text: str, start: int) -> bool:
    return not text[:start].strip(OPENING_PUNCTUATION)


def usable(m, text: str, bounds: Bounds, gaz: Gazetteer) -> bool:
    """On word edges, and a capitalised form of a lowercase opener only at sentence start
    ("Bà Rịa" is a place, not "bà" + a name)."""
    if not bounds.aligned(m.start(), m.end()):
        return False
    phrase = " ".join(m.group(0).split())
    return phrase not in gaz.sentence_initial or opens_sentence(text, m.start())


def gazetteer_spans(text: str, words: list[Word], gaz: Gazetteer, bounds: Bounds):
    found = [
        Entity("ORG", m.start(), m.end(), "rule:gazetteer")
        for m in gaz.org.finditer(text)
        if bounds.aligned(m.start(), m.end())
    ]
    organisations = Spans(found)  # places never overlap one another: one regex found them
    for m in gaz.loc.finditer(text):
        span = Entity("LOC", m.start(), m.end(), "rule:gazetteer")
        if not bounds.aligned(m.start(), m.end()) or organisations.overlaps(span):
            continue
        nxt = bounds.after(m.end(), 1)
        # "Anh" is England, but also "anh" (he) opening a sentence or a name: "Anh Khang".
        if gaz.titles.fullmatch(m.group(0).lower()) and (
            opens_sentence(text, m.start()) or (nxt and is_name_like(nxt[0].text))
        ):
            continue
        found.append(span)
    return found


def place_spans(text: str, words: list[Word], gaz: Gazetteer, bounds: Bounds, known):
    """'tỉnh' + 'Quảng Trị' -> LOC 'tỉnh Quảng Trị' (title 'tỉnh'); 'quận' + '1' too."""
    spans = []
    others = Spans(k for k in known if k.type != "LOC")
    for m in gaz.loc_prefixes.finditer(text):
        if not usable(m, text, bounds, gaz):
            continue
        end = None
        for w in bounds.after(m.end()):
            if end is None and NUMBER.fullmatch(w.text):
                end = w.end
                break
            if w.pos == "CH" or not is_name_like(w.text):
                break
            if end is not None and is_person_name(w.text, gaz.surnames):
                break
            end = w.end
        if end is not None:
            span = Entity("LOC", m.start(), end, "rule:place", " ".join(m.group(0).split()))
            if not others.inside(span.start, span.end):
                spans.append(span)
    return spans


def misc_spans(text: str, words: list[Word], gaz: Gazetteer, bounds: Bounds):
    """'người' / 'tiếng' + a country or a one-syllable people's name -> MISC."""
    spans = []
    for m in gaz.misc_prefixes.finditer(text):
        nxt = bounds.after(m.end(), 1)
        if not usable(m, text, bounds, gaz) or not nxt:
            continue
        country = gaz.countries.match(text, nxt[0].start)
        if country and bounds.aligned(country.start(), country.end()):
            spans.append(Entity("MISC", m.start(), country.end(), "rule:misc"))
        elif is_name_like(name := nxt[0].text) and " " not in name and name not in gaz.surnames:
            spans.append(Entity("MISC", m.start(), nxt[0].end, "rule:misc"))
    return spans


def title_person_spans(
    text: str, words: list[Word], known: list[Entity], gaz: Gazetteer, bounds: Bounds
):
    """The name-like words right after a title (skipping an ORG/LOC it belongs to) are a PER.

    Two titles can lead to one name ("Chủ tịch [MTTQ] - Bí thư [Thành ủy] Nguyễn Thiện Nhân"):
    the name is one span, with the title nearest to it."""
    spans: dict[tuple[int, int], Entity] = {}
    taken = Spans(known)
    for m in gaz.titles.finditer(text):
        if not usable(m, text, bounds, gaz):
            continue
        start = end = None
        title = " ".join(m.group(0).split())
        for w in bounds.after(m.end()):
            if end is None and taken.inside(w.start, w.end):
                continue  # "Thủ tướng [Quốc vụ viện Trung Quốc] Lý Khắc Cường"
            if w.pos == "CH" or not is_name_like(w.text) or taken.inside(w.start, w.end):
                break
            start = w.start if start is None else start
            end = w.end
        if start is not None:
            spans.pop((start, end), None)  # a later title is nearer to the name
            spans[(start, end)] = Entity("PER", start, end, "rule:title", title)
    return list(spans.values())
