"""The 30 hand-written fixture articles (tests/fixtures) clean exactly as expected.json says."""

import pytest

from tests.fixture_check import EXPECTED, cleaned_fixtures, paragraph_scores

FIELDS = ("title", "body", "captions", "source", "author", "published_at")


@pytest.fixture(scope="module")
def results(rule_pack):
    return cleaned_fixtures(rule_pack)


def test_there_are_at_least_thirty_fixtures_in_every_format():
    keys = EXPECTED["documents"]
    assert len(keys) >= 30
    assert {k.split("/")[0] for k in keys} == {"txt", "html", "jsonl"}


@pytest.mark.parametrize("key", sorted(EXPECTED["documents"]))
def test_fixture_cleans_exactly(results, key):
    got = results[0].get(key)
    assert got is not None, f"{key} was not published"
    want = EXPECTED["documents"][key]
    for name in FIELDS:
        assert got[name] == want[name], f"{key}: {name}"


def test_bad_records_are_rejected_with_reasons(results):
    assert results[1] == EXPECTED["rejects"]


def test_paragraph_precision_and_recall(results):
    precision, recall, _ = paragraph_scores(results[0], EXPECTED["documents"])
    assert precision >= 0.98
    assert recall >= 0.98
