import unicodedata

import pyarrow as pa
import pytest

from vnnews.tasks.nlp import adapter
from vnnews.tasks.nlp.tokenise import split_sentences, tokenise
from vnnews.tasks.tables import DOCUMENTS

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
    sentences, tokens, _ = tokenise(docs(BODY))
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
    words = {w.text: w.pos for w in adapter.analyse("Thủ tướng Nguyễn Xuân Phúc thăm Hà Nội.")}
    assert words["Nguyễn Xuân Phúc"] == "Np"


@pytest.mark.parametrize("body", ["", " ", "\n\n"])
def test_empty_bodies_give_no_rows(body):
    sentences, tokens, _ = tokenise(docs(body))
    assert sentences.num_rows == 0 and tokens.num_rows == 0


def test_nfd_text_is_tagged_like_nfc_and_pointed_into():
    nfd = unicodedata.normalize("NFD", "Tôi thấy yếu")
    words = adapter.analyse(nfd)
    assert [w.text for w in words] == ["Tôi", "thấy", "yếu"]
    # Offsets point into the NFD text as given: each span composes to its word.
    assert [unicodedata.normalize("NFC", nfd[w.start : w.end]) for w in words] == [
        "Tôi",
        "thấy",
        "yếu",
    ]
    assert words[-1].end == len(nfd)


def test_a_word_underthesea_rewrites_keeps_its_place():
    text = "Con đường khúc khủyu dẫn vào nghành du lịch."
    words = {w.text: text[w.start : w.end] for w in adapter.analyse(text)}
    assert words["khúc khuỷu"] == "khúc khủyu"  # underthesea moves the tone mark
    assert words["ngành"] == "nghành"  # and mends the spelling
    assert words["du lịch"] == "du lịch"


def test_a_sentence_without_full_stops_is_cut_into_bounded_pieces():
    paragraph = " ".join(["người dân đang chờ đợi, mong ngóng"] * 200)
    spans = adapter.sentences(paragraph, limit=300)
    assert len(spans) > 20
    assert all(len(s.text) <= 300 for s in spans)
    assert all(paragraph[s.start : s.end] == s.text for s in spans)
    # Nothing is lost between pieces: they cover the paragraph, spaces aside.
    assert "".join(s.text for s in spans).replace(" ", "") == paragraph.replace(" ", "")
    assert spans[0].text.endswith(","), "cut after a comma when one is near the limit"


def test_emoticons_and_symbols_do_not_break_alignment():
    text = "Tuyệt vời 😀 :) !!! 100%"
    for w in adapter.analyse(text):
        assert text[w.start : w.end].split() == w.text.split()


def test_two_workers_give_the_same_tables_as_one():
    from vnnews.tasks.nlp.tokenise import tokenise_parallel

    batch = docs(BODY, "Hà Nội mưa lớn.", "", "Việt Nam và Nhật Bản hợp tác.\nQuốc hội họp.")
    one = tokenise_parallel(batch, 1)
    two = tokenise_parallel(batch, 2)
    assert all(a.equals(b) for a, b in zip(one, two, strict=True))
    assert set(one[1]["ner"].to_pylist()) >= {"O", "B-LOC"}


def test_an_empty_batch_is_fine_on_any_number_of_workers():
    from vnnews.tasks.nlp.tokenise import tokenise_parallel

    for workers in (1, 2):
        sentences, tokens, _ = tokenise_parallel(docs().slice(0, 0), workers)
        assert sentences.num_rows == tokens.num_rows == 0


def test_a_sentence_that_is_not_verbatim_in_its_paragraph_is_placed_by_its_characters():
    """underthesea's splitter returns substrings today; should one come back with its spaces
    changed, it still gets the offsets of the same characters."""
    paragraph = "Mở đầu.  Hôm  nay trời\u00a0đẹp. Hết."
    start, end = adapter._by_characters(paragraph, "Hôm nay trời đẹp.", len("Mở đầu."))
    assert paragraph[start:end] == "Hôm  nay trời\u00a0đẹp."
