"""Run reports and Data Docs: offline, styled, escaped. The browser tests open the pages in a
headless Chromium with no network (tests/browser.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.browser import Browser, chromium
from tests.test_checks_gate import XSS, baseline, xss_run  # noqa: F401  (module fixtures)
from vnnews.flows.cli.app import app
from vnnews.tasks.checks import data_docs
from vnnews.tasks.reports.pages import write_reports
from vnnews.tasks.settings import PROJECT_ROOT

ASSETS = PROJECT_ROOT / "expectations" / "static"
GX_HEAD = """<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css">
<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css">
<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>
<script src="https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js"
  integrity="sha384-x" crossorigin="anonymous"></script>
<script src="https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js"></script>
<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1&dataContextId=x">
<a href="https://greatexpectations.io">a link to follow is fine</a>"""


def test_offline_html_points_every_load_at_a_vendored_file():
    html = data_docs.offline_html(GX_HEAD, "../static/vendor", "../static")
    assert data_docs.remote_resources(GX_HEAD)
    assert data_docs.remote_resources(html) == []
    assert "integrity" not in html and "crossorigin" not in html
    assert "vega" not in html and "bootstrap-dark" not in html
    assert 'src="../static/images/logo-long.png"' in html
    for local in (
        "bootstrap/dist/css/bootstrap.min.css",
        "bootstrap-table/dist/bootstrap-table.min.js",
    ):
        assert f"../static/vendor/{local}" in html
        assert (ASSETS / local).is_file()


def test_every_vendored_file_a_page_names_exists(xss_run):  # noqa: F811
    settings, _ = xss_run
    for page in settings.data_docs_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert data_docs.remote_resources(html) == [], page
        for ref in data_docs.re.findall(r'(?:src|href)="([^"]*static/vendor/[^"]+)"', html):
            assert (page.parent / ref).resolve().is_file(), (page, ref)


def test_report_command_writes_a_page_and_the_index(xss_run):  # noqa: F811
    settings, summary = xss_run
    result = CliRunner().invoke(app, ["report", "--data-dir", str(settings.data_dir)])
    assert result.exit_code == 0, result.output
    index = (settings.reports_dir / "index.html").read_text()
    assert summary.run_id in index and "runs/" in index
    assert (
        CliRunner().invoke(app, ["report", "nope", "--data-dir", str(settings.data_dir)]).exit_code
        == 1
    )
    # The 8 characters the pages show name the run as well as its whole id.
    args = ["report", summary.run_id[:8], "--data-dir", str(settings.data_dir)]
    by_prefix = CliRunner().invoke(app, args)
    assert by_prefix.exit_code == 0, by_prefix.output
    assert f"runs/{summary.run_id}.html" in by_prefix.output


def test_the_report_is_self_contained(xss_run):  # noqa: F811
    settings, summary = xss_run
    page = write_reports(settings, summary.run_id).read_text()
    assert "<svg" in page and data_docs.remote_resources(page) == []
    assert "url(http" not in page and "@import" not in page
    assert "inline_see_also" in page and "expect_column_values_to_be_null" in page


needs_chromium = pytest.mark.skipif(
    not chromium() and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (.ci/run installs it)",
)


@pytest.fixture(scope="module")
def browser():
    assert chromium(), "chromium is required in CI: apt-get install chromium"
    b = Browser()
    yield b
    b.close()


def local_only(page) -> list[str]:
    return [u for u in page.requests if not u.startswith(("file:", "data:"))]


@needs_chromium
def test_data_docs_render_styled_with_no_network(browser, xss_run):  # noqa: F811
    settings, summary = xss_run
    index = browser.open(settings.data_docs_dir / "index.html")
    assert local_only(index) == []
    assert index.style(".btn-secondary", "background-color") == "rgb(108, 117, 125)"  # Bootstrap
    # bootstrap-table (JavaScript) built the list of validation results.
    assert index.evaluate("document.querySelectorAll('table tbody tr').length") >= 5
    fonts = (
        "[...document.fonts].some(f => f.family.includes('Font Awesome') && f.status == 'loaded')"
    )
    assert index.evaluate(fonts)

    page = browser.open(settings.data_docs_dir / summary.validations["clean"].docs_page)
    assert local_only(page) == []
    assert page.style(".navbar, nav", "display") not in (None, "")
    assert page.style("body", "font-family").startswith("-apple-system")  # Bootstrap 4's stack
    assert XSS in page.evaluate("document.body.innerText")
    assert page.evaluate("window.__alerts") == [] and page.dialogs == []


@needs_chromium
def test_the_run_report_renders_styled_and_shows_scripts_as_text(browser, xss_run):  # noqa: F811
    settings, summary = xss_run
    page = browser.open(Path(settings.reports_dir / "runs" / f"{summary.run_id}.html"))
    assert local_only(page) == []
    assert page.style(".masthead", "background-color") == "rgb(26, 54, 93)"
    assert page.evaluate("document.querySelectorAll('.chart svg').length") >= 2
    text = page.evaluate("document.body.innerText")
    assert XSS in text and "Nothing was published" in text
    assert page.evaluate("window.__alerts") == [] and page.dialogs == []
    index = browser.open(settings.reports_dir / "index.html")
    assert local_only(index) == [] and summary.run_id in index.evaluate("document.body.innerText")
