"""The stage suites on real stage output (the seeds), and on the same output with one defect
injected: the expectation that guards against that defect, and only it, fails."""

import json
import shutil
import unicodedata

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from tests.conftest import SEEDS
from vnnews.tasks.checks import frames
from vnnews.tasks.checks.findings import STAGES
from vnnews.tasks.checks.validate import build_docs, parameters, validate
from vnnews.tasks.clean import clean, quality
from vnnews.tasks.clean.dedup import deduplicate
from vnnews.tasks.extract import extract
from vnnews.tasks.ingest.ingest import discover, ingest
from vnnews.tasks.nlp import tokenise
from vnnews.tasks.settings import PROJECT_ROOT
from vnnews.tasks.tables import SIGNATURES

CONTEXT = PROJECT_ROOT / "expectations"
KINDS = ("suites", "validation_definitions", "checkpoints")


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def seeds(rule_pack, gazetteer):
    """Every stage's real output on the two seed articles."""
    raw = ingest(discover([SEEDS]))[0]
    documents, _ = clean.clean(raw, rule_pack)
    documents, _ = quality.filter_quality(documents, rule_pack.quality)
    documents, _, signatures = deduplicate(documents, SIGNATURES.empty_table())
    sentences, tokens, _ = tokenise.tokenise(documents)
    found, _ = extract.extract(documents, sentences, tokens, gazetteer)
    return {
        "raw": raw,
        "documents": documents,
        "sentences": sentences,
        "tokens": tokens,
        "signatures": signatures,
        **found,
    }


def run(stage, data, settings, rule_pack):
    frame = frames.frame(stage, data, rule_pack)
    return validate(stage, frame, settings, parameters(settings, rule_pack), "test-run")


def flagged(result):
    """The critical checks that failed, or passed within their `mostly` but named rows (whose
    documents a run quarantines): one bad row among the seeds' is under any `mostly`."""
    return [
        f for f in result.findings if f.severity == "critical" and not f.success or f.names_rows
    ]


def failed(result):
    return {(f.expectation, f.column) for f in flagged(result)}


def replace(table, name, values):
    return table.set_column(table.schema.get_field_index(name), name, pa.array(values))


def ledger(n):
    return {"n_in": n, "n_published": n, "n_rejected": 0, "n_accounted": n}


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_passes_on_the_seeds(stage, seeds, settings, rule_pack):
    data = {**seeds, "ledger": ledger(2)}
    result = run(stage, data, settings, rule_pack)
    assert result.passed, result.describe()
    assert not result.quarantining, result.describe()
    assert not result.failed_warning
    assert result.docs_page.startswith(f"validations/{stage}/test-run/")


def test_validation_writes_only_under_the_data_dir(seeds, settings, rule_pack):
    before = snapshot(CONTEXT)
    result = run("ingest", seeds, settings, rule_pack)
    assert not (settings.data_docs_dir / "index.html").exists()  # built once per run, later
    assert build_docs(settings, [result]).is_file()
    assert (settings.data_docs_dir / result.docs_page).is_file()
    assert snapshot(CONTEXT) == before
    assert any(settings.validations_dir.rglob("*.json"))


def test_null_doc_id_fails_ingest(seeds, settings, rule_pack):
    raw = replace(seeds["raw"], "doc_id", [None, seeds["raw"]["doc_id"][1].as_py()])
    result = run("ingest", {"raw": raw}, settings, rule_pack)
    assert failed(result) == {("expect_column_values_to_not_be_null", "doc_id")}
    (finding,) = flagged(result)
    assert finding.rows == [{"doc_id": None, "source_uri": raw["source_uri"][0].as_py()}]


def test_duplicate_source_and_unknown_encoding_fail_ingest(seeds, settings, rule_pack):
    raw = pa.concat_tables([seeds["raw"], seeds["raw"]])
    raw = replace(raw, "encoding", ["koi8-r", "utf-8", "utf-8", "utf-8"])
    result = run("ingest", {"raw": raw}, settings, rule_pack)
    assert failed(result) == {
        ("expect_column_values_to_be_unique", "source_uri"),
        ("expect_column_values_to_be_in_set", "encoding"),
    }
    # The same article twice is a warning: clean keeps one and rejects the other.
    assert [f.column for f in result.failed_warning] == ["doc_id"]


def with_body(documents, i, body):
    bodies = documents["body"].to_pylist()
    bodies[i] = body
    return replace(documents, "body", bodies)


