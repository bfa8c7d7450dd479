"""End to end: the real flow on seeds/ under a Prefect test server, checked through SQL."""

import json
import shutil
import unicodedata

import pytest

import vnnews
from tests.conftest import EXPECTED, seed_lines
from tests.test_clean import expected_paragraph
from vnnews.flows.pipeline import pipeline
from vnnews.tasks.lake import catalog
from vnnews.tasks.settings import PROJECT_ROOT, load_settings


@pytest.fixture(scope="module")
def published(prefect_harness, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("e2e") / "data"
    state = pipeline(data_dir=str(data_dir), return_state=True)
    return load_settings(data_dir=data_dir), state


def sql(settings, query, *params):
    return catalog.query(settings, query.format(*params))[1]


def doc_id(settings, name):
    return sql(settings, "SELECT doc_id FROM documents WHERE source_uri LIKE '%{}'", name)[0][0]


def test_run_completes_and_publishes_both_seeds(published):
    settings, state = published
    assert state.is_completed()
    summary = state.result()
    assert summary.status == "published"
    assert summary.snapshot_id == sql(settings, "SELECT max(snapshot_id) FROM runs")[0][0]
    assert sql(settings, "SELECT count(*) FROM documents") == [(2,)]
    assert set(summary.validations) == {"ingest", "clean", "tokenise", "extract", "publish"}
    ((revision, manifest, n_in, versions),) = sql(
        settings, "SELECT code_revision, manifest, n_in, versions FROM runs"
    )
    assert revision and len(manifest) == n_in == 2
    assert all(len(item["content_hash"]) == 64 for item in manifest)
    assert json.loads(versions)["underthesea"] == "9.5.0"


@pytest.mark.parametrize("name", sorted(EXPECTED["documents"]))
def test_documents_match_expected_json(published, name):
    settings, _ = published
    want = EXPECTED["documents"][name]
    ((title, body, source, published),) = sql(
        settings,
        "SELECT title, body, source, published_at FROM documents WHERE source_uri LIKE '%{}'",
        name,
    )
    lines = seed_lines(name)
    assert title == want["title"]
    assert source == want["source"]
    # Related-news timestamps ("Tin mới 20/03/2025 14:54") are never this article's date.
    for day in want.get("dates", {}).get("must_not_be_publication_date", []):
        assert published is None or published.strftime("%d/%m/%Y") != day
    assert body.split("\n") == [
        expected_paragraph(lines[i], want["source"]) for i in want["body_lines"]
    ]
    for i in want["boilerplate_lines"] + want.get("caption_lines", []):
        text = expected_paragraph(lines[i], None)
        assert not text or text not in body.split("\n")


@pytest.mark.parametrize("name", sorted(EXPECTED["documents"]))
def test_entities_match_expected_json(published, name):
    settings, _ = published
    want = EXPECTED["documents"][name]
    rows = sql(
        settings, "SELECT type, text FROM entities WHERE doc_id = '{}'", doc_id(settings, name)
    )
    found = set(rows)
    for kind, lists in want["entities"].items():
        for text in lists["must"]:
            assert (kind, text) in found, f"{kind} {text!r} missing"
        for text in lists.get("should", []):
            assert (kind, text) in found, f"{kind} {text!r} (should) missing"
    texts = {text for _, text in found}
    for absent in want.get("entities_absent", []):
        assert not any(absent in t for t in texts), f"{absent!r} comes from boilerplate"


@pytest.mark.parametrize("name", sorted(EXPECTED["documents"]))
def test_dates_and_quotes_match_expected_json(published, name):
    settings, _ = published
    want = EXPECTED["documents"][name]
    doc = doc_id(settings, name)
    found = sql(settings, "SELECT text, day, month, year FROM dates WHERE doc_id = '{}'", doc)
    for date in want["dates"]["must"]:
        assert (date["text"], date["day"], date["month"], date["year"]) in found
    for quote in want.get("quotes", {}).get("should", []):
        rows = sql(settings, "SELECT speaker, text FROM quotes WHERE doc_id = '{}'", doc)
        assert any(s == quote["speaker"] and t.startswith(quote["starts_with"]) for s, t in rows)


def test_published_tables_are_consistent(published):
    settings, _ = published
    bad = sql(
        settings,
        """
        SELECT count(*) FROM entities e JOIN documents d USING (doc_id)
        WHERE substr(d.body, e.start + 1, e."end" - e.start) <> e.text""",
    )
    assert bad == [(0,)]
    bad = sql(
        settings,
        """
        SELECT count(*) FROM sentences s JOIN documents d USING (doc_id)
        WHERE substr(d.body, s.start + 1, s."end" - s.start) <> s.text""",
    )
    assert bad == [(0,)]
    assert sql(settings, "SELECT count(*) FROM tokens WHERE pos IS NULL OR word = ''") == [(0,)]
    assert sql(settings, "SELECT count(DISTINCT run_id) FROM tokens") == [(1,)]


def test_caption_and_credit_are_published(published):
    settings, _ = published
    rows = sql(
        settings,
        "SELECT c.credit FROM documents, unnest(captions) AS t(c) "
        "WHERE c.text LIKE 'Thủ tướng Chính phủ%'",
    )
    assert rows == [("VGP",)]


def test_a_second_run_is_a_second_snapshot_and_runs_row(published):
    settings, _ = published
    before = sql(settings, "SELECT count(*) FROM runs")[0][0]
    state = pipeline(data_dir=str(settings.data_dir), return_state=True)
    assert state.is_completed()
    runs = sql(settings, "SELECT snapshot_id FROM runs ORDER BY snapshot_id")
    assert len(runs) == before + 1
    snapshots = sql(
        settings, "SELECT snapshot_id FROM lake.snapshots() WHERE snapshot_id > 0 ORDER BY 1"
    )
    assert snapshots == runs
    assert sql(settings, "SELECT count(*) FROM documents AT (VERSION => {})", runs[0][0]) == [(2,)]


def strict_context(tmp_path):
    """A copy of the GX context whose clean suite demands bodies under 10 characters."""
    copy = tmp_path / "expectations"
    shutil.copytree(PROJECT_ROOT / "expectations", copy)
    path = copy / "suites" / "clean.json"
    suite = json.loads(path.read_text())
    suite["expectations"].append(
        {
            "type": "expect_column_values_to_be_between",
            "kwargs": {"column": "body_chars", "max_value": 10},
            "severity": "critical",
            "meta": {},
        }
    )
    path.write_text(json.dumps(suite))
    return copy


def test_a_suite_a_user_tightens_blocks_publishing(prefect_harness, tmp_path, monkeypatch):
    monkeypatch.setenv("VNNEWS_EXPECTATIONS_DIR", str(strict_context(tmp_path)))
    state = pipeline(data_dir=str(tmp_path / "data"), return_state=True)
    assert state.is_failed()
    summary = state.result(raise_on_failure=False)
    assert summary.status == "failed"
    assert summary.blocked_by == ["clean"]
    finding = summary.validations["clean"].failed_critical[0]
    assert finding.expectation == "expect_column_values_to_be_between"
    assert finding.unexpected_count == 2
    settings = load_settings(data_dir=tmp_path / "data")
    # The run's record is committed; every data table is empty.
    assert sql(settings, "SELECT status FROM runs") == [("failed",)]
    for table in ("documents", "tokens", "entities", "rejects", "files"):
        assert sql(settings, f"SELECT count(*) FROM {table}") == [(0,)]
    assert sql(settings, "SELECT count(DISTINCT doc_id) FROM quarantine") == [(2,)]
    assert (tmp_path / "data" / "reports" / "data_docs" / "index.html").is_file()


def test_bad_files_land_in_rejects_and_good_ones_publish(prefect_harness, tmp_path):
    from tests.conftest import SEEDS, write

    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEEDS / "000_e0afc6dd529c41e8.txt", src / "good.txt")
    shutil.copy(SEEDS / "000_e0afc6dd529c41e8.txt", src / "copy.txt")
    shutil.copy(PROJECT_ROOT / "tests" / "fixtures" / "html" / "b01.html", src / "page.html")
    write(src / "binary.txt", bytes(range(256)))
    write(src / "empty.txt", b"")
    write(src / "cut.txt", "Tiêu đề\nViệt Nam tăng trưởng mạnh mẽ".encode()[:-1])
    write(src / "boilerplate_only.txt", "Tiêu đề\nChia sẻ\nFeedback\n")
    write(src / "huge.txt", b"a" * (50 * 1024 * 1024))
    write(tmp_path / "outside.txt", "Bên ngoài\nMột bài báo nằm ngoài thư mục nguồn.\n")
    (src / "escape.txt").symlink_to("../outside.txt")
    state = pipeline(sources=[str(src)], data_dir=str(tmp_path / "data"), return_state=True)
    assert state.is_completed()
    settings = load_settings(data_dir=tmp_path / "data")
    assert sql(settings, "SELECT count(*) FROM documents") == [(2,)]
    reasons = dict(sql(settings, "SELECT reason, count(*) FROM rejects GROUP BY reason"))
    assert reasons == {
        "undecodable": 2,
        "empty_file": 1,
        "empty_body": 1,
        "duplicate": 1,
        "oversized": 1,
        "unsafe_path": 1,
    }
    ((n_in, n_published, n_rejected),) = sql(
        settings, "SELECT n_in, n_published, n_rejected FROM runs"
    )
    assert (n_in, n_published, n_rejected) == (9, 2, 7)


