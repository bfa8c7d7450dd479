import pyarrow as pa
import pytest

from vnnews.tasks.extract.entities import bare_name, find_entities, model_spans
from vnnews.tasks.extract.extract import extract
from vnnews.tasks.nlp import adapter
from vnnews.tasks.nlp.adapter import Word
from vnnews.tasks.nlp.tokenise import tokenise
from vnnews.tasks.tables import DOCUMENTS, SENTENCES, TOKENS


def entities(text: str, gazetteer) -> set[tuple[str, str]]:
    found = find_entities(text, adapter.analyse(text), gazetteer)
    return {(e.type, text[e.start : e.end]) for e in found}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Thủ tướng Nguyễn Xuân Phúc tiếp Đại sứ Nhật Bản.",
            {("PER", "Nguyễn Xuân Phúc"), ("LOC", "Nhật Bản")},
        ),
        (
            "Người Phát ngôn Bộ Ngoại giao Lê Thị Thu Hằng trả lời.",
            {("ORG", "Bộ Ngoại giao"), ("PER", "Lê Thị Thu Hằng")},
        ),
        (
            "Ông Trần Văn Nam làm việc tại Ngân hàng Nhà nước Việt Nam.",
            {("PER", "Trần Văn Nam"), ("ORG", "Ngân hàng Nhà nước Việt Nam")},
        ),
        (
            "Việt Nam và ASEAN ủng hộ Liên hợp quốc.",
            {("LOC", "Việt Nam"), ("ORG", "ASEAN"), ("ORG", "Liên hợp quốc")},
        ),
    ],
)
def test_rules_find_titled_people_organisations_and_places(gazetteer, sentence, expected):
    assert entities(sentence, gazetteer) == expected  # exactly: no wrong extra entity


def test_titles_never_enter_person_names(gazetteer):
    found = entities("Bộ trưởng Bộ Y tế Đào Hồng Lan cho biết dịch Covid-19 đã giảm.", gazetteer)
    people = {text for kind, text in found if kind == "PER"}
    assert people == {"Đào Hồng Lan"}
    assert ("ORG", "Bộ Y tế") in found
    assert not any("Covid" in text for _, text in found)


def test_lowercase_ministry_mentions_are_not_organisations(gazetteer):
    found = entities("Các bộ, ngành và địa phương phối hợp chặt chẽ.", gazetteer)
    assert not any(kind == "ORG" for kind, _ in found)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Chủ tịch UBND tỉnh Quảng Trị Nguyễn Văn Hùng đến thăm huyện Hướng Hóa.",
            {
                ("ORG", "UBND tỉnh Quảng Trị"),
                ("PER", "Nguyễn Văn Hùng"),
                ("LOC", "huyện Hướng Hóa"),
            },
        ),
        (
            "Bộ Tài nguyên và Môi trường làm việc với Bộ Lao động - Thương binh và Xã hội.",
            {
                ("ORG", "Bộ Tài nguyên và Môi trường"),
                ("ORG", "Bộ Lao động - Thương binh và Xã hội"),
            },
        ),
        (
            "Nhiều người Mỹ học tiếng Việt ở miền Nam và quận 1.",
            {("MISC", "người Mỹ"), ("MISC", "tiếng Việt"), ("LOC", "miền Nam"), ("LOC", "quận 1")},
        ),
        ("Bộ GD-ĐT và U23 Việt Nam gặp nhau.", {("ORG", "Bộ GD-ĐT"), ("ORG", "U23 Việt Nam")}),
    ],
)
def test_place_words_organisation_names_and_nationalities_follow_the_vlsp_convention(
    gazetteer, sentence, expected
):
    assert entities(sentence, gazetteer) == expected  # exactly: no wrong extra entity


def test_a_country_inside_a_longer_place_name_is_not_found(gazetteer):
    found = entities("Hơn ba năm ở Đức Phổ, anh Khang đã quen mọi người.", gazetteer)
    assert ("LOC", "Đức") not in found
    assert ("PER", "Khang") in found


def test_a_lowercase_title_opens_a_name_only_at_a_sentence_start(gazetteer):
    assert ("PER", "Khang") in entities("Anh Khang cũng cho biết như vậy.", gazetteer)
    assert not any(text == "Anh" for _, text in entities("Anh nói với mình.", gazetteer))


