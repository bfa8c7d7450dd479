"""The independent outlet pages (tests/outlets): every article is published, none of its text lost.

How clean the kept text is on these pages is measured, not asserted here: the benchmark
(python -m benchmarks.clean_quality) prints precision and recall per outlet.
"""

from collections import Counter

import pytest

from tests.fixture_check import (
    OUTLETS,
    cleaned_fixtures,
    expected,
    furniture_lines,
    lost_paragraphs,
)

WANTED = expected(OUTLETS)["documents"]


@pytest.fixture(scope="module")
def results(rule_pack):
    return cleaned_fixtures(rule_pack, OUTLETS)


def test_the_set_has_forty_pages_from_eight_outlets_in_both_formats():
    on_disk = {p.relative_to(OUTLETS).as_posix() for p in OUTLETS.glob("*/*.*")}
    assert on_disk == set(WANTED)
    per_outlet = Counter(key.split("/")[0] for key in WANTED)
    assert len(WANTED) >= 40 and len(per_outlet) >= 8
    for outlet in per_outlet:
        assert {k.rsplit(".", 1)[1] for k in WANTED if k.startswith(f"{outlet}/")} == {
            "txt",
            "html",
        }


def test_every_page_is_published_with_its_headline(results):
    published, dropped = results
    assert dropped == {}
    assert {k: v["title"] for k, v in published.items()} == {
        k: v["title"] for k, v in WANTED.items()
    }


def test_no_article_paragraph_is_lost(results):
    assert lost_paragraphs(results[0], WANTED) == []


def test_the_html_lead_comes_before_the_rest_of_the_article(results):
    def position(paragraph, kept):
        return next(i for i, x in enumerate(kept) if paragraph in x)

    for key, want in WANTED.items():
        if key.endswith(".html"):
            kept = results[0][key]["body"]
            assert position(want["body"][0], kept) < position(want["body"][1], kept), key


def test_furniture_lines_leave_out_every_article_line():
    lines = set(furniture_lines(OUTLETS))
    article = {p for want in WANTED.values() for p in want["body"]}
    assert len(lines) >= 200
    assert not lines & article
    assert "Copy link thành công" in lines and "Tổng biên tập: Phạm Hiếu" in lines
