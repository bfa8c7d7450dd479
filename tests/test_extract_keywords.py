import pyarrow as pa

from vnnews.tasks.extract.keywords import keywords, merge_df, retired_df
from vnnews.tasks.tables import TERM_DF, TOKENS


def tokens(*docs):
    rows = []
    for doc_id, words in docs:
        for i, (word, pos) in enumerate(words):
            rows.append({"doc_id": doc_id, "sent_idx": 0, "tok_idx": i, "word": word, "pos": pos})
    return pa.Table.from_pylist(rows, schema=TOKENS)


def test_rare_content_words_rank_first_and_stopwords_never_appear(gazetteer):
    batch = tokens(
        (
            "a",
            [("sầu riêng", "N"), ("sầu riêng", "N"), ("xuất khẩu", "V"), ("của", "E"), ("là", "V")],
        ),
        ("b", [("xuất khẩu", "V"), ("gạo", "N"), ("10", "M")]),
    )
    table, df = keywords(batch, TERM_DF.empty_table(), 0, gazetteer.stopwords)
    ranked = [r["term"] for r in table.to_pylist() if r["doc_id"] == "a"]
    assert ranked == ["sầu riêng", "xuất khẩu"]
    assert "là" not in ranked and "10" not in {r["term"] for r in table.to_pylist()}
    assert dict(zip(df["term"].to_pylist(), df["df"].to_pylist(), strict=True))["xuất khẩu"] == 2


def test_published_frequencies_lower_a_common_term(gazetteer):
    batch = tokens(("a", [("gạo", "N"), ("lúa", "N")]))
    common = pa.Table.from_pylist([{"term": "gạo", "df": 100}], schema=TERM_DF)
    table, _ = keywords(batch, common, 100, gazetteer.stopwords)
    assert [r["term"] for r in table.to_pylist()] == ["lúa", "gạo"]


def test_a_replaced_version_takes_its_document_frequencies_back():
    words = [("Hà Nội", "Np"), ("mưa", "N"), ("mưa", "N"), ("và", "C")]
    rows = [
        {c: None for c in TOKENS.names} | {"doc_id": "old", "word": w, "pos": p} for w, p in words
    ]
    retired = retired_df(pa.Table.from_pylist(rows, schema=TOKENS), frozenset({"và"}))
    assert retired.to_pylist() == [{"term": "hà nội", "df": -1}, {"term": "mưa", "df": -1}]
    published = pa.Table.from_pylist(
        [{"term": "mưa", "df": 3}, {"term": "hà nội", "df": 1}], TERM_DF
    )
    assert merge_df(published, retired).to_pylist() == [{"term": "mưa", "df": 2}]
