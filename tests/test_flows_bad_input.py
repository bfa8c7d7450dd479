"""Real runs over the input real users have: junk beside good files, typos underthesea rewrites,
a JSONL export with broken records, an article that is one endless paragraph. Every good
article is published, every bad input is one reject with a reason, and the run exits 0."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys

import pytest

from benchmarks.corpus import vocabulary
from tests.conftest import SEEDS, write
from tests.test_ingest_failures import twelve_files
from vnnews.tasks.lake import catalog
from vnnews.tasks.settings import PROJECT_ROOT, load_settings

TYPOS = PROJECT_ROOT / "tests" / "fixtures" / "typos"


def sql(settings, query, params=None):
    return catalog.query(settings, query, params)[1]


def run(*sources, data_dir, **env) -> tuple:
    """The real `vnnews run` command, in a process of its own, against the test server."""
    from prefect.settings import PREFECT_API_URL

    args = [sys.executable, "-m", "vnnews.flows.cli", "run", "--data-dir", str(data_dir)]
    for source in sources:
        args += ["--source", str(source)]
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), **env}
    result = subprocess.run(
        args, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    result.output = result.stdout + result.stderr[-3000:]
    return load_settings(data_dir=data_dir), result


def test_twelve_files_two_articles_published_every_junk_file_rejected(prefect_harness, tmp_path):
    settings, result = run(twelve_files(tmp_path / "in"), data_dir=tmp_path / "data")
    assert result.returncode == 0, result.output
    assert sql(settings, "SELECT count(*) FROM documents") == [(2,)]
    reasons = dict(
        sql(settings, "SELECT regexp_extract(source_uri, '[^/]+$'), reason FROM rejects")
    )
    copies = {name for name in reasons if name.startswith("a_")}
    assert {reasons.pop(name) for name in copies} == {"duplicate"}
    assert len(copies) == 5, "the same article in six encodings: one copy is published"
    assert reasons == {
        "empty.txt": "empty_file",
        "blank.txt": "empty_file",
        "random.txt": "undecodable",
        "cut.txt": "undecodable",
        "english.html": "not_vietnamese",
    }
    ((n_in, published, rejected),) = sql(settings, "SELECT n_in, n_published, n_rejected FROM runs")
    assert (n_in, published, rejected) == (12, 2, 10)


def test_articles_with_typos_are_published_with_words_pointing_into_them(prefect_harness, tmp_path):
    settings, result = run(TYPOS, SEEDS, data_dir=tmp_path / "data")
    assert result.returncode == 0, result.output
    assert sql(settings, "SELECT count(*), sum(n_quarantined) FROM runs")[0][1] == 0
    assert sql(settings, "SELECT count(*) FROM documents") == [(5,)]
    bodies = " ".join(b for (b,) in sql(settings, "SELECT body FROM documents"))
    # The clean stage mends tone marks and the eth of legacy fonts as underthesea would ...
    assert "khúc khuỷu" in bodies and "chóang" not in bodies and "Ðà" not in bodies
    # ... and a word underthesea still rewrites points to the text as the article spells it.
    rows = sql(
        settings,
        """SELECT t.word, substr(d.body, t.start + 1, t."end" - t.start) FROM tokens t
        JOIN documents d USING (doc_id) WHERE t.word = 'ngành'""",
    )
    assert ("ngành", "nghành") in rows
    unplaced = sql(
        settings,
        """SELECT count(*) FROM tokens t JOIN documents d USING (doc_id)
        WHERE t.start IS NULL OR replace(t.word, ' ', '')
          <> replace(substr(d.body, t.start + 1, t."end" - t.start), ' ', '')
          AND t.word <> 'ngành'""",
    )
    assert unplaced == [(0,)]
    # The NFD paragraphs were composed: entities are found in them.
    names = {n for (n,) in sql(settings, "SELECT normalized FROM entities")}
    assert {"Trần Hữu Bảo", "Hoàn Kiếm"} <= names


def no_punctuation(n_chars: int, seed: int) -> str:
    """An article that is one paragraph with no sentence punctuation: a title and words."""
    rng, words = random.Random(seed), [w for w in vocabulary() if re.fullmatch(r"\w+", w)]
    body, size = [], 0
    while size < n_chars:
        body.append(rng.choice(words))
        size += len(body[-1]) + 1
    return f"Bài viết không có dấu câu số {seed}\n" + " ".join(body) + "\n"


@pytest.fixture
def export(tmp_path):
    """A JSONL export: two good records, a lone surrogate, an over-size record; and two
    articles without punctuation, one over the character budget."""
    good = [{"title": t, "body": b} for t, b in articles(TYPOS)]
    lines = [json.dumps(good[0], ensure_ascii=False)]
    lines.append('{"title": "Lỗi \\ud800", "body": "Nội dung bài báo bị lỗi mã hóa."}')
    lines.append(json.dumps({"title": "Quá lớn", "body": "chữ " * 80_000}))  # 320 KB
    lines.append(json.dumps(good[1], ensure_ascii=False))
    folder = tmp_path / "in"
    write(folder / "export.jsonl", "\n".join(lines) + "\n")
    write(folder / "long.txt", no_punctuation(60_000, 1))
    write(folder / "too_long.txt", no_punctuation(150_000, 2))
    return folder


def articles(folder) -> list[tuple[str, str]]:
    """(title, body) of the text articles in a folder, as an exporter would write them."""
    texts = (p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt")))
    return [tuple(t.split("\n", 1)) for t in texts]


def test_an_export_with_broken_records_and_runaway_articles(prefect_harness, export, tmp_path):
    limits = {"VNNEWS_MAX_DOC_BYTES": "200000", "VNNEWS_MAX_DOC_CHARS": "100000"}
    settings, result = run(export, SEEDS, data_dir=tmp_path / "data", **limits)
    assert result.returncode == 0, result.output
    rejects = {
        (re.sub(r".*/", "", uri), stage, reason)
        for uri, stage, reason in sql(settings, "SELECT source_uri, stage, reason FROM rejects")
    }
    assert rejects == {
        ("export.jsonl#L2", "ingest", "bad_field"),
        ("export.jsonl#L3", "ingest", "oversized"),
        ("too_long.txt", "tokenise", "too_complex"),
    }
    published = {
        re.sub(r".*/", "", u) for (u,) in sql(settings, "SELECT source_uri FROM documents")
    }
    assert published == {
        "export.jsonl#L1",
        "export.jsonl#L4",
        "long.txt",
        *(p.name for p in SEEDS.glob("*.txt")),
    }
    # The endless paragraph was cut into bounded sentences, each pointing into the body.
    ((n, longest),) = sql(
        settings,
        """SELECT count(*), max(length(s.text)) FROM sentences s JOIN documents d USING (doc_id)
        WHERE d.source_uri LIKE '%long.txt'""",
    )
    assert n >= 60 and longest <= 1000
    detail = sql(settings, "SELECT detail FROM rejects WHERE reason = 'too_complex'")[0][0]
    assert "max_doc_chars=100,000" in detail
