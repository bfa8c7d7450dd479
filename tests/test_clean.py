import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import EXPECTED, SEEDS, seed_lines
from vnnews.tasks.clean.clean import clean, clean_article
from vnnews.tasks.clean.quality import filter_quality
from vnnews.tasks.clean.rules import RulePack
from vnnews.tasks.ingest.ingest import discover, ingest
from vnnews.tasks.text.orthography import normalise_line

SEED_NAMES = sorted(EXPECTED["documents"])


def expected_paragraph(line: str, source: str | None) -> str:
    """What a kept raw line must look like in the body: NFC, plain spaces, no source marker."""
    text = " ".join(unicodedata.normalize("NFC", line).replace("\xa0", " ").split())
    if source and text.startswith(f"({source})"):
        text = text.split("-", 1)[1].strip()
    return text


@pytest.fixture(scope="module")
def cleaned(rule_pack):
    raw, _ = ingest(discover([SEEDS]))
    docs, removed = clean(raw, rule_pack)
    docs, rejects = filter_quality(docs, rule_pack.quality)
    by_name = {
        uri.rsplit("/", 1)[-1]: row
        for uri, row in zip(docs["source_uri"].to_pylist(), docs.to_pylist(), strict=True)
    }
    return by_name, rejects, removed


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_body_holds_exactly_the_expected_lines(cleaned, name):
    want = EXPECTED["documents"][name]
    doc = cleaned[0][name]
    lines = seed_lines(name)
    paragraphs = doc["body"].split("\n")
    assert paragraphs == [expected_paragraph(lines[i], want["source"]) for i in want["body_lines"]]
    assert doc["title"] == want["title"]
    assert doc["source"] == want["source"]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_boilerplate_and_captions_are_out_of_the_body(cleaned, name):
    want = EXPECTED["documents"][name]
    body = cleaned[0][name]["body"]
    lines = seed_lines(name)
    for i in want["boilerplate_lines"] + want.get("caption_lines", []):
        text = expected_paragraph(lines[i], None)
        if text:
            assert text not in body.split("\n"), f"line {i} {text!r} leaked into the body"
    assert "\xa0" not in body
    assert unicodedata.is_normalized("NFC", body)


def test_caption_keeps_its_photo_credit(cleaned):
    doc = cleaned[0]["002_b86183774bd0c12c.txt"]
    assert doc["captions"] == [
        {
            "text": "Thủ tướng Chính phủ Nguyễn Xuân Phúc điện đàm với Thủ tướng Quốc vụ viện "
            "Trung Quốc Lý Khắc Cường",
            "credit": "VGP",
        }
    ]


def test_removed_paragraphs_are_counted_per_rule(cleaned):
    removed = cleaned[2]
    assert removed["share_button"] == 1
    assert removed["feedback_widget"] == 1
    assert removed["image_markup"] == 1
    # "Có thể bạn quan tâm" (line 14 of seed 002) and every boilerplate line after it
    tail = [
        i for i in EXPECTED["documents"]["002_b86183774bd0c12c.txt"]["boilerplate_lines"] if i >= 14
    ]
    assert removed["related_news"] == len(tail)


def test_nfd_input_cleans_to_the_same_body_as_nfc(rule_pack):
    text = "Chia sẻ\nHà Nội yếu kém vì thiếu vốn đầu tư cho hạ tầng giao thông đô thị.\n"
    nfc = clean_article(text, rule_pack, Counter())
    nfd = clean_article(unicodedata.normalize("NFD", text), rule_pack, Counter())
    assert nfd == nfc
    assert nfc["body"] == "Hà Nội yếu kém vì thiếu vốn đầu tư cho hạ tầng giao thông đô thị."


def test_normalise_line_is_idempotent_and_strips_invisibles():
    line = "\u00a0 Hoà\u200b  bình\u00a0\u00a0và  phát \x07  triển \ufeff"
    once = normalise_line(line)
    assert once == "Hòa bình và phát triển"
    assert normalise_line(once) == once


def test_short_and_empty_bodies_are_rejected_with_reasons(rule_pack):
    import pyarrow as pa

    from vnnews.tasks.tables import RAW_DOCUMENTS

    rows = [
        {"doc_id": "a", "source_uri": "file:///a.txt", "title": "A", "raw_text": "Chia sẻ\n"},
        {"doc_id": "b", "source_uri": "file:///b.txt", "title": "B", "raw_text": "Ngắn quá."},
    ]
    docs, _ = clean(pa.Table.from_pylist(rows, schema=RAW_DOCUMENTS), rule_pack)
    docs, rejects = filter_quality(docs, rule_pack.quality)
    assert docs.num_rows == 0
    assert dict(zip(rejects["doc_id"].to_pylist(), rejects["reason"].to_pylist(), strict=True)) == {
        "a": "empty_body",
        "b": "too_short",
    }


def test_a_broken_rule_pack_names_file_and_rule(tmp_path):
    pack = tmp_path / "pack.toml"
    pack.write_text('[[drop_line]]\nname = "bad"\npattern = "(unclosed"\n', encoding="utf-8")
    with pytest.raises(SystemExit, match=r"pack.toml: rule 'bad'"):
        RulePack.load(Path(pack))