def test_a_rerun_publishes_no_duplicates_and_edits_in_place_are_new_versions(
    prefect_harness, tmp_path, lake_backend
):
    from tests.conftest import SEEDS

    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    (src / "copy.txt").write_text((SEEDS / "000_e0afc6dd529c41e8.txt").read_text())
    data = str(tmp_path / "data")
    assert pipeline(sources=[str(src)], data_dir=data, return_state=True).is_completed()
    nfd = src / "000_e0afc6dd529c41e8.txt"
    nfd.write_text(unicodedata.normalize("NFD", nfd.read_text(encoding="utf-8")), encoding="utf-8")
    edited = src / "002_b86183774bd0c12c.txt"
    original = edited.read_text(encoding="utf-8")
    edited.write_text(original.replace("Trong điện đàm", "Trong cuộc điện đàm"), encoding="utf-8")
    (src / "elsewhere.txt").write_text(original.replace("Trong điện đàm", "Qua điện đàm"))
    assert pipeline(sources=[str(src)], data_dir=data, return_state=True).is_completed()
    settings = load_settings(data_dir=data)
    assert sql(settings, "SELECT count(*), count(DISTINCT body_hash) FROM documents") == [(2, 2)]
    rows = sql(
        settings,
        """
        SELECT r.reason, d.replaces IS NOT NULL
        FROM rejects r JOIN documents d ON d.doc_id = r.duplicate_of ORDER BY r.reason""",
    )
    # run 1: the copy is a duplicate of seed 000. run 2: the unchanged copy is not read again,
    # the NFD re-encoding of seed 000 is the same article (unchanged), seed 002 edited in place
    # is a new version of itself, and the same edit under another name a near duplicate of it.
    # The near duplicate points at the new version of seed 002.
    assert rows == [("duplicate", False), ("near_duplicate", True)]
    counts = sql(
        settings,
        "SELECT n_in, n_published, n_replaced, n_rejected, n_unchanged FROM runs "
        "ORDER BY snapshot_id",
    )
    assert counts == [(3, 2, 0, 1, 0), (4, 1, 1, 1, 2)]
    (replaced,) = sql(settings, "SELECT replaces FROM documents WHERE replaces IS NOT NULL")[0]
    old = catalog.query(
        settings, "SELECT source_uri FROM documents WHERE doc_id = ?", [replaced], 1
    )
    assert old[1] == [(edited.absolute().as_uri(),)]  # still there in snapshot 1