def test_only_an_administrative_word_leaves_the_normalized_name(gazetteer):
    admin = gazetteer.admin_prefixes
    assert bare_name("tỉnh Quảng Trị", "tỉnh", admin) == "Quảng Trị"
    assert bare_name("Tỉnh Quảng Trị", "Tỉnh", admin) == "Quảng Trị"  # opening a sentence
    assert bare_name("quận 1", "quận", admin) == "quận 1"  # a number alone names nothing
    assert bare_name("sông Đuống", "sông", admin) == "sông Đuống"  # part of the river's name
    assert bare_name("chợ Bến Thành", "chợ", admin) == "chợ Bến Thành"  # not the ward
    assert bare_name("Nguyễn Văn Hùng", None, admin) == "Nguyễn Văn Hùng"


def w(text, tag, start):
    return Word(text, "Np" if text[0].isupper() else "N", start, start + len(text), ner=tag)


def test_bio_repair_starts_a_span_at_a_stray_i_tag_and_on_type_switch(gazetteer):
    text = "Hà Nội Ba Đình và Huế"
    words = [
        w("Hà Nội", "I-LOC", 0),
        w("Ba Đình", "I-ORG", 7),
        w("và", "O", 15),
        w("Huế", "I-LOC", 18),
    ]
    spans = [(s.type, text[s.start : s.end]) for s in model_spans(text, words, gazetteer)]
    assert spans == [("LOC", "Hà Nội"), ("ORG", "Ba Đình"), ("LOC", "Huế")]


def test_model_spans_lose_lowercase_and_punctuation_edges(gazetteer):
    text = "người dân Đà Lạt ,"
    words = [
        w("người", "B-LOC", 0),
        w("dân", "I-LOC", 6),
        w("Đà Lạt", "I-LOC", 10),
        Word(",", "CH", 17, 18, ner="I-LOC"),
    ]
    spans = [(s.type, text[s.start : s.end]) for s in model_spans(text, words, gazetteer)]
    assert spans == [("LOC", "Đà Lạt")]


def test_extract_offsets_point_into_the_body(gazetteer):
    body = "Mở đầu.\nHôm qua, Thủ tướng Phạm Minh Chính làm việc với Tập đoàn Điện lực Việt Nam."
    documents = pa.Table.from_pylist([{"doc_id": "d", "body": body}], schema=DOCUMENTS)
    sentences, tokens, _ = tokenise(documents)
    table = extract(documents, sentences, tokens, gazetteer)[0]["entities"]
    assert table.num_rows >= 2
    for e in table.to_pylist():
        assert body[e["start"] : e["end"]] == e["text"]
        assert e["type"] in {"PER", "LOC", "ORG", "MISC"}
    found = {(e["type"], e["text"], e["title"]) for e in table.to_pylist()}
    assert ("PER", "Phạm Minh Chính", "Thủ tướng") in found
    assert ("ORG", "Tập đoàn Điện lực Việt Nam", None) in found


def test_sentences_without_offsets_are_skipped(gazetteer):
    documents = pa.Table.from_pylist([{"doc_id": "d", "body": "Việt Nam."}], schema=DOCUMENTS)
    rows = [{"doc_id": "d", "sent_idx": 0, "text": "Việt Nam.", "start": None, "end": None}]
    sentences = pa.Table.from_pylist(rows, schema=SENTENCES)
    found, _ = extract(documents, sentences, TOKENS.empty_table(), gazetteer)
    assert found["entities"].num_rows == 0


def test_agency_names_outside_the_body_are_entities_without_offsets(gazetteer):
    row = {
        "doc_id": "d",
        "body": "Nội dung.",
        "source": "VOV5",
        "captions": [{"text": "Ảnh", "credit": "VGP"}, {"text": "Ảnh", "credit": "Minh Đức"}],
    }
    documents = pa.Table.from_pylist([row], schema=DOCUMENTS)
    found, _ = extract(documents, SENTENCES.empty_table(), TOKENS.empty_table(), gazetteer)
    rows = found["entities"].select(["type", "text", "start", "method"]).to_pylist()
    assert rows == [
        {"type": "ORG", "text": "VOV5", "start": None, "method": "metadata:source"},
        {"type": "ORG", "text": "VGP", "start": None, "method": "metadata:caption_credit"},
    ]


