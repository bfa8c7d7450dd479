"""One test per rule of the boilerplate rule pack, from the rule's own `examples` and `keeps`."""

from collections import Counter

import pytest

from vnnews.tasks.clean.clean import clean_article
from vnnews.tasks.clean.rules import RulePack
from vnnews.tasks.settings import PROJECT_ROOT

PACK = RulePack.load(PROJECT_ROOT / "seeds" / "rules" / "boilerplate.toml")
BODY = "Đây là một đoạn văn bình thường của bài báo, dài đủ để không bị coi là rác."


@pytest.mark.parametrize("rule", PACK.rules, ids=lambda r: f"{r.kind}:{r.name}")
def test_rule_matches_its_examples_and_keeps_real_paragraphs(rule):
    assert rule.examples, f"rule {rule.name} needs examples in the rule pack"
    for example in rule.examples:
        assert rule.pattern.search(example), f"{rule.name} misses {example!r}"
    for keep in rule.keeps:
        assert not rule.pattern.search(keep), f"{rule.name} wrongly matches {keep!r}"


@pytest.mark.parametrize("rule", PACK.rules, ids=lambda r: f"{r.kind}:{r.name}")
def test_rule_examples_never_reach_the_body(rule):
    for example in rule.examples:
        if rule.kind == "source_marker":
            lines = [example]
        elif rule.where == "last" or rule.kind == "source_trailer":
            lines = [BODY, example]
        elif rule.kind == "dateline":
            lines = [example, BODY]
        else:
            lines = [BODY, example, BODY.replace("bình thường", "tiếp theo")]
        removed = Counter()
        cleaned = clean_article("\n".join(lines), PACK, removed)
        paragraphs = cleaned["body"].split("\n")
        assert example not in paragraphs
        assert removed[rule.name] >= 1, f"{example!r} was removed by another rule: {removed}"
