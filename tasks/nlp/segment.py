"""underthesea's word segmentation, with each word's place in the text it came from.

`underthesea.word_tokenize` returns words, not offsets, and its words are not always the text:
it composes NFD into NFC, maps `ð` to `đ`, and rewrites some short tokens (a tone mark on the
wrong vowel, `khủyu` → `khuỷu`; misspellings, `nghành` → `ngành`). Searching the text for its
words then fails. Here the same steps run with their positions kept: the regex tokeniser's
matches are spans of the normalised text, which map back to the original; the tokens are
normalised and tagged exactly as underthesea does, so the words are identical to
`word_tokenize` (tests/test_nlp_segment.py), and each knows its `start` and `end`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from underthesea.pipeline import word_tokenize as word_tokenize_package
from underthesea.pipeline.text_normalize import token_normalize
from underthesea.pipeline.text_normalize.text_normalizer import character_map
from underthesea.pipeline.word_tokenize import regex_tokenize

MODEL = Path(word_tokenize_package.__file__).parent / "models" / "ws_crf_vlsp2013_20230727"
# A base character and the combining marks after it: the unit NFC composes.
CLUSTER = re.compile(r".[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*", re.DOTALL)


@dataclass(frozen=True)
class Segment:
    text: str  # the word as underthesea writes it (syllables joined by one space)
    start: int  # offsets into the text given
    end: int


@cache
def _model():
    from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger

    model = FastCRFSequenceTagger()
    model.load(str(MODEL))
    return model


@cache
def _characters() -> dict[int, str]:
    # underthesea replaces characters one by one (`ð` -> `đ`); offsets survive only that.
    if any(len(k) != 1 or len(v) != 1 for k, v in character_map.items()):
        raise RuntimeError("underthesea's character map is no longer 1:1; update nlp/segment.py")
    return str.maketrans(character_map)


def nfc_with_origins(text: str) -> tuple[str, list[int] | None]:
    """NFC text, and for each of its characters (plus its end) the offset in `text` it came
    from; None when `text` is NFC already (the offsets are the same)."""
    if unicodedata.is_normalized("NFC", text):
        return text, None
    parts, origins = [], []
    for m in CLUSTER.finditer(text):
        composed = unicodedata.normalize("NFC", m.group())
        parts.append(composed)
        origins += [m.start()] * len(composed)
    origins.append(len(text))
    return "".join(parts), origins


def segment(text: str) -> list[Segment]:
    """Words of a sentence, as `underthesea.word_tokenize(text)` gives them, with offsets."""
    normal, origins = nfc_with_origins(text)
    normal = normal.translate(_characters())
    matches = list(regex_tokenize.patterns.finditer(normal))
    if not matches:
        return []
    tokens = [token_normalize(m.group()) for m in matches]
    tags = _model().predict([[token] for token in tokens])
    words: list[list] = []  # [tokens, start, end] in the normalised text
    for tag, token, m in zip(tags, tokens, matches, strict=True):
        if tag == "I-W" and words:
            words[-1][0].append(token)
            words[-1][2] = m.end()
        else:
            words.append([[token], m.start(), m.end()])
    at = (lambda i: i) if origins is None else origins.__getitem__
    return [Segment(" ".join(parts), at(start), at(end)) for parts, start, end in words]


def same_word(word: str, surface: str) -> bool:
    """Is `word` (as segment() wrote it) the text `surface`, up to underthesea's normalisation
    (NFC, `ð`, its token rewrites) and the spaces between syllables?"""
    if word.replace(" ", "") == "".join(surface.split()):
        return True
    normal = unicodedata.normalize("NFC", surface).translate(_characters())
    tokens = (token_normalize(m.group()) for m in regex_tokenize.patterns.finditer(normal))
    return word.replace(" ", "") == "".join(tokens)