@pytest.mark.parametrize(
    ("defect", "column"),
    [
        (lambda b: b + "\nXem thêm: Giá vàng hôm nay", "boilerplate_line"),
        (lambda b: b + "\nChia sẻ | Facebook | Zalo", "boilerplate_line"),
        (lambda b: unicodedata.normalize("NFD", b), "body_is_nfc"),
        (lambda b: b.replace(" ", "\x07", 1), "free_of_control_chars"),
        (lambda b: "The quick brown fox jumps over the lazy dog. " * 5, "vietnamese_share"),
        (lambda b: b[:40], "body_chars"),
    ],
    ids=["see-also-line", "share-bar", "nfd", "control-char", "english", "too-short"],
)
def test_a_body_defect_fails_its_clean_expectation(defect, column, seeds, settings, rule_pack):
    documents = with_body(seeds["documents"], 1, defect(seeds["documents"]["body"][1].as_py()))
    result = run("clean", {"documents": documents}, settings, rule_pack)
    assert {c for _, c in failed(result)} == {column}
    (finding,) = flagged(result)
    assert [row["doc_id"] for row in finding.rows] == [documents["doc_id"][1].as_py()]


def test_the_failing_line_is_named(seeds, settings, rule_pack):
    body = seeds["documents"]["body"][0].as_py() + "\nTin khác"
    documents = with_body(seeds["documents"], 0, body)
    (finding,) = flagged(run("clean", {"documents": documents}, settings, rule_pack))
    assert finding.sample == ["related_news: Tin khác"]


def test_an_empty_sentence_fails_tokenise(seeds, settings, rule_pack):
    doc_id = seeds["sentences"]["doc_id"][0].as_py()
    extra = {"doc_id": doc_id, "sent_idx": 999, "text": "", "start": 0, "end": 0}
    sentences = pa.concat_tables(
        [seeds["sentences"], pa.Table.from_pylist([extra], schema=seeds["sentences"].schema)]
    )
    data = {"sentences": sentences, "tokens": seeds["tokens"]}
    result = run("tokenise", data, settings, rule_pack)
    assert ("expect_column_values_to_be_between", "n_tokens") in failed(result)
    rows = {(r["doc_id"], r["sent_idx"]) for f in flagged(result) for r in f.rows}
    assert rows == {(doc_id, 999)}


def test_words_that_do_not_rejoin_and_unknown_tags_are_caught(seeds, settings, rule_pack):
    words = seeds["tokens"]["word"].to_pylist()
    words[3] = words[3] + "x"
    tags = seeds["tokens"]["pos"].to_pylist()
    tags[5] = "NOUN"
    tokens = replace(replace(seeds["tokens"], "word", words), "pos", tags)
    result = run(
        "tokenise", {"sentences": seeds["sentences"], "tokens": tokens}, settings, rule_pack
    )
    assert failed(result) == {("expect_column_values_to_be_in_set", "words_rejoin_text")}
    assert [f.sample for f in result.failed_warning] == [["NOUN"]]


def test_entity_offsets_that_do_not_match_fail_extract(seeds, settings, rule_pack):
    entities = seeds["entities"]
    placed = pc.is_valid(entities["start"]).to_pylist().index(True)
    starts = entities["start"].to_pylist()
    starts[placed] += 1
    data = {**seeds, "entities": replace(entities, "start", pa.array(starts, pa.int32()))}
    result = run("extract", data, settings, rule_pack)
    assert failed(result) == {("expect_column_values_to_be_in_set", "text_at_offsets")}
    (finding,) = flagged(result)
    assert finding.rows[0]["doc_id"] == entities["doc_id"][placed].as_py()
    assert json.loads(json.dumps(finding.rows[0]))["kind"] == "entity"


def test_bad_entity_type_and_a_date_that_is_no_day_fail_extract(seeds, settings, rule_pack):
    types = seeds["entities"]["type"].to_pylist()
    types[0] = "PERSON"
    days = seeds["dates"]["day"].to_pylist()
    days[0], months = 31, seeds["dates"]["month"].to_pylist()
    months[0] = 2
    dates = replace(replace(seeds["dates"], "day", pa.array(days, pa.int32())), "month", months)
    data = {**seeds, "entities": replace(seeds["entities"], "type", types), "dates": dates}
    result = run("extract", data, settings, rule_pack)
    assert failed(result) == {
        ("expect_column_values_to_be_in_set", "type"),
        ("expect_column_values_to_be_in_set", "date_is_valid"),
    }


