import unicodedata

import pyarrow as pa
import pytest

from tasks import nlp
from tasks.tables import DOCUMENTS
from tasks.tokenise import split_sentences, tokenise

BODY = (
    "Ngày 14/5, Bộ Ngoại giao họp báo thường kỳ. Người Phát ngôn Lê Thị Thu Hằng cho biết.\n"
    "“Việt Nam đã và đang tích cực hợp tác với các nước…” 😀 Hôm nay trời   đẹp."
)


def docs(*bodies: str) -> pa.Table:
    rows = [{"doc_id": f"d{i}", "body": b} for i, b in enumerate(bodies)]
    return pa.Table.from_pylist(rows, schema=DOCUMENTS)


def test_sentence_offsets_point_into_the_body():
    rows = split_sentences("d", BODY)
    assert len(rows) >= 3
    assert [r["sent_idx"] for r in rows] == list(range(len(rows)))
    for r in rows:
        assert BODY[r["start"] : r["end"]] == r["text"]
        assert "\n" not in r["text"], "a sentence must not cross paragraphs"


def test_tokens_carry_pos_and_offsets_into_the_body():
    sentences, tokens = tokenise(docs(BODY))
    assert sentences.num_rows >= 3
    rows = tokens.to_pylist()
    words = [r["word"] for r in rows]
    assert "Bộ" in words and "Lê Thị Thu Hằng" in words
    assert "hợp tác" in words, "multi-syllable words keep their inner space"
    for r in rows:
        assert r["pos"], r
        assert BODY[r["start"] : r["end"]].split() == r["word"].split()
    keys = [(r["sent_idx"], r["tok_idx"]) for r in rows]
    assert len(keys) == len(set(keys))


def test_proper_names_are_tagged_np():
    words = {w.text: w.pos for w in nlp.tag_words("Thủ tướng Nguyễn Xuân Phúc thăm Hà Nội.")}
    assert words["Nguyễn Xuân Phúc"] == "Np"


@pytest.mark.parametrize("body", ["", " ", "\n\n"])
def test_empty_bodies_give_no_rows(body):
    sentences, tokens = tokenise(docs(body))
    assert sentences.num_rows == 0 and tokens.num_rows == 0


def test_nfd_text_is_tagged_like_nfc_but_without_offsets():
    nfd = unicodedata.normalize("NFD", "Tôi thấy yếu")
    words = nlp.tag_words(nfd)
    assert [w.text for w in words] == ["Tôi", "thấy", "yếu"]
    # The clean stage hands over NFC only; an NFD string cannot be pointed into.
    assert all(w.start is None for w in words)


def test_emoticons_and_symbols_do_not_break_alignment():
    text = "Tuyệt vời 😀 :) !!! 100%"
    for w in nlp.tag_words(text):
        assert text[w.start : w.end].split() == w.text.split()
