"""Properties of clean: idempotent, and no paragraph is lost unless a named rule removed it."""

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fixture_check import EXPECTED
from tests.test_clean_rules import PACK
from vnnews.tasks.clean.clean import clean_article
from vnnews.tasks.text.orthography import normalise_line

WORDS = sorted(
    {w.strip(".,") for d in EXPECTED["documents"].values() for p in d["body"] for w in p.split()}
)
FURNITURE = [e for rule in PACK.rules for e in rule.examples]

sentence = st.lists(st.sampled_from(WORDS), min_size=4, max_size=25).map(
    lambda ws: " ".join(ws) + "."
)
paragraph = st.lists(sentence, min_size=1, max_size=3).map(" ".join)
line = st.one_of(paragraph, paragraph, st.sampled_from(FURNITURE))
article = st.lists(line, min_size=1, max_size=12)


def named_by_a_rule(text: str) -> bool:
    return any(rule.pattern.search(text) for rule in PACK.rules)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(article)
def test_clean_is_idempotent(lines):
    once = clean_article("\n".join(lines), PACK, Counter())
    twice = clean_article(once["body"], PACK, Counter())
    assert twice["body"] == once["body"]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(article)
def test_paragraphs_no_rule_names_are_kept(lines):
    body = clean_article("\n".join(lines), PACK, Counter())["body"].split("\n")
    for text in lines:
        if PACK.first("truncate", normalise_line(text)):
            break  # the related-news area: everything after it is named by that rule
        if not named_by_a_rule(normalise_line(text)):
            assert normalise_line(text) in body
