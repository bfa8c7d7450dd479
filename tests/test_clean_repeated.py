"""Lines an outlet repeats across articles are furniture (`repeated_line`), counted per outlet
over distinct articles, in the run and against what was published."""

from collections import Counter

import pyarrow as pa

from tests.test_clean_rules import PACK
from vnnews.tasks.clean.clean import clean, clean_article
from vnnews.tasks.clean.repeated import COUNTS, furniture, line_hashes, line_key, outlet_of
from vnnews.tasks.tables import RAW_DOCUMENTS

PROMPT = "Mời quý độc giả theo dõi chuyên trang Kinh tế số của báo vào mỗi sáng thứ hai."
PROSE = "Giá cà phê nhân xô tại Đắk Lắk sáng nay đạt khoảng 128.000 đồng mỗi kg, cao nhất từ trước."


def raw(rows: list[dict]) -> pa.Table:
    full = [
        {"doc_id": f"d{i}", "source_uri": f"file:///crawl/x/{i}.txt", "title": f"Tin {i}", **row}
        for i, row in enumerate(rows)
    ]
    return pa.Table.from_pylist(full, schema=RAW_DOCUMENTS)


def test_the_outlet_is_the_host_else_the_source_else_the_folder():
    assert outlet_of({"url": "https://www.plo.vn/a.html", "source": "PLO"}) == "plo.vn"
    assert outlet_of({"url": None, "source": " TTXVN "}) == "ttxvn"
    assert outlet_of({"source_uri": "file:///crawl/dantri/01.txt"}) == "file:///crawl/dantri"
    assert outlet_of({"source_uri": "file:///crawl/export.jsonl#L3"}) == "file:///crawl"


def test_a_line_in_three_articles_of_one_outlet_is_furniture():
    table = raw([{"raw_text": f"{PROSE} {i}\n{PROMPT}"} for i in range(3)])
    found = furniture(table, line_hashes(table, PACK.repeated), COUNTS.empty_table(), PACK.repeated)
    assert found == {"file:///crawl/x": frozenset({line_key(PROMPT)})}


def test_copies_of_one_article_count_once():
    rows = [{"raw_text": f"{PROSE}\n{PROMPT}", "title": "Cùng một tin"} for _ in range(3)]
    table = raw(rows).set_column(2, "title", pa.array(["Cùng một tin"] * 3))
    found = furniture(table, line_hashes(table, PACK.repeated), COUNTS.empty_table(), PACK.repeated)
    assert found == {}


def test_other_outlets_do_not_add_up():
    rows = [{"raw_text": PROMPT, "url": f"https://site{i}.vn/a"} for i in range(3)]
    table = raw(rows)
    found = furniture(table, line_hashes(table, PACK.repeated), COUNTS.empty_table(), PACK.repeated)
    assert found == {}


def test_published_articles_count_too():
    table = raw([{"raw_text": PROMPT}])
    published = pa.Table.from_pylist(
        [{"outlet": "file:///crawl/x", "line_hash": line_key(PROMPT), "n": 2}], schema=COUNTS
    )
    assert furniture(table, line_hashes(table, PACK.repeated), published, PACK.repeated) == {
        "file:///crawl/x": frozenset({line_key(PROMPT)})
    }


def test_clean_removes_repeated_lines_but_keeps_a_reporters_name():
    repeated = frozenset({line_key(PROMPT), line_key("Minh Anh")})
    removed = Counter()
    cleaned = clean_article(f"Minh Anh\n{PROSE}\n{PROMPT}\n{PROSE}", PACK, removed, repeated)
    assert cleaned["body"] == f"{PROSE}\n{PROSE}"
    assert cleaned["author"] == "Minh Anh"
    assert removed["repeated_line"] == 1


def test_clean_applies_each_documents_outlet():
    table = raw(
        [
            {"raw_text": f"{PROSE}\n{PROMPT}", "url": "https://a.vn/1"},
            {"raw_text": f"{PROSE}\n{PROMPT}"},
        ]
    )
    docs, removed = clean(table, PACK, {"a.vn": frozenset({line_key(PROMPT)})})
    assert docs["body"].to_pylist() == [PROSE, f"{PROSE}\n{PROMPT}"]
    assert removed["repeated_line"] == 1
