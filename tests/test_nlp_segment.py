"""Words with their place in the text: identical to underthesea's words, whatever it rewrites."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import underthesea
from hypothesis import given, settings
from hypothesis import strategies as st

from vnnews.tasks.nlp.conllu import read_conllu
from vnnews.tasks.nlp.segment import same_word, segment

UD_DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "ud_vtb" / "vi_vtb-ud-dev.conllu"


def assert_aligned(text: str) -> None:
    """Words cover every non-space character of the text once, in order, and each is the text
    at its offsets up to underthesea's normalisation."""
    found = segment(text)
    assert [s.text for s in found] == underthesea.word_tokenize(text)
    cursor = 0
    for s in found:
        assert text[cursor : s.start].strip() == "", (text, s, "a gap holds text")
        assert s.start < s.end, (text, s)
        assert same_word(s.text, text[s.start : s.end]), (text, s, text[s.start : s.end])
        cursor = s.end
    assert text[cursor:].strip() == ""


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Con đường khúc khủyu, gập ghềnh.",
        "Anh ấy làm trong nghành ngân hàng.",
        unicodedata.normalize("NFD", "Thủ tướng Phạm Minh Chính thăm Hà Nội."),
        "Ðà Nẵng, ðêm qua",  # the Icelandic eth that old fonts used for Đ
        "“Xin chào” – ông nói… (TTXVN)!!!",
        "Giá vàng tăng 1.000.000 đồng/lượng, tức 2,5% vào 14/5/2025.",
        "Email: a.b@example.com, web https://dantri.com.vn/x-1.htm 😀",
        "Hoà, thuý và khoẻ",
    ],
)
def test_words_are_underthesea_words_with_offsets(text):
    assert_aligned(text)


def test_same_word_sees_through_normalisation_only():
    assert same_word("khuỷu", "khủyu")
    assert same_word("du lịch", "du  lịch")
    assert same_word("10 %", "10%")
    assert not same_word("khuỷu", "khúc")
    assert not same_word("du lịch", "du")


@pytest.mark.skipif(not UD_DEV.exists(), reason="needs ../shared/eval/ud_vtb beside the checkout")
def test_aligned_on_a_thousand_ud_sentences():
    gold = read_conllu(UD_DEV)
    for sentence in gold[:1000]:
        assert_aligned(sentence.detokenised)


# Vietnamese words, some with the tone mark on the wrong vowel or a spelling underthesea mends,
# in NFC or NFD, between odd quotes, dashes and punctuation.
WORDS = [
    "khúc",
    "khủyu",
    "khuỷu",
    "chóang",
    "nghành",
    "hoà",
    "thuý",
    "người",
    "Việt Nam",
    "ðêm",
    "TP.HCM",
    "10%",
    "1.000",
]
PUNCTUATION = [
    "“",
    "”",
    "«",
    "»",
    "„",
    "‘",
    "’",
    "'",
    '"',
    "…",
    "–",
    "—",
    "-",
    ".",
    ",",
    "!?",
    "(",
    ")",
]
pieces = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).map(lambda w: unicodedata.normalize("NFD", w)),
    st.sampled_from(PUNCTUATION),
)
texts = st.lists(st.tuples(pieces, st.sampled_from(["", " ", "  ", "\u00a0"])), max_size=25).map(
    lambda parts: "".join(p + gap for p, gap in parts)
)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_words_cover_any_text_and_match_it(text):
    assert_aligned(text)
