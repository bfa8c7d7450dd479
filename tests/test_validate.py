import json
import shutil

import pyarrow as pa
import pytest

from tasks.ingest import discover, ingest
from tasks.settings import PROJECT_ROOT
from tasks.tables import ENTITIES
from tasks.validate import STAGES, build_docs, validate
from tests.conftest import SEEDS

CONTEXT = PROJECT_ROOT / "expectations"


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def raw_seeds():
    return ingest(discover([SEEDS]))[0]


def test_clean_seeds_pass_and_validation_writes_only_under_the_data_dir(settings, raw_seeds):
    before = snapshot(CONTEXT)
    result = validate("ingest", raw_seeds, settings)
    assert result.passed and result.evaluated >= 5
    assert snapshot(CONTEXT) == before
    assert not (settings.data_docs_dir / "index.html").exists()  # built once per run, later
    assert build_docs(settings, [result]).is_file()
    assert snapshot(CONTEXT) == before
    assert any(settings.validations_dir.rglob("*.json"))


def test_duplicate_source_uri_fails_a_critical_expectation(settings, raw_seeds):
    result = validate("ingest", pa.concat_tables([raw_seeds, raw_seeds]), settings)
    assert not result.passed
    failed = {f.expectation for f in result.failed_critical}
    assert failed == {"expect_column_values_to_be_unique"}
    assert result.failed_critical[0].unexpected_count == 4


def test_warnings_are_reported_but_do_not_block(settings, raw_seeds):
    odd = raw_seeds.set_column(
        raw_seeds.schema.get_field_index("encoding"), "encoding", pa.array(["koi8-r", "utf-8"])
    )
    result = validate("ingest", odd, settings)
    assert result.passed
    assert [f.expectation for f in result.failed_warning] == ["expect_column_values_to_be_in_set"]


def test_entities_with_bad_type_or_offsets_fail(settings):
    rows = [
        {"doc_id": "d", "sent_idx": 0, "type": "PERSON", "text": "A", "start": 0, "end": 1},
        {"doc_id": "d", "sent_idx": 0, "type": "LOC", "text": "B", "start": 5, "end": 5},
    ]
    result = validate("extract", pa.Table.from_pylist(rows, schema=ENTITIES), settings)
    failed = {f.expectation for f in result.failed_critical}
    assert failed == {
        "expect_column_values_to_be_in_set",
        "expect_column_pair_values_a_to_be_greater_than_b",
    }


def test_every_stage_has_one_suite_and_one_checkpoint():
    for stage in STAGES:
        suite = json.loads((CONTEXT / "suites" / f"{stage}.json").read_text())
        checkpoint = json.loads((CONTEXT / "checkpoints" / f"{stage}.json").read_text())
        assert suite["name"] == stage and suite["expectations"]
        assert all(e["severity"] in {"critical", "warning"} for e in suite["expectations"])
        assert [v["name"] for v in checkpoint["validation_definitions"]] == [stage]


def test_committed_suites_match_build_py(tmp_path, monkeypatch):
    """The JSON under expectations/ is what expectations/build.py declares (no drift)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build", CONTEXT / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    monkeypatch.setenv("VNNEWS_GX_RESULTS_DIR", str(tmp_path / "results"))
    root = tmp_path / "ctx"
    root.mkdir()
    build.build(root)

    def declared(folder):
        out = {}
        for path in sorted((folder / "suites").glob("*.json")):
            suite = json.loads(path.read_text())
            out[suite["name"]] = [
                (e["type"], e["kwargs"], e["severity"]) for e in suite["expectations"]
            ]
        return out

    assert declared(root) == declared(CONTEXT), "run `make expectations` and commit the result"
    shutil.rmtree(root)
