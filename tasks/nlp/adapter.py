"""The one adapter around underthesea.

Only the CRF pipelines that ship inside the wheel are used (sentences, words, POS, chunks, NER):
they work offline. `classify`, `sentiment` and `lang_detect` fetch models at run time and are
deliberately not wrapped here. Word, POS, chunk and NER tags come from one pass per sentence
(tasks/nlp/crf.py), identical to `underthesea.ner`.

Every function returns character offsets into the text it was given, so later stages can point
back into the clean body: `text[start:end]` is each word, up to underthesea's normalisation of
it (tasks/nlp/segment.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from underthesea import sent_tokenize

from vnnews.tasks.nlp import crf
from vnnews.tasks.nlp.segment import segment

# Longer sentences are cut before tagging, so that work per sentence stays bounded. Real news
# sentences are far shorter: 99.9% of 21,000 Dân trí sentences are under 570 characters.
MAX_SENTENCE_CHARS = 1000


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


def _skip_spaces(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def _by_characters(paragraph: str, sentence: str, cursor: int) -> tuple[int, int]:
    """Where a sentence that is not a verbatim substring lies: as many non-space characters
    as it has, from the cursor on."""
    start = at = _skip_spaces(paragraph, cursor)
    for _ in range(sum(not c.isspace() for c in sentence)):
        at = _skip_spaces(paragraph, at) + 1
    return start, min(at, len(paragraph))


def _pieces(paragraph: str, start: int, end: int, limit: int) -> list[Span]:
    """The sentence paragraph[start:end], cut into pieces of at most `limit` characters:
    after a comma or semicolon in the second half of a window, else at its last space."""
    pieces = []
    while end - start > limit:
        window = paragraph[start : start + limit]
        cut = max(window.rfind(", "), window.rfind("; "))
        cut = cut + 1 if cut > limit // 2 else window.rfind(" ")
        cut = start + (cut if cut > 0 else limit)
        piece = paragraph[start:cut].rstrip()
        pieces.append(Span(piece, start, start + len(piece)))
        start = _skip_spaces(paragraph, cut)
    if start < end:
        pieces.append(Span(paragraph[start:end], start, end))
    return pieces


def sentences(paragraph: str, limit: int = MAX_SENTENCE_CHARS) -> list[Span]:
    """Sentences of one paragraph, with offsets into it; longer ones cut into pieces of at
    most `limit` characters (a page of text without a full stop is not one sentence)."""
    if not paragraph.strip():
        return []
    spans, cursor = [], 0
    for found in sent_tokenize(paragraph):
        found = found.strip()
        if not found:
            continue
        start = paragraph.find(found, cursor)
        if start >= 0:
            end = start + len(found)
        else:
            start, end = _by_characters(paragraph, found, cursor)
        spans += _pieces(paragraph, start, end, limit)
        cursor = end
    return spans


def load_models() -> None:
    """Load the word segmentation and CRF tagger models of this process (cached)."""
    analyse("Xin chào Hà Nội.")


def analyse(sentence: str) -> list[Word]:
    """Words with POS, chunk and BIO named-entity tags (PER/LOC/ORG/MISC), in one pass, and
    offsets into `sentence` even where underthesea rewrote the word (`khủyu` -> `khuỷu`).

    Multi-syllable words hold spaces ("hợp tác"). Tags equal `underthesea.ner(sentence)`.
    """
    if not sentence.strip():
        return []
    found = segment(sentence)
    tags = crf.tag([s.text for s in found])
    return [
        Word(s.text, pos, s.start, s.end, chunk=chunk, ner=ner)
        for s, (pos, chunk, ner) in zip(found, tags, strict=True)
    ]
