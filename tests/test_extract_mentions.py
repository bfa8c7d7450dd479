from datetime import UTC, date, datetime

import pytest

from vnnews.tasks.extract.quantities import find_quantities
from vnnews.tasks.extract.quotes import find_quotes
from vnnews.tasks.text.dates import find_dates


def dates(text, published=None):
    return [(text[m.start : m.end], m.fields) for m in find_dates(text, published)]


@pytest.mark.parametrize(
    ("text", "surface", "value", "precision", "dmy"),
    [
        ("Ngày 14/5, tại họp báo", "14/5", None, "day", (14, 5, None)),
        ("Sáng 20/03/2025, đoàn đến", "20/03/2025", date(2025, 3, 20), "day", (20, 3, 2025)),
        (
            "vào ngày 14 tháng 5 năm 2020",
            "ngày 14 tháng 5 năm 2020",
            date(2020, 5, 14),
            "day",
            (14, 5, 2020),
        ),
        ("trong tháng 5/2020 vừa qua", "tháng 5/2020", date(2020, 5, 1), "month", (None, 5, 2020)),
        ("kế hoạch năm 2025 của tỉnh", "năm 2025", date(2025, 1, 1), "year", (None, None, 2025)),
    ],
)
def test_absolute_and_partial_dates(text, surface, value, precision, dmy):
    ((found, fields),) = dates(text)
    assert found == surface
    assert (fields["value"], fields["precision"]) == (value, precision)
    assert (fields["day"], fields["month"], fields["year"]) == dmy


def test_relative_dates_are_anchored_to_publication_only_when_known():
    published = datetime(2024, 10, 14, 3, 0, tzinfo=UTC)
    found = dict(dates("Hôm qua và tuần trước, năm ngoái", published))
    assert found["Hôm qua"]["value"] == date(2024, 10, 13)
    assert found["tuần trước"]["value"] == date(2024, 10, 7)
    assert found["năm ngoái"]["value"] == date(2023, 1, 1)
    assert all(f["relative"] for f in found.values())
    unanchored = dict(dates("hôm qua"))
    assert unanchored["hôm qua"]["value"] is None


@pytest.mark.parametrize(
    "text", ["kỷ niệm 70 năm", "phục vụ 24/7", "Covid-19", "ASEAN+3", "ngày 31/2"]
)
def test_things_that_are_not_dates(text):
    assert dates(text) == []


@pytest.mark.parametrize(
    ("text", "value", "unit", "kind"),
    [
        ("bị phạt 140 triệu đồng", 140_000_000, "VND", "money"),
        ("xuất khẩu đạt 4,2 tỷ USD", 4_200_000_000, "USD", "money"),
        ("tiếp nhận 10.000 hồ sơ", 10_000, "hồ sơ", "count"),
        ("tăng 8% so với", 8, "%", "percent"),
        ("đoạn dài 88 km", 88, "km", "measure"),
    ],
)
def test_quantities(text, value, unit, kind):
    nouns = {text.find("hồ sơ"): "hồ sơ"} if "hồ sơ" in text else {}
    ((m),) = find_quantities(text, nouns, find_dates(text))
    assert (m.fields["value"], m.fields["unit"], m.fields["kind"]) == (value, unit, kind)


def test_numbers_inside_dates_and_names_are_not_quantities():
    text = "Ngày 14/5, Covid-19 và ASEAN+3"
    assert find_quantities(text, {}, find_dates(text)) == []


def test_quote_with_speaker_before_and_after():
    body = (
        "Bộ trưởng Lê Văn A cho biết: “Chúng tôi sẽ làm ngay.”\n"
        "“Đây là ưu tiên”, bà Trần Thị B nói."
    )
    people = [
        (body.index("Lê Văn A"), body.index("Lê Văn A") + 8, "Lê Văn A"),
        (body.index("Trần Thị B"), body.index("Trần Thị B") + 10, "Trần Thị B"),
    ]
    quotes = find_quotes(body, people)
    assert [(q.text, q.speaker, q.verb) for q in quotes] == [
        ("Chúng tôi sẽ làm ngay.", "Lê Văn A", "cho biết"),
        ("Đây là ưu tiên", "Trần Thị B", "nói"),
    ]
    for q in quotes:
        assert body[q.start : q.end] == q.text


def test_scare_quotes_have_no_speaker():
    (quote,) = find_quotes("với tinh thần “chống dịch như chống giặc”.", [])
    assert quote.speaker is None and quote.text == "chống dịch như chống giặc"
