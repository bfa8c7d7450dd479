"""One pass of underthesea's CRF taggers per sentence, with features built once.

underthesea's `pos_tag`, `chunk` and `ner` each re-run everything before them, and their feature
function re-parses every template string and rebuilds the column matrix for every token. Here a
sentence is segmented once; POS, chunk and NER tags then reuse it, calling the same CRF models
with the same templates (read from underthesea's own predictors) through a featurizer that
compiles each template once. The features are byte-for-byte those of underthesea's Python
featurizer, so the tags are identical (tests/test_nlp_crf.py checks this tag for tag).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from underthesea.pipeline.chunking.model_crf import CRFChunkingPredictor
from underthesea.pipeline.ner.model_crf import CRFNERPredictor
from underthesea.pipeline.ner.tagged_feature import text_is_in_dict, text_isallcap
from underthesea.pipeline.pos_tag.model_crf import CRFPOSTagPredictor

from vnnews.tasks.nlp.segment import segment

SYNTAX = re.compile(
    r"T\[(?P<index1>\-?\d+)(\,(?P<index2>\-?\d+))?\](\[(?P<column>.*)\])?(\.(?P<function>.*))?"
)


def istitle(word: str) -> str:
    """underthesea's text_istitle as a string: every space-separated part starts title-case."""
    if not word:
        return "False"
    for part in word.split(" "):
        if not part or not part[0].istitle():
            return "False"
    return "True"


FUNCTIONS = {
    "lower": str.lower,
    "istitle": istitle,
    "isallcap": lambda w: str(text_isallcap(w)),
    "isdigit": lambda w: str(w.isdigit()),
    "is_in_dict": lambda w: str(text_is_in_dict(w) == "True"),
}


@dataclass(frozen=True)
class Template:
    prefix: str
    index1: int
    index2: int | None
    column: int
    function: object  # callable or None

    @classmethod
    def parse(cls, syntax: str) -> Template:
        m = SYNTAX.match(syntax)
        index2 = m.group("index2")
        func = m.group("function")
        return cls(
            prefix=f"{syntax}=",
            index1=int(m.group("index1")),
            index2=int(index2) if index2 else None,
            column=int(m.group("column")) if m.group("column") else 0,
            function=FUNCTIONS[func] if func else None,
        )


def featurize(columns: list[list[str]], templates: list[Template], shared: dict) -> list[list]:
    """Features of every token, exactly as underthesea's `word2features` writes them.

    Built template by template from per-sentence columns. The POS, chunk and NER taggers use
    many identical templates over the same columns, so each template's feature list is computed
    once per sentence and `shared` between them (keyed by column identity and template).
    """
    n = len(columns[0])
    per_template = []
    for t in templates:
        col = columns[t.column]
        key = (id(col), t.prefix)
        if key not in shared:
            prefix = t.prefix
            shared[key] = [prefix + v for v in _values(col, t, n, shared)]
        per_template.append(shared[key])
    return [list(row) for row in zip(*per_template, strict=True)]


def _values(col: list[str], t: Template, n: int, shared: dict) -> list[str]:
    """The feature values (without the template prefix) of one template over a sentence."""
    d, e, f = t.index1, t.index2, t.function
    if e is None:
        if f is None:
            vals = col
        else:
            key = (id(col), f)
            if key not in shared:
                shared[key] = [f(w) for w in col]
            vals = shared[key]
        return ["BOS" if i + d < 0 else "EOS" if i + d >= n else vals[i + d] for i in range(n)]
    out = []
    for i in range(n):
        if i + d < 0:
            out.append("BOS")
        elif i + d >= n or i + e >= n:
            out.append("EOS")
        else:
            joined = " ".join(col[i + d : i + e + 1])
            out.append(f(joined) if f else joined)
    return out


@dataclass(frozen=True)
class Tagger:
    model: object
    templates: list[Template]

    def tag(self, columns: list[list[str]], shared: dict) -> list[str]:
        return self.model.tag(featurize(columns, self.templates, shared))


@cache
def taggers() -> tuple[Tagger, Tagger, Tagger]:
    """POS, chunk and NER taggers: underthesea's models and templates, loaded once a process."""
    out = []
    for predictor in (CRFPOSTagPredictor, CRFChunkingPredictor, CRFNERPredictor):
        instance = predictor.Instance()
        templates = [Template.parse(s) for s in instance.transformer.template]
        out.append(Tagger(instance.model, templates))
    return tuple(out)


def tag(words: list[str]) -> list[tuple[str, str, str]]:
    """(POS, chunk, NER) per word of a segmented sentence, in one pass."""
    if not words:
        return []
    pos, chunk, ner = taggers()
    filler = ["X"] * len(words)
    shared: dict = {}
    pos_tags = pos.tag([words, filler], shared)
    chunk_tags = chunk.tag([words, pos_tags, filler], shared)
    ner_tags = ner.tag([words, pos_tags, chunk_tags, filler], shared)
    return list(zip(pos_tags, chunk_tags, ner_tags, strict=True))


def analyse(sentence: str) -> list[tuple[str, str, str, str]]:
    """(word, POS, chunk, NER) per word: what `underthesea.ner(sentence)` returns, in one pass."""
    words = [s.text for s in segment(sentence)]
    return [(w, *tags) for w, tags in zip(words, tag(words), strict=True)]