def test_unchanged_input_is_an_empty_run_and_new_files_are_all_that_is_processed(
    prefect_harness, tmp_path, lake_backend
):
    from benchmarks.corpus import corpus

    texts = corpus(15, seed=3)
    src, data = tmp_path / "src", str(tmp_path / "data")
    src.mkdir()
    for name in sorted(texts)[:10]:
        (src / name).write_text(texts[name], encoding="utf-8")
    for _ in range(2):
        assert pipeline(sources=[str(src)], data_dir=data, return_state=True).is_completed()
    for name in sorted(texts)[10:]:
        (src / name).write_text(texts[name], encoding="utf-8")
    state = pipeline(sources=[str(src)], data_dir=data, return_state=True)
    summary = state.result()
    # Only the new files are read at all, and only their articles cleaned.
    assert [s.docs_in for s in summary.stages if s.stage == "ingest"] == [5]
    assert [s.docs_in for s in summary.stages if s.stage == "clean"] == [5]
    settings = load_settings(data_dir=data)
    runs = sql(
        settings, "SELECT n_in, n_published, n_rejected, n_unchanged FROM runs ORDER BY snapshot_id"
    )
    assert runs == [(10, 10, 0, 0), (10, 0, 0, 10), (15, 5, 0, 10)]
    assert sql(settings, "SELECT count(*), count(DISTINCT doc_id) FROM documents") == [(15, 15)]
    assert sql(settings, "SELECT count(*) FROM rejects") == [(0,)]
    files = "SELECT count(*) FROM ducklake_list_files('lake', 'documents') WHERE data_file LIKE ?"
    remote = lake_backend == "postgres+s3"
    assert catalog.query(settings, files, ["s3://%" if remote else "/%"])[1][0][0] >= 1
    assert (tmp_path / "data" / "catalog.sqlite").exists() is not remote
    # The sandboxed connection analysts get reads a server catalog and S3 files too.
    con = vnnews.connect(data)
    assert con.sql("SELECT count(*) FROM documents").fetchall() == [(15,)]