def test_an_entity_on_a_boilerplate_line_fails_extract(seeds, settings, rule_pack):
    doc = seeds["documents"]["body"][0].as_py()
    line = "Tags: Việt Nam"
    documents = with_body(seeds["documents"], 0, doc + "\n" + line)
    entity = {
        "doc_id": documents["doc_id"][0].as_py(),
        "sent_idx": 0,
        "type": "LOC",
        "text": "Việt Nam",
        "entity_id": "Việt Nam",
        "start": len(doc) + 7,
        "end": len(doc) + 15,
    }
    entities = pa.concat_tables(
        [seeds["entities"], pa.Table.from_pylist([entity], schema=seeds["entities"].schema)]
    )
    result = run(
        "extract", {**seeds, "documents": documents, "entities": entities}, settings, rule_pack
    )
    assert failed(result) == {("expect_column_values_to_be_null", "boilerplate_rule")}


def test_an_entity_without_an_entity_id_fails_extract(seeds, settings, rule_pack):
    ids = seeds["entities"]["entity_id"].to_pylist()
    ids[0] = None
    column = seeds["entities"].schema.get_field_index("entity_id")
    entities = seeds["entities"].set_column(column, "entity_id", pa.array(ids, pa.string()))
    result = run("extract", {**seeds, "entities": entities}, settings, rule_pack)
    assert failed(result) == {("expect_column_values_to_not_be_null", "entity_id")}


def test_a_span_found_twice_fails_extract(seeds, settings, rule_pack):
    placed = seeds["entities"].filter(pc.is_valid(seeds["entities"]["start"])).slice(0, 2)
    data = {**seeds, "entities": pa.concat_tables([seeds["entities"], placed])}
    result = run("extract", data, settings, rule_pack)
    assert failed(result) == {("expect_compound_columns_to_be_unique", None)}


def test_repeated_keys_and_unbalanced_ledger_fail_publish(seeds, settings, rule_pack):
    documents = pa.concat_tables([seeds["documents"], seeds["documents"].slice(0, 1)])
    data = {**seeds, "documents": documents, "ledger": {**ledger(2), "n_accounted": 1}}
    result = run("publish", data, settings, rule_pack)
    assert failed(result) == {
        ("expect_column_values_to_be_between", "duplicate_keys"),
        ("expect_column_pair_values_to_be_equal", "n_in"),
    }
    frame = frames.frame("publish", data, rule_pack)
    assert frame["duplicate_detail"].to_pylist() == ["documents: 1 repeated keys"]


def test_repeated_keys_counts_every_extra_row():
    table = pa.table({"a": ["x", "x", "y", "x"], "b": [1, 1, 1, 2]})
    assert frames.repeated_keys(table, ("a", "b")) == 1
    assert frames.repeated_keys(table, ("a",)) == 2
    assert frames.repeated_keys(table.slice(0, 0), ("a",)) == 0
    huge = pa.table({"a": [2**40, 2**40], "b": [2**30, 2**30]})  # too wide to pack: grouped
    assert frames.repeated_keys(huge, ("a", "b")) == 1


def test_every_stage_has_one_suite_and_one_checkpoint():
    for stage in STAGES:
        suite = json.loads((CONTEXT / "suites" / f"{stage}.json").read_text())
        checkpoint = json.loads((CONTEXT / "checkpoints" / f"{stage}.json").read_text())
        assert suite["name"] == stage and suite["expectations"]
        for e in suite["expectations"]:
            assert e["severity"] in {"critical", "warning"}
            assert e["meta"]["severity"] == e["severity"] and e["notes"]
        assert [v["name"] for v in checkpoint["validation_definitions"]] == [stage]


def test_committed_context_is_what_build_py_writes(tmp_path, monkeypatch):
    """The GX files under expectations/ are, byte for byte, what expectations/build.py writes
    from tasks/checks/suites.py: no drift, and no churn of ids from one build to the next."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build", CONTEXT / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    monkeypatch.setenv("VNNEWS_GX_RESULTS_DIR", str(tmp_path / "results"))
    root = tmp_path / "ctx"
    root.mkdir()
    build.build(root)

    def written(folder):
        names = ["great_expectations.yml", "suites/.ge_store_backend_id"]
        names += [f"{kind}/{stage}.json" for kind in KINDS for stage in STAGES]
        return {name: (folder / name).read_text(encoding="utf-8") for name in names}

    assert written(root) == written(CONTEXT), "run `make expectations` and commit the result"
    shutil.rmtree(root)
