"""The analyst's views, written with every snapshot: checked against counts worked out by hand
on three small documents."""

from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)

from tests.test_lake import run_row
from tests.test_readme import documented_tables
from vnnews.tasks.lake import catalog, publish, rollups
from vnnews.tasks.lake.views import VIEWS
from vnnews.tasks.tables import DOCUMENTS, ENTITIES, KEYWORDS, PUBLISHED

# 23:30 UTC on 1 March is 06:30 on 2 March in Hà Nội: that document belongs to 2 March.
WHEN = {
    "d1": datetime(2025, 3, 1, 2, 0, tzinfo=UTC),
    "d2": datetime(2025, 3, 1, 23, 30, tzinfo=UTC),
    "d3": None,
}
NAMED = {"d1": ["A", "B", "A"], "d2": ["A", "B", "C"], "d3": ["C"]}


def tables() -> dict[str, pa.Table]:
    out = {name: schema.empty_table() for name, schema in PUBLISHED.items()}
    docs = [
        {"doc_id": d, "source_uri": f"file:///{d}.txt", "title": d, "body": "x",
         "published_at": when, "source": "TTXVN" if d != "d3" else None}
        for d, when in WHEN.items()
    ]  # fmt: skip
    out["documents"] = pa.Table.from_pylist(docs, schema=DOCUMENTS)
    entities = [
        {"doc_id": d, "sent_idx": 0, "type": "PER" if name != "C" else "LOC", "text": name,
         "entity_id": name, "start": i, "end": i + 1}
        for d, names in NAMED.items() for i, name in enumerate(names)
    ]  # fmt: skip
    out["entities"] = pa.Table.from_pylist(entities, schema=ENTITIES)
    keywords = [{"doc_id": d, "rank": 1, "term": "giá lúa", "score": s}
                for d, s in (("d1", 0.5), ("d2", 0.25), ("d3", 1.0))]  # fmt: skip
    out["keywords"] = pa.Table.from_pylist(keywords, schema=KEYWORDS)
    return out


def test_the_views_answer_the_common_questions(settings):
    publish.publish(settings, tables(), run_row("run-one"))

    def rows(sql):
        return catalog.query(settings, sql)[1]

    assert set(VIEWS) <= {name for (name,) in rows("SELECT view_name FROM duckdb_views()")}
    assert rows("SELECT doc_id, entity_id, day FROM mentions WHERE doc_id = 'd2' LIMIT 1") == [
        ("d2", "A", datetime(2025, 3, 2).date())
    ]
    by_day = rows("SELECT day, entity_id, mentions, documents FROM entities_by_day ORDER BY ALL")
    march = [datetime(2025, 3, d).date() for d in (1, 2)]
    assert by_day == [
        (march[0], "A", 2, 1), (march[0], "B", 1, 1),
        (march[1], "A", 1, 1), (march[1], "B", 1, 1), (march[1], "C", 1, 1),
    ]  # fmt: skip
    pairs = rows("SELECT entity_a, entity_b, documents FROM entity_cooccurrence ORDER BY ALL")
    assert pairs == [("A", "B", 2), ("A", "C", 1), ("B", "C", 1)]
    trend = rows("SELECT day, term, documents, mean_score FROM keyword_trends ORDER BY day")
    assert trend == [(march[0], "giá lúa", 1, 0.5), (march[1], "giá lúa", 1, 0.25)]
    stats = rows("SELECT documents, entity_mentions, entities, sources, runs FROM corpus_stats")
    assert stats == [(3, 7, 3, 1, 1)]
    documented = documented_tables()  # the README's columns are the views' own
    for name in [*VIEWS, "entities_by_day"]:
        assert [c for (c, *_) in rows(f"DESCRIBE {name}")] == documented[name], name


def test_every_snapshot_has_them(settings):
    publish.publish(settings, tables(), run_row("run-one"))
    publish.publish(settings, nothing(), run_row("run-two"))
    con = catalog.connect(settings, read_only=True, snapshot=1)
    try:
        assert con.sql("SELECT documents FROM corpus_stats").fetchall() == [(3,)]
    finally:
        con.close()
    # Written once: a schema change per run would stop `vnnews maintain` merging files.
    changes = catalog.query(settings, "SELECT changes FROM lake.snapshots() ORDER BY 1")[1]
    written = [c for (c,) in changes if "views_created" in c]
    assert len(written) == 1 and "main.corpus_stats" in written[0]["views_created"]


def nothing() -> dict[str, pa.Table]:
    return {name: schema.empty_table() for name, schema in PUBLISHED.items()}


def test_entities_by_day_is_recounted_for_the_days_a_run_touches(settings):
    """A table counted ahead must stay the join's answer: after adding a document to a day,
    replacing one (its old day loses it), and at the earlier snapshot."""
    publish.publish(settings, tables(), run_row("run-one"))
    later = tables()
    later["documents"] = later["documents"].filter(pa.array([False, True, False]))
    docs = later["documents"]
    fifth = pa.array(
        [datetime(2025, 3, 5, 3, 0, tzinfo=UTC)], docs.schema.field("published_at").type
    )
    later["documents"] = docs.set_column(
        docs.schema.get_field_index("published_at"), "published_at", fifth
    )
    later["entities"] = later["entities"].filter(
        pa.compute.equal(later["entities"]["doc_id"], "d2")
    )
    later["keywords"] = later["keywords"].slice(0, 0)
    ids = ["d2"]
    replacing = {"documents": ("doc_id", ids), "entities": ("doc_id", ids)}
    publish.publish(settings, later, run_row("run-two"), replacing)

    def by_day(snapshot=None):
        con = catalog.connect(settings, read_only=True, snapshot=snapshot)
        try:
            table = con.sql("SELECT * FROM entities_by_day ORDER BY ALL").fetchall()
            joined = con.sql(f"{rollups.COUNT.format(lake='lake', only='')} ORDER BY ALL")
            return table, joined.fetchall()
        finally:
            con.close()

    table, joined = by_day()
    assert table == joined
    march = [datetime(2025, 3, d).date() for d in (1, 2, 5)]
    assert [row[:3] for row in table] == [
        (march[0], "PER", "A"), (march[0], "PER", "B"),
        (march[2], "LOC", "C"), (march[2], "PER", "A"), (march[2], "PER", "B"),
    ]  # fmt: skip
    assert by_day(snapshot=1)[0] == by_day(snapshot=1)[1] and len(by_day(snapshot=1)[0]) == 5
