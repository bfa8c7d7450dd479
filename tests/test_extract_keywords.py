import pyarrow as pa

from vnnews.tasks.extract.keywords import keywords, merge_df, retired_df
from vnnews.tasks.tables import TERM_DF, TOKENS


def tokens(*docs):
    """docs: (doc_id, [sentence, ...]) with each sentence a list of (word, pos)."""
    rows = []
    for doc_id, sentences in docs:
        for s, words in enumerate(sentences):
            for i, (word, pos) in enumerate(words):
                rows.append(
                    {"doc_id": doc_id, "sent_idx": s, "tok_idx": i, "word": word, "pos": pos}
                )
    return pa.Table.from_pylist(rows, schema=TOKENS)


def ranked(table, doc_id="a"):
    return [r["term"] for r in table.to_pylist() if r["doc_id"] == doc_id]


def test_noun_runs_are_phrases_without_counters_units_or_stopwords(gazetteer):
    sentence = [("Giá", "N"), ("cà phê", "N"), ("tăng", "V"), ("50.000", "M"), ("đồng", "Nu"),
                ("mỗi", "L"), ("chiếc", "Nc"), ("xe", "N"), ("điện", "N"), ("của", "E"),
                ("Trung Quốc", "Np"), ("là", "V")]  # fmt: skip
    table, df = keywords(tokens(("a", [sentence])), TERM_DF.empty_table(), 0, gazetteer.stopwords)
    # The sentence's capital is not the phrase's; a name keeps its own.
    assert set(ranked(table)) == {"giá cà phê", "xe điện", "Trung Quốc"}
    assert "là" not in ranked(table) and "đồng" not in ranked(table)
    assert set(df["term"].to_pylist()) == {"giá cà phê", "xe điện", "trung quốc"}


def test_a_phrase_is_shown_as_it_is_mostly_written(gazetteer):
    # Capitalised at the start of a sentence once, lower case inside two: shown in lower case.
    doc = [[("Sầu riêng", "N"), ("tăng", "V")], [("giá", "V"), ("sầu riêng", "N")],
           [("bán", "V"), ("sầu riêng", "N")]]  # fmt: skip
    table, _ = keywords(tokens(("a", doc)), TERM_DF.empty_table(), 0, gazetteer.stopwords)
    assert ranked(table) == ["sầu riêng"]


def test_one_word_common_nouns_must_recur_and_rank_below_names(gazetteer):
    doc = [[("giá", "N"), ("tăng", "V")], [("xuất khẩu", "V"), ("gạo", "N"), ("sang", "E"),
           ("Thái Lan", "Np")], [("giá", "N"), ("ở", "E"), ("Thái Lan", "Np"), ("cao", "A")],
           [("thị trường", "N"), ("lúa", "N"), ("gạo", "N")]]  # fmt: skip
    table, _ = keywords(tokens(("a", doc)), TERM_DF.empty_table(), 0, gazetteer.stopwords)
    assert ranked(table)[0] == "Thái Lan"
    assert "giá" in ranked(table)  # twice: kept, at half weight
    assert "gạo" not in ranked(table)  # once on its own: a passing mention
    assert "thị trường lúa gạo" in ranked(table)


def test_generic_nouns_go_once_the_corpus_can_tell(gazetteer):
    common = pa.Table.from_pylist([{"term": "nước", "df": 40}], schema=TERM_DF)
    doc = [[("nước", "N"), ("sạch", "A")], [("nhà máy", "N"), ("nước", "N")],
           [("thiếu", "V"), ("nước", "N")]]  # fmt: skip
    table, _ = keywords(tokens(("a", doc)), common, 100, gazetteer.stopwords)
    assert "nước" not in ranked(table) and "nhà máy nước" in ranked(table)
    # In a corpus too small to tell, the same noun stays (at a lower weight).
    table, _ = keywords(tokens(("a", doc)), common, 10, gazetteer.stopwords)
    assert "nước" in ranked(table)


def test_published_frequencies_lower_a_common_term(gazetteer):
    batch = tokens(("a", [[("gạo", "N"), ("ăn", "V"), ("lúa", "N"), ("và", "C"), ("gạo", "N")],
                          [("lúa", "N"), ("chín", "V")]]))  # fmt: skip
    common = pa.Table.from_pylist([{"term": "gạo", "df": 10}], schema=TERM_DF)
    table, _ = keywords(batch, common, 20, gazetteer.stopwords)
    assert ranked(table) == ["lúa", "gạo"]


def test_a_replaced_version_takes_its_document_frequencies_back():
    words = [("Hà Nội", "Np"), ("mưa", "V"), ("mưa", "N"), ("và", "C")]
    rows = [
        {c: None for c in TOKENS.names}
        | {"doc_id": "old", "sent_idx": 0, "tok_idx": i}
        | {"word": w, "pos": p}
        for i, (w, p) in enumerate(words)
    ]
    retired = retired_df(pa.Table.from_pylist(rows, schema=TOKENS), frozenset({"và"}))
    assert retired.to_pylist() == [{"term": "hà nội", "df": -1}, {"term": "mưa", "df": -1}]
    published = pa.Table.from_pylist(
        [{"term": "mưa", "df": 3}, {"term": "hà nội", "df": 1}], TERM_DF
    )
    assert merge_df(published, retired).to_pylist() == [{"term": "mưa", "df": 2}]
