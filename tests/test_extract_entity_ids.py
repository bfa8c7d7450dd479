"""entity_id: aliases and short forms of one entity share one id, in the published rows too."""

import pyarrow as pa
import pytest

from tests.fixture_check import FIXTURES
from vnnews.tasks.clean.clean import clean
from vnnews.tasks.extract.entity_ids import assign_ids
from vnnews.tasks.extract.extract import extract
from vnnews.tasks.ingest.ingest import discover, ingest
from vnnews.tasks.nlp.tokenise import tokenise
from vnnews.tasks.tables import DOCUMENTS


def row(kind: str, normalized: str, start: int | None) -> dict:
    return {"type": kind, "normalized": normalized, "start": start}


def ids(rows: list[dict], gazetteer) -> list[str]:
    assign_ids(rows, gazetteer.aliases)
    return [r["entity_id"] for r in rows]


@pytest.mark.parametrize(
    ("kind", "written", "canonical"),
    [
        ("LOC", "Nhật", "Nhật Bản"),
        ("LOC", "VN", "Việt Nam"),
        ("LOC", "Việt", "Việt Nam"),
        ("LOC", "Hoa Kỳ", "Mỹ"),
        ("LOC", "Hồ Chí Minh", "TP.HCM"),  # "thành phố Hồ Chí Minh" once "thành phố" is dropped
        ("LOC", "tp hcm", "TP.HCM"),  # case is ignored
        ("ORG", "Bộ GD&ĐT", "Bộ Giáo dục và Đào tạo"),
        ("ORG", "NHNN", "Ngân hàng Nhà nước"),
        ("ORG", "UBND TP HCM", "UBND TP.HCM"),
    ],
)
def test_an_alias_takes_its_canonical_name(gazetteer, kind, written, canonical):
    assert ids([row(kind, written, 0)], gazetteer) == [canonical]


def test_an_alias_counts_only_for_its_own_type(gazetteer):
    assert ids([row("PER", "Hồ Chí Minh", 0), row("MISC", "Việt", 20)], gazetteer) == [
        "Hồ Chí Minh",
        "Việt",
    ]


def test_a_later_short_name_is_the_one_earlier_person_it_ends(gazetteer):
    rows = [
        row("PER", "Phúc", 0),  # before any full mention: nothing to resolve it to
        row("PER", "Nguyễn Xuân Phúc", 10),
        row("PER", "Xuân Phúc", 40),
        row("PER", "Phúc", 60),
        row("PER", "Lan", 80),
    ]
    assert ids(rows, gazetteer) == [
        "Phúc",
        "Nguyễn Xuân Phúc",
        "Nguyễn Xuân Phúc",
        *[
            "Nguyễn Xuân Phúc",
            "Lan",
        ],
    ]


def test_a_short_name_two_earlier_people_share_stays_as_written(gazetteer):
    rows = [
        row("PER", "Trần Văn Hùng", 0),
        row("PER", "Lê Quang Hùng", 20),
        row("PER", "Hùng", 40),
        row("PER", "Văn Hùng", 60),
    ]
    assert ids(rows, gazetteer) == ["Trần Văn Hùng", "Lê Quang Hùng", "Hùng", "Trần Văn Hùng"]


def test_names_outside_the_body_get_an_id_and_come_last(gazetteer):
    rows = [row("ORG", "TTXVN", None), row("LOC", "Nhật", 5), row("LOC", "Hà Nội", 1)]
    assert ids(rows, gazetteer) == ["TTXVN", "Nhật Bản", "Hà Nội"]


def test_published_rows_count_one_entity_once_and_quote_its_full_name(gazetteer):
    body = (
        "Thủ tướng Nguyễn Xuân Phúc tiếp Đại sứ Nhật Bản tại Hà Nội.\n"
        "Sau buổi tiếp, ông Phúc cho biết: “Quan hệ với Nhật đang ở giai đoạn tốt nhất”.\n"
        "Cổ phiếu HPG và MB tăng mạnh.\nMực nước sông Đuống lên nhanh ở tỉnh Bắc Ninh."
    )
    documents = pa.Table.from_pylist([{"doc_id": "d", "body": body}], schema=DOCUMENTS)
    sentences, tokens, _ = tokenise(documents)
    found = extract(documents, sentences, tokens, gazetteer)[0]
    rows = found["entities"].to_pylist()
    by_text = {(r["type"], r["text"]): r["entity_id"] for r in rows}
    assert by_text[("PER", "Phúc")] == by_text[("PER", "Nguyễn Xuân Phúc")] == "Nguyễn Xuân Phúc"
    assert by_text[("LOC", "Nhật")] == by_text[("LOC", "Nhật Bản")] == "Nhật Bản"
    assert by_text[("LOC", "tỉnh Bắc Ninh")] == "Bắc Ninh"
    assert by_text[("ORG", "HPG")] == "HPG" and by_text[("ORG", "MB")] == "MB"  # never LOC
    assert {r["type"] for r in rows if r["text"] in ("HPG", "MB")} == {"ORG"}
    assert ("LOC", "sông Đuống") in {(r["type"], r["normalized"]) for r in rows}
    (quote,) = found["quotes"].to_pylist()
    assert quote["speaker"] == "Nguyễn Xuân Phúc"


def test_the_fixture_articles_count_each_entity_once(gazetteer, rule_pack):
    """On the 30 fixture articles as the flow cleans them: a later short name takes the full name,
    and a place's administrative forms are one entity."""
    raw, _ = ingest(discover([FIXTURES]), rule_pack.html)
    documents, _ = clean(raw, rule_pack)
    sentences, tokens, _ = tokenise(documents)
    rows = extract(documents, sentences, tokens, gazetteer)[0]["entities"].to_pylist()
    written: dict[tuple, set] = {}
    for r in rows:
        written.setdefault((r["type"], r["entity_id"]), set()).add(r["text"])
    assert {"Hạnh", "Trương Thị Hồng Hạnh"} <= written[("PER", "Trương Thị Hồng Hạnh")]
    assert {"Hà Nội", "Thành phố Hà Nội"} <= written[("LOC", "Hà Nội")]
    assert len(written) < len({(r["type"], r["normalized"]) for r in rows})
