"""A feed run twice against a real local outlet (tests/live_site.py), from a sources file and
then as `vnnews run --source FEED_URL`: the first run publishes every readable article and
rejects what failed; the second asks only conditionally, asks again for what failed, and
publishes nothing new."""

import re

from typer.testing import CliRunner

from tests.fixture_check import UNSEEN
from vnnews.flows.cli.app import app
from vnnews.flows.pipeline import pipeline
from vnnews.tasks.lake import catalog
from vnnews.tasks.settings import load_settings

runner = CliRunner()


def lake(data_dir, sql):
    return catalog.query(load_settings(data_dir=data_dir), sql)[1]


def test_a_feed_run_twice(prefect_harness, outlet, tmp_path, monkeypatch):
    monkeypatch.setenv("VNNEWS_ALLOW_PRIVATE_HOSTS", "127.0.0.1")
    monkeypatch.setenv("VNNEWS_FETCH_INTERVAL", "0")
    paths = outlet.add_folder(UNSEEN / "sggp")
    feed = outlet.feed([*paths, "/gone.html", "/private/secret.html"])
    data_dir = tmp_path / "data"

    # The first run as a scheduled run makes it, from a sources file (and so without the
    # default seeds/), the second from the command line.
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[outlet]]\nname = "SGGP"\nfeeds = ["{feed}"]\n', encoding="utf-8")
    first = pipeline(sources_file=str(sources), data_dir=str(data_dir))
    assert first.status == "published"
    assert first.fetched == {outlet.url("")[7:]: {"fetched": 6, "failed": 2}}
    published = lake(data_dir, "SELECT source_uri FROM documents ORDER BY 1")
    assert [uri for (uri,) in published] == sorted(outlet.url(p) for p in paths)
    rejects = lake(data_dir, "SELECT source_uri, stage, reason FROM rejects ORDER BY 1")
    assert rejects == [
        (outlet.url("/gone.html"), "ingest", "http_404"),
        (outlet.url("/private/secret.html"), "ingest", "robots_disallowed"),
    ]

    outlet.log.clear()
    args = ["run", "--source", feed, "--data-dir", str(data_dir)]
    second = runner.invoke(app, args, terminal_width=200)
    assert second.exit_code == 0, second.output
    assert re.search(r"127\.0\.0\.1:\d+ +│ +0 │ +6 │ +2", second.output)  # fetched per host
    # The feed is not modified: its articles are those it listed last time, each asked for
    # conditionally; the 404 is asked for again.
    assert outlet.downloads() == ["/robots.txt", "/gone.html"]
    asked = [path for path, _ in outlet.log]
    assert sorted(set(asked) & set(paths)) == sorted(paths)  # each article, conditionally
    assert not [path for path in asked if path.startswith("/private/")]
    runs = lake(data_dir, "SELECT n_published, n_unchanged FROM runs ORDER BY started_at")
    assert runs == [(6, 0), (0, 6)]
    assert lake(data_dir, "SELECT count(*) FROM documents") == [(6,)]
    fetches = lake(data_dir, "SELECT count(*), count(etag), max(failures) FROM fetches")
    assert fetches == [(9, 7, 2)]  # the feed, six articles (ETags) and two failed twice
    report = (data_dir / "reports" / "runs").glob("*.html")
    pages = [page.read_text(encoding="utf-8") for page in report]
    assert any("Fetched per host" in page and "not modified" in page for page in pages)


def test_sources_that_cannot_be_right_stop_before_any_run(tmp_path):
    bad = tmp_path / "sources.toml"
    bad.write_text("[[outlet]]\nname = 'Mẫu'\n", encoding="utf-8")
    cases = [
        (["--sources", str(bad)], f"{bad}: outlet 1: give at least one of feeds"),
        (["--sources", str(tmp_path / "none.toml")], "none.toml: no such file"),
        (["--source", "ftp://example.vn/feed"], "only http:// and https:// URLs"),
    ]
    for args, message in cases:
        result = runner.invoke(app, ["run", *args], terminal_width=300)
        assert result.exit_code == 1 and message in result.output, result.output
