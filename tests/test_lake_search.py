"""`vnnews search` and SQL's `search()` on a lake of real-shaped articles (the outlet fixture
sets, published by a real run): a few words of an article find it, typed with or without
diacritics, ranked as DuckDB's fts extension ranks them."""

import json
import re

import pytest
from typer.testing import CliRunner

import vnnews
from tests.fixture_check import BLIND, FIXTURES, HELDOUT, PROJECT_ROOT, UNSEEN
from vnnews.flows.cli.app import app
from vnnews.flows.pipeline import pipeline
from vnnews.tasks.lake import catalog, extensions, history, search, search_index
from vnnews.tasks.settings import load_settings

runner = CliRunner()


@pytest.fixture(scope="module")
def lake(prefect_harness, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("search") / "data"
    outlets = PROJECT_ROOT / "tests" / "outlets"
    sources = [str(p) for p in (FIXTURES, UNSEEN, HELDOUT, BLIND, outlets)]
    summary = pipeline(sources=sources, data_dir=str(data_dir))
    assert summary.status == "published" and summary.n_published >= 150
    return data_dir


def hits(lake, query, *args) -> list[dict]:
    result = runner.invoke(app, ["search", query, "--data-dir", str(lake), "-f", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


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
        plain = search_index.fold(phrase)
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
    assert search_index.fold("Đảng Cộng sản Việt Nam") == "dang cong san viet nam"
    terms = search.query_terms("Việt Nam")
    assert {"việt_nam", "viet_nam", "việt", "nam"} <= set(terms)
    text = search.snippet("Trời mưa. Giá lúa tăng mạnh ở miền Tây.", "gia lua")
    assert text == "«Giá» «lúa» tăng mạnh ở miền Tây."


def sql(lake, query: str) -> list[dict]:
    result = runner.invoke(app, ["sql", query, "--data-dir", str(lake), "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_sql_search_macro_ranks_as_the_command_does(lake):
    for query, options, arguments in [
        ("giá lúa gạo", [], ""),
        ("ha noi", ["--source", "unseen/laodong"], ", source := 'unseen/laodong'"),
        ("Việt Nam", ["--since", "2025-06-01", "--until", "2025-12-31"],
         ", since := '2025-06-01', until := '2025-12-31'"),
    ]:  # fmt: skip
        expected = hits(lake, query, "--limit", "7", *options)
        found = sql(lake, f"SELECT * FROM search('{query}', k := 7{arguments})")
        assert expected and found == expected, query
    # In a notebook too, on its cursors, and at a snapshot of its own (its own index).
    con = vnnews.connect(lake, as_of=1)
    expected = [h["doc_id"] for h in hits(lake, "giá lúa gạo", "-n", "3")]
    for each in (con, con.cursor()):
        rows = each.execute("SELECT doc_id FROM search('giá lúa gạo', k := 3)").fetchall()
        assert [r[0] for r in rows] == expected


def test_scores_are_bm25_as_the_fts_extension_computes_them(lake):
    """The posting lists give the scores DuckDB's fts extension gives the same terms."""
    settings = load_settings(data_dir=lake)
    snapshot = history.latest(settings)
    docs = catalog.query(settings, search_index.DOCS)[1]
    con = extensions.connect()
    extensions.load(con, "fts")
    con.execute("CREATE TABLE docs (name VARCHAR, words VARCHAR, folded VARCHAR)")
    rows = [(d[0], t := search_index.terms(d[1], d[6], d[7]), search_index.fold(t)) for d in docs]
    con.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
    con.execute(
        "PRAGMA create_fts_index('docs', 'name', 'words', 'folded', stemmer = 'none', "
        "stopwords = 'none', ignore = '\\s+', strip_accents = 0, lower = 0)"
    )
    for query in ("giá lúa gạo", "Thành phố Hồ Chí Minh", "bao nhieu"):
        terms = " ".join(search.query_terms(query))
        expected = con.execute(
            "SELECT name, score FROM (SELECT name, fts_main_docs.match_bm25(name, ?) AS score "
            "FROM docs) WHERE score IS NOT NULL ORDER BY score DESC, name LIMIT 10",
            [terms],
        ).fetchall()
        found = search.search(settings, snapshot, query, 10)
        assert [h.doc_id for h in found] == [name for name, _ in expected], query
        assert [h.score for h in found] == pytest.approx([s for _, s in expected], rel=1e-4)