def test_model_spans_retype_names_by_their_form(gazetteer):
    text = "Phạm Văn Chiến gặp OceanBank ở Hà Nội và Th."
    words = [
        w("Phạm Văn Chiến", "B-LOC", 0),
        w("gặp", "O", 15),
        w("OceanBank", "B-PER", 19),
        w("ở", "O", 29),
        w("Hà Nội", "B-LOC", 31),
        w("và", "O", 38),
        w("Th", "B-PER", 41),
    ]
    spans = {(s.type, text[s.start : s.end]) for s in model_spans(text, words, gazetteer)}
    assert spans == {
        ("PER", "Phạm Văn Chiến"),
        ("ORG", "OceanBank"),
        ("LOC", "Hà Nội"),
        ("PER", "Th"),
    }
    found = {(e.type, text[e.start : e.end]) for e in find_entities(text, words, gazetteer)}
    assert ("PER", "Th.") in found


def test_a_name_after_two_titles_is_one_person_with_the_nearest_title(gazetteer):
    """Found in real news: each title led to the name, and the span was published twice."""
    text = (
        "Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam - Bí thư Thành ủy Tp.HCM "
        "Nguyễn Thiện Nhân cho biết đã có 3.228 ý kiến."
    )
    found = find_entities(text, adapter.analyse(text), gazetteer)
    spans = [(e.start, e.end) for e in found]
    assert len(spans) == len(set(spans)), "no span twice"
    people = [(text[e.start : e.end], e.title) for e in found if e.type == "PER"]
    assert people == [("Nguyễn Thiện Nhân", "Bí thư")]


def tagged(text: str, *tags: tuple[str, str, str]) -> list[Word]:
    """Words of `text` with the model's tags, (word, pos, ner) each, placed in order."""
    words, at = [], 0
    for word, pos, ner in tags:
        start = text.index(word, at)
        at = start + len(word)
        words.append(Word(word, pos, start, at, ner=ner))
    return words


def model_found(text: str, words: list[Word], gazetteer) -> list[tuple[str, str]]:
    return [(s.type, text[s.start : s.end]) for s in model_spans(text, words, gazetteer)]


def test_a_latin_code_is_never_a_place_unless_listed_and_a_sentence_opener_is_not_a_name(
    gazetteer,
):
    text = "Cổ phiếu HPG, sàn HOSE và UK"
    words = tagged(text, ("Cổ phiếu", "N", "B-LOC"), ("HPG", "Np", "I-LOC"), (",", "CH", "O"),
                   ("sàn", "N", "O"), ("HOSE", "Np", "B-LOC"), ("và", "C", "O"),
                   ("UK", "Np", "B-LOC"))  # fmt: skip
    assert model_found(text, words, gazetteer) == [("ORG", "HPG"), ("ORG", "HOSE"), ("LOC", "UK")]
    text = "Bệnh viện Bạch Mai"
    words = tagged(text, ("Bệnh viện", "N", "B-ORG"), ("Bạch Mai", "Np", "I-ORG"))
    # only a place loses its opening noun
    assert model_found(text, words, gazetteer) == [("ORG", "Bệnh viện Bạch Mai")]


def test_a_roman_numeral_is_an_ordinal_not_a_name(gazetteer):
    text = "Quý III và thế kỷ XX, ông Vi, VIC"
    words = tagged(text, ("Quý", "N", "O"), ("III", "Np", "B-ORG"), ("và", "C", "O"),
                   ("thế kỷ", "N", "O"), ("XX", "Np", "B-LOC"), (",", "CH", "O"),
                   ("ông", "Nc", "O"), ("Vi", "Np", "B-PER"), (",", "CH", "O"),
                   ("VIC", "Np", "B-ORG"))  # fmt: skip
    assert model_found(text, words, gazetteer) == [("PER", "Vi"), ("ORG", "VIC")]


def test_job_titles_diseases_and_papers_in_capitals_are_not_names(gazetteer):
    text = "CEO của HIV, CMND và Top"
    words = tagged(text, ("CEO", "Np", "B-LOC"), ("của", "E", "O"), ("HIV", "Np", "B-ORG"),
                   (",", "CH", "O"), ("CMND", "Np", "B-LOC"), ("và", "C", "O"),
                   ("Top", "Np", "B-LOC"))  # fmt: skip
    assert model_found(text, words, gazetteer) == []
