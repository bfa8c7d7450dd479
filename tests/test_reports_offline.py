"""A run that publishes with one warning: its Data Docs and run report say so, and name no
remote address; every page opens in Chromium with all network blocked and runs no script from
the articles."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tests.test_reports_pages import browser, local_only, needs_chromium  # noqa: F401
from vnnews.flows.cli.console import console, print_summary
from vnnews.flows.pipeline import pipeline
from vnnews.tasks.reports.summary import RunSummary
from vnnews.tasks.settings import load_settings

SCRIPT, ONERROR = "<script>alert(1)</script>", "<img src=x onerror=alert(2)>"
BODY = (
    "Hà Nội hôm nay đón đợt không khí lạnh mới, nhiệt độ giảm xuống còn 15 độ C. Người dân đã "
    "chuẩn bị áo ấm và các cơ quan chức năng khuyến cáo giữ ấm cho trẻ nhỏ. Theo Trung tâm Dự "
    "báo khí tượng thủy văn quốc gia, đợt rét này sẽ kéo dài đến hết cuối tuần này."
)
LETTER = (
    "Tôi là giáo viên ở Đà Nẵng và muốn góp ý về chương trình sách giáo khoa mới. Nhiều phụ "
    "huynh cho rằng bài tập về nhà quá nhiều, học sinh tiểu học phải thức khuya để hoàn thành. "
    "Mong Bộ Giáo dục và Đào tạo sớm xem xét giảm tải cho các em trong năm học tới."
)


@pytest.fixture(scope="module")
def warning_run(prefect_harness, tmp_path_factory):
    """The seeds plus reader mail: one article without a title (an ingest *warning*) and one
    whose title and body carry script payloads."""
    root = tmp_path_factory.mktemp("warning-run")
    src = root / "src"
    src.mkdir()
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, src)
    records = [
        {"id": "untitled", "title": "", "text": BODY},
        {"id": "payload", "title": f"Thư bạn đọc {SCRIPT}", "text": f"{LETTER} {ONERROR} {SCRIPT}"},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    (src / "mail.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = pipeline(sources=[str(src)], data_dir=str(root / "data"), return_state=True).result()
    return load_settings(data_dir=root / "data"), summary


def pages(settings) -> list:
    return sorted(p for p in settings.reports_dir.rglob("*.html") if "vendor" not in p.parts)


def test_the_run_published_past_one_warning(warning_run):
    _, summary = warning_run
    ingest = summary.validations["ingest"]
    assert summary.status == "published" and summary.n_published == 4
    # The flow logs a report that fails to render and goes on: here it must have been written.
    assert Path(summary.reports["report"]).is_file(), summary.reports
    assert [f.column for f in ingest.failed_warning] == ["title"] and ingest.failed_critical == []
    # Counted in documents, as the other stages are: 4 articles from 3 files.
    first = summary.stages[0]
    assert (first.stage, first.docs_in, first.rows) == ("ingest", 4, "3 files read")
    # GX's start-up is counted apart, at the first checkpoint of the process (0 here when an
    # earlier test already loaded GX).
    assert all(s.startup_seconds == 0 for s in summary.stages[1:])
    # The workers' own throughput: every document tokenise was handed, in the NLP's seconds.
    stages = {s.stage: s for s in summary.stages}
    assert summary.nlp.documents == stages["tokenise"].docs_in == 4
    assert 0 < summary.nlp.seconds <= stages["tokenise"].seconds + stages["extract"].seconds
    assert re.fullmatch(r"\d+ local workers?", summary.nlp.workers), summary.nlp.workers


def test_no_page_or_stylesheet_names_a_remote_address(warning_run):
    settings, _ = warning_run
    files = [*settings.reports_dir.rglob("*.html"), *settings.reports_dir.rglob("*.css")]
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert re.findall(r"https?://[^\s\"'()<>]*", text) == [], path
        assert SCRIPT not in text and ONERROR not in text, path


def test_each_validation_page_links_to_a_suite_page_that_exists(warning_run):
    settings, summary = warning_run
    for check in summary.validations.values():
        page = settings.data_docs_dir / check.docs_page
        html = page.read_text(encoding="utf-8")
        (suite,) = re.findall(r'href="([^"]*expectations/[^"]+\.html)"', html)
        assert (page.parent / suite).resolve().is_file(), suite
        assert f"Data asset: {check.stage}: " in html
        # Every expectation shows its severity, on the result page and on the suite page.
        suite_html = (page.parent / suite).read_text(encoding="utf-8")
        for marked in (html, suite_html):
            levels = re.findall(r"vnnews-severity[^>]*>(\w+)<", marked)
            assert sorted(levels) == sorted(f.severity for f in check.findings), check.stage


def test_the_cli_keeps_dropped_documents_apart_from_boilerplate():
    summary = RunSummary("r", datetime.now(UTC), [])
    summary.drops.update({("clean", "too_short"): 2, ("ingest", "unreadable"): 1})
    summary.removed_paragraphs.update({"related_news": 30, "share_button": 1})
    with console.capture() as captured:
        print_summary(summary)
    tables = captured.get().split("status:")[0]
    dropped, removed = tables.split("documents dropped")[1].split("boilerplate removed")
    assert "too_short" in dropped and "unreadable" in dropped and "related_news" not in dropped
    assert "related_news" in removed and "too_short" not in removed
    assert "paragraph" not in dropped and "document" not in removed


@needs_chromium
def test_every_page_opens_offline_and_the_warning_is_no_failure(browser, warning_run):  # noqa: F811
    settings, summary = warning_run
    opened = pages(settings)
    assert len(opened) >= 13  # 2 indexes, a run page, 5 validation and 5 suite pages
    for path in opened:
        page = browser.open(path)
        assert local_only(page) == [], path
        assert page.evaluate("window.__alerts") == [] and page.dialogs == [], path

    index = browser.open(settings.data_docs_dir / "index.html")
    rows = (
        "[...document.querySelectorAll('tbody tr')]"
        f".filter(r => r.innerText.includes('{summary.run_id}'))"
    )
    assert index.evaluate(f"{rows}.length") == 5  # the run's five validations
    icons = index.evaluate(f"{rows}.map(r => r.querySelector('i').className)")
    assert sum("fa-check-circle" in i for i in icons) == 4, icons
    assert sum("fa-exclamation-triangle" in i for i in icons) == 1 and "fa-times" not in str(icons)

    stage = browser.open(settings.data_docs_dir / summary.validations["ingest"].docs_page)
    text = stage.evaluate("document.body.innerText")
    assert "Passed with warnings" in text and not re.search(r"Status:\s*Failed", text)
    badges = stage.evaluate(
        "[...document.querySelectorAll('.badge-warning')].map(b => b.innerText)"
    )
    assert badges.count("warning") == 2  # doc_id unique and title length: ingest's two warnings
    assert stage.evaluate("document.querySelectorAll('.fa-times').length") == 0

    report = browser.open(settings.reports_dir / "runs" / f"{summary.run_id}.html")
    text = report.evaluate("document.body.innerText")
    assert "3 files read" in text
    assert re.search(
        r"NLP on the workers .*: 4 documents in [\d.]+ s, \d+ documents/s, on \d", text
    )
    startup = round(summary.stages[0].startup_seconds, 2)
    assert ("GX's start-up" in text) == (startup > 0)
