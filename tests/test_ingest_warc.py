"""Web archives: the HTML pages of a WARC file (written here with warcio, as crawlers write
them) are read like saved pages; everything else in it is passed over, and a damaged file
keeps the pages before the damage."""

import io

import pyarrow.compute as pc
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.fixture_check import UNSEEN
from vnnews.tasks.ingest.discover import discover
from vnnews.tasks.ingest.ingest import ingest

PAGES = sorted((UNSEEN / "nhandan").glob("*.html"))


def record(writer, url, body, status="200 OK", kind="text/html; charset=utf-8", rec="response"):
    http = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(url, rec, payload=io.BytesIO(body), http_headers=http)
    )


def archive(path, gzip=True, big=b"", again=False):
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for i, page in enumerate(PAGES):
            url = f"https://nhandan.vn/bai-{i}.html"
            request = StatusAndHeaders(
                "GET / HTTP/1.1", [("Host", "nhandan.vn")], is_http_request=True
            )
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
            record(writer, url, page.read_bytes())
        record(writer, "https://nhandan.vn/missing", b"<html>404</html>", "404 Not Found")
        record(writer, "https://nhandan.vn/logo.png", b"\x89PNG....", kind="image/png")
        if big:
            record(writer, "https://nhandan.vn/huge.html", big)
        if again:  # the first page captured a second time, changed
            record(writer, "https://nhandan.vn/bai-0.html", PAGES[1].read_bytes())
    return path


@pytest.mark.parametrize("name, gzip", [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_the_html_pages_of_a_warc_are_articles(tmp_path, name, gzip):
    path = archive(tmp_path / name, gzip=gzip)
    raw, rejects = ingest(discover([tmp_path]))
    assert rejects.num_rows == 0
    assert raw.num_rows == len(PAGES) == 6
    uris = raw["source_uri"].to_pylist()
    assert uris[0] == f"{path.as_uri()}#https://nhandan.vn/bai-0.html"
    # Each page reads as the same page saved alone.
    saved, _ = ingest(discover(PAGES))
    assert raw["raw_text"].to_pylist() == saved["raw_text"].to_pylist()
    assert raw["title"].to_pylist() == saved["title"].to_pylist()


def test_a_page_captured_twice_is_two_records(tmp_path):
    archive(tmp_path / "twice.warc.gz", again=True)
    raw, rejects = ingest(discover([tmp_path]))
    uris = raw["source_uri"].to_pylist()
    assert raw.num_rows == 7 and len(set(uris)) == 7 and rejects.num_rows == 0
    assert uris[-1].endswith("#https://nhandan.vn/bai-0.html#2")


def test_an_oversized_record_is_refused_and_the_others_read(tmp_path):
    archive(
        tmp_path / "big.warc.gz", big=b"<html><body><p>" + b"x" * 200_000 + b"</p></body></html>"
    )
    raw, rejects = ingest(discover([tmp_path]), max_bytes=150_000)
    assert raw.num_rows == 6
    assert rejects["reason"].to_pylist() == ["oversized"]
    assert rejects["source_uri"][0].as_py().endswith("#https://nhandan.vn/huge.html")


@pytest.mark.parametrize("gzip", [True, False])
def test_a_cut_warc_keeps_the_whole_pages_before_the_cut_and_says_so(tmp_path, gzip):
    whole = archive(tmp_path / "whole.warc", gzip=gzip).read_bytes()
    full, _ = ingest(discover([tmp_path / "whole.warc"]))
    pages = set(full["raw_text"].to_pylist())
    cut = tmp_path / "cut" / "cut.warc"
    cut.parent.mkdir()
    said = 0
    for at in range(50, len(whole), 97):
        cut.write_bytes(whole[:at])
        raw, rejects = ingest(discover([cut]))
        assert set(raw["raw_text"].to_pylist()) <= pages  # never a page cut short
        if "undecodable" in rejects["reason"].to_pylist():
            said += 1
            detail = rejects.filter(pc.equal(rejects["reason"], "undecodable"))["detail"][0]
            assert "not a valid WARC file" in detail.as_py()
    # The others were cut where a record ends: a shorter WARC file, whole in itself.
    assert said >= 0.9 * len(range(50, len(whole), 97))
