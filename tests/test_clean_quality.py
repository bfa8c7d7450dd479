import pyarrow as pa
import pytest

from vnnews.tasks.clean.quality import filter_quality, problem
from vnnews.tasks.clean.rules import Quality
from vnnews.tasks.tables import DOCUMENTS

Q = Quality()
VIETNAMESE = (
    "Hà Nội đẩy nhanh tiến độ các dự án giao thông trọng điểm trong năm nay để giảm ùn tắc."
)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("", "empty_body"),
        ("Quá ngắn.", "too_short"),
        (
            "The city will speed up its main transport projects this year "
            "to cut congestion in the centre.",
            "not_vietnamese",
        ),
        (
            "12345 67890 | 2024-01-01 | 3.14159 | 2.71828 | 1.41421 | 99.9% | "
            "0001 0002 0003 0004 ###",
            "mostly_non_text",
        ),
    ],
)
def test_each_filter_names_its_reason(body, reason):
    assert problem(body, Q)[0] == reason


def test_good_vietnamese_passes_and_rejects_keep_ids():
    rows = [
        {"doc_id": "ok", "source_uri": "u1", "body": VIETNAMESE},
        {"doc_id": "bad", "source_uri": "u2", "body": ""},
    ]
    kept, rejects = filter_quality(pa.Table.from_pylist(rows, schema=DOCUMENTS), Q)
    assert kept["doc_id"].to_pylist() == ["ok"]
    assert rejects.select(["doc_id", "reason"]).to_pylist() == [
        {"doc_id": "bad", "reason": "empty_body"}
    ]
