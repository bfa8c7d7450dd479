"""The one adapter around underthesea.

Only the CRF pipelines that ship inside the wheel are used (sentences, words, POS, chunks, NER):
they work offline. `classify`, `sentiment` and `lang_detect` fetch models at run time and are
deliberately not wrapped here. Word, POS, chunk and NER tags come from one pass per sentence
(tasks/crf.py), identical to `underthesea.ner`.

Every function returns character offsets into the text it was given, so later stages can point
back into the clean body.
"""

from __future__ import annotations

from dataclasses import dataclass

from underthesea import sent_tokenize

from tasks import crf


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Word:
    text: str
    pos: str
    start: int | None
    end: int | None
    chunk: str = ""
    ner: str = "O"


def _locate(parts: list[str], text: str) -> list[tuple[int | None, int | None]]:
    """Offsets of each part in text, searched left to right; (None, None) once one is lost."""
    offsets, cursor, lost = [], 0, False
    for part in parts:
        start = end = None
        if not lost:
            first = text.find(part.split(" ")[0], cursor) if part else -1
            if first >= 0:
                start, end = first, first
                for syllable in part.split(" "):
                    at = text.find(syllable, end)
                    if at < 0 or text[end:at].strip():
                        start = end = None
                        break
                    end = at + len(syllable)
            lost = start is None
            cursor = end if end is not None else cursor
        offsets.append((start, end))
    return offsets


def sentences(paragraph: str) -> list[Span]:
    """Sentences of one paragraph, with offsets into it."""
    if not paragraph.strip():
        return []
    found = [s for s in sent_tokenize(paragraph) if s.strip()]
    return [
        Span(s, a, b) if a is not None else Span(s, -1, -1)
        for s, (a, b) in zip(found, _locate(found, paragraph), strict=True)
    ]


def analyse(sentence: str) -> list[Word]:
    """Words with POS, chunk and BIO named-entity tags (PER/LOC/ORG/MISC), in one pass.

    Multi-syllable words hold spaces ("hợp tác"). Tags equal `underthesea.ner(sentence)`.
    """
    if not sentence.strip():
        return []
    tagged = crf.analyse(sentence)
    spans = _locate([t[0] for t in tagged], sentence)
    return [
        Word(w, p, a, b, chunk=c, ner=n) for (w, p, c, n), (a, b) in zip(tagged, spans, strict=True)
    ]
