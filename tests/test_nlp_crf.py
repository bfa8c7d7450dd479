"""Our one-pass tagger gives underthesea's tags, tag for tag, on seeds and UD sentences."""

from pathlib import Path

import pytest
import underthesea

from tests.conftest import SEEDS
from vnnews.tasks.clean.clean import clean
from vnnews.tasks.ingest.ingest import discover, ingest
from vnnews.tasks.nlp import crf
from vnnews.tasks.nlp.adapter import sentences
from vnnews.tasks.nlp.conllu import read_conllu

UD_DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "ud_vtb" / "vi_vtb-ud-dev.conllu"


def seed_sentences(rule_pack) -> list[str]:
    raw, _ = ingest(discover([SEEDS]))
    docs, _ = clean(raw, rule_pack)
    return [
        s.text for body in docs["body"].to_pylist() for p in body.split("\n") for s in sentences(p)
    ]


def test_identical_to_underthesea_on_the_seeds(rule_pack):
    texts = seed_sentences(rule_pack)
    assert len(texts) >= 10
    for text in texts:
        assert crf.analyse(text) == underthesea.ner(text), text


@pytest.mark.skipif(not UD_DEV.exists(), reason="needs ../shared/eval/ud_vtb beside the checkout")
def test_identical_to_underthesea_on_a_thousand_ud_sentences():
    gold = read_conllu(UD_DEV)
    texts = [g.detokenised for g in gold[:600]] + [g.text for g in gold[600:1100]]
    assert len(texts) >= 1000
    mismatches = [t for t in texts if crf.analyse(t) != underthesea.ner(t)]
    assert mismatches == []


@pytest.mark.parametrize("text", ["", "   ", "😀", "yếu", "A", "1.000.000 đồng", "“Xin chào”"])
def test_edge_cases_match_too(text):
    assert crf.analyse(text) == underthesea.ner(text)


def test_pos_tags_equal_pos_tag():
    text = "Chợ thịt chó nổi tiếng ở TPHCM bị truy quét"
    assert [(w, p) for w, p, _, _ in crf.analyse(text)] == underthesea.pos_tag(text)
