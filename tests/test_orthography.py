import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tasks.orthography import letter_validity, normalise_line, normalise_tones, vietnamese_share


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("hoà", "hòa"),
        ("Hoà Bình", "Hòa Bình"),
        ("thuý", "thúy"),
        ("khoẻ", "khỏe"),
        ("Uỷ ban", "Ủy ban"),
        ("tuỳ", "tùy"),
        ("HOÀ", "HÒA"),
        ("hoạ sĩ", "họa sĩ"),
        ("quý", "quý"),  # qu + y: the mark stays on y
        ("hoàng", "hoàng"),  # closed syllable: same in both styles
        ("khuyến", "khuyến"),
        ("khuya", "khuya"),
        ("người", "người"),
    ],
)
def test_old_style_tone_placement(written, canonical):
    assert normalise_tones(written) == canonical
    assert normalise_tones(unicodedata.normalize("NFD", written)) == canonical


def test_normalise_line_cleans_invisibles_controls_and_spaces():
    assert normalise_line("\u00a0Xin\u200b chào\x07  bạn\u3000") == "Xin chào bạn"
    assert normalise_line("") == ""


def test_vietnamese_share_and_letter_validity():
    assert vietnamese_share("Việt Nam tăng trưởng kinh tế") > 0.5
    assert vietnamese_share("The economy grew fast this year") == 0
    assert letter_validity("Việt Nam tăng trưởng") == 1.0
    assert letter_validity("Vieät Nam taêng tröôûng") < 0.5  # VNI bytes read as cp1258


vietnamese_text = st.text(
    alphabet=st.sampled_from(
        list("aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặòóỏõọùúủũụỳýỷỹỵ ")
        + ["\u00a0", "\u200b", "\u0300", "\u0301", "\u0309", "\n", ".", ","]
    ),
    max_size=80,
)


@given(vietnamese_text)
def test_normalisation_is_idempotent(text):
    once = normalise_line(text)
    assert normalise_line(once) == once
    assert unicodedata.is_normalized("NFC", once)
