"""`vnnews search` on a lake of real-shaped articles (the outlet fixture sets, published by a
real run): a few words of an article find it, typed with or without diacritics."""

import json
import re

import pytest
from typer.testing import CliRunner

from tests.fixture_check import BLIND, FIXTURES, HELDOUT, UNSEEN
from vnnews.flows.cli.app import app
from vnnews.flows.pipeline import pipeline
from vnnews.tasks.lake import catalog, search
from vnnews.tasks.settings import load_settings

runner = CliRunner()


@pytest.fixture(scope="module")
def lake(prefect_harness, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("search") / "data"
    sources = [str(p) for p in (FIXTURES, UNSEEN, HELDOUT, BLIND)]
    summary = pipeline(sources=sources, data_dir=str(data_dir))
    assert summary.status == "published" and summary.n_published >= 80
    return data_dir


def hits(lake, query, *args) -> list[dict]:
    result = runner.invoke(app, ["search", query, "--data-dir", str(lake), "-f", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def phrases(lake, n=20) -> list[tuple[str, str]]:
    """(doc_id, three consecutive words from the middle of its body) for n documents."""
    settings = load_settings(data_dir=lake)
    rows = catalog.query(settings, "SELECT doc_id, body FROM documents ORDER BY doc_id")[1]
    out = []
    for doc_id, body in rows[:: max(1, len(rows) // n)][:n]:
        words = [w for w in re.findall(r"[^\W\d_]+", body)]
        middle = len(words) // 2
        out.append((doc_id, " ".join(words[middle : middle + 3])))
    return out


def test_three_words_find_their_article_with_or_without_diacritics(lake):
    found = folded = 0
    for doc_id, phrase in phrases(lake):
        found += doc_id in [h["doc_id"] for h in hits(lake, phrase, "--limit", "3")]
        plain = search.fold(phrase)
        folded += doc_id in [h["doc_id"] for h in hits(lake, plain, "--limit", "3")]
    assert found >= 18 and folded >= 15, (found, folded)


def test_a_hit_says_where_and_marks_the_match(lake):
    hit = hits(lake, "Việt Nam", "--limit", "1")[0]
    assert set(hit) == {"doc_id", "source_uri", "title", "published_at", "score", "snippet"}
    assert "«Việt» «Nam»" in hit["snippet"] and hit["score"] > 0


def test_filters_by_source_and_dates(lake):
    every = hits(lake, "Hà Nội", "--limit", "200")
    some = hits(lake, "Hà Nội", "--limit", "200", "--source", "unseen/laodong")
    assert 0 < len(some) < len(every) and all("laodong" in h["source_uri"] for h in some)
    dated = [h for h in every if h["published_at"]]
    day = sorted(h["published_at"][:10] for h in dated)[len(dated) // 2]
    later = hits(lake, "Hà Nội", "--limit", "200", "--since", day)
    assert later and all(h["published_at"][:10] >= day for h in later)
    assert len(later) < len(every)


def test_the_words_of_the_index_are_the_segmented_words():
    assert search.fold("Đảng Cộng sản Việt Nam") == "dang cong san viet nam"
    terms = search.query_terms("Việt Nam")
    assert {"việt_nam", "viet_nam", "việt", "nam"} <= set(terms)
    text = search.snippet("Trời mưa. Giá lúa tăng mạnh ở miền Tây.", "gia lua")
    assert text == "«Giá» «lúa» tăng mạnh ở miền Tây."
