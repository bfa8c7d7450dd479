"""Every input failure is one reject with a reason that says what is wrong, never a crash, and
never costs the good articles beside it: junk files, bad JSONL records, FIFOs and devices."""

from __future__ import annotations

import gzip
import json
import os
import random
import signal
import unicodedata
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa

from benchmarks.corpus import cp1258
from tests.conftest import SEEDS, write
from vnnews.tasks.ingest.discover import discover
from vnnews.tasks.ingest.incremental import unchanged_files
from vnnews.tasks.ingest.ingest import ingest
from vnnews.tasks.tables import FILES

SEED = (SEEDS / "000_e0afc6dd529c41e8.txt").read_text(encoding="utf-8")
RECORD = {"title": "Giá vàng tăng mạnh", "body": "Giá vàng trong nước sáng nay tăng mạnh."}


@contextmanager
def deadline(seconds: int):
    """Fail, rather than hang the suite, if reading blocks (a FIFO, a device)."""

    def expired(*_):
        raise TimeoutError(f"still reading after {seconds} s: ingest blocked on a special file")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def by_name(rejects: pa.Table) -> dict[str, tuple[str, str]]:
    """File name (with `#L<line>` for a record) -> (reason, detail)."""
    return {
        r["source_uri"].rsplit("/", 1)[1]: (r["reason"], r["detail"]) for r in rejects.to_pylist()
    }


def reasons(rejects: pa.Table) -> dict[str, str]:
    return {name: reason for name, (reason, _) in by_name(rejects).items()}


def twelve_files(folder: Path) -> Path:
    """One article in six encodings, another article, and five junk files."""
    write(folder / "a_utf8.txt", SEED.encode("utf-8"))
    write(folder / "a_bom.txt", SEED.encode("utf-8-sig"))
    write(folder / "a_utf16.txt", SEED.encode("utf-16"))
    write(folder / "a_utf16le.txt", SEED.encode("utf-16-le"))
    write(folder / "a_nfd.txt", unicodedata.normalize("NFD", SEED).encode("utf-8"))
    write(folder / "a_cp1258.txt", cp1258(SEED))
    write(folder / "b.txt", (SEEDS / "002_b86183774bd0c12c.txt").read_bytes())
    write(folder / "empty.txt", b"")
    write(folder / "blank.txt", b"  \n\t\n   \n")
    write(folder / "random.txt", random.Random(4).randbytes(4096))
    english = (
        "<html><body><article><h1>Markets rally</h1>"
        + "<p>Stocks rose on Monday as investors weighed new data on inflation and jobs.</p>" * 6
        + "</article></body></html>"
    )
    write(folder / "english.html", english)
    data = SEED.encode("utf-8")
    last_letter = max(i for i, byte in enumerate(data) if byte >= 0xC0)
    write(folder / "cut.txt", data[: last_letter + 1])  # a download cut inside a letter
    return folder


def test_junk_files_are_rejected_with_reasons_and_good_ones_read(tmp_path):
    raw, rejects = ingest(discover([twelve_files(tmp_path)]))
    assert raw.num_rows == 8  # 6 encodings of one article, the other article, the English page
    assert len(set(raw["doc_id"].to_pylist())) == 3
    found = by_name(rejects)
    assert reasons(rejects) == {
        "empty.txt": "empty_file",
        "blank.txt": "empty_file",
        "random.txt": "undecodable",
        "cut.txt": "undecodable",
    }
    assert "binary data" in found["random.txt"][1] or "UTF-8" in found["random.txt"][1]


def test_a_title_without_text_is_a_missing_body(tmp_path):
    write(tmp_path / "title_only.txt", "Tiêu đề bài báo\n\n")
    raw, rejects = ingest(discover([tmp_path]))
    assert raw.num_rows == 0
    assert rejects.to_pylist()[0]["reason"] == "missing_body"
    assert "no text under it" in rejects.to_pylist()[0]["detail"]


def jsonl(*lines: str | dict) -> bytes:
    return "".join((json.dumps(x) if isinstance(x, dict) else x) + "\n" for x in lines).encode()


BAD_RECORDS = [
    ('{"title": "\\ud800 lỗi", "body": "Nội dung"}', "bad_field", "lone UTF-16 surrogate"),
    ({"title": "Số", "body": 12345}, "bad_field", "`body` is a number (12345)"),
    ({"title": ["a", "b"], "body": "Nội dung"}, "bad_field", "`title` is a list"),
    ({"title": "Tác giả", "body": "Nội dung", "author": {"name": "X"}}, "bad_field", "`author`"),
    ('{"title": "cụt', "bad_json", "line 6"),
    ("[1, 2]", "bad_json", "a list, not a JSON object"),
    ({"title": "Không có thân bài"}, "missing_body", "no `body` or `text`"),
    ({"title": "Rỗng", "body": "   "}, "missing_body", "`body` is empty"),
]


def test_every_bad_record_is_one_reject_and_the_good_records_are_read(tmp_path):
    lines = [RECORD, *(bad for bad, _, _ in BAD_RECORDS), {**RECORD, "title": "Hai"}]
    write(tmp_path / "export.jsonl", jsonl(*lines))
    raw, rejects = ingest(discover([tmp_path]))
    assert raw["title"].to_pylist() == ["Giá vàng tăng mạnh", "Hai"]
    found = by_name(rejects)
    for line, (_, reason, detail) in enumerate(BAD_RECORDS, 2):
        got = found.pop(f"export.jsonl#L{line}")
        assert got[0] == reason and detail in got[1], (line, got)
    assert not found


def test_the_size_cap_applies_per_record_not_per_file(tmp_path):
    big = {"title": "Quá lớn", "body": "chữ " * 30_000}  # about 120 KB
    data = jsonl(RECORD, big, {**RECORD, "title": "Ba"}, {**RECORD, "title": "Bốn"})
    write(tmp_path / "plain.jsonl", data)
    write(tmp_path / "packed.jsonl.gz", gzip.compress(data))
    raw, rejects = ingest(discover([tmp_path]), max_bytes=50_000)
    assert raw.num_rows == 6, "three good records of each file, beside one over the cap"
    assert {r["reason"] for r in rejects.to_pylist()} == {"oversized"}
    assert sorted(by_name(rejects)) == ["packed.jsonl.gz#L2", "plain.jsonl#L2"]
    assert "cap of 50,000" in rejects["detail"][0].as_py()
    # A record's hash and size are its own bytes, not the file's.
    assert len(set(raw["content_hash"].to_pylist())) == 3
    assert max(raw["byte_size"].to_pylist()) < 200


def test_a_cut_gzip_keeps_the_records_before_the_damage(tmp_path):
    data = gzip.compress(jsonl(*[{**RECORD, "title": f"Bài {i}"} for i in range(2000)]))
    write(tmp_path / "cut.jsonl.gz", data[: len(data) // 2])
    raw, rejects = ingest(discover([tmp_path]))
    assert 0 < raw.num_rows < 2000
    (reject,) = rejects.to_pylist()
    assert reject["reason"] == "undecodable" and "records before it are read" in reject["detail"]


def test_utf16_jsonl_is_still_read(tmp_path):
    write(tmp_path / "wide.jsonl", jsonl(RECORD).decode().encode("utf-16"))
    raw, rejects = ingest(discover([tmp_path]))
    assert raw["title"].to_pylist() == [RECORD["title"]] and rejects.num_rows == 0


def test_special_files_are_refused_before_anyone_reads_them(tmp_path):
    folder = tmp_path / "landing"
    write(folder / "good.txt", SEED)
    os.mkfifo(folder / "pipe.txt")
    os.symlink(folder / "gone.txt", folder / "dangling.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    fifo = tmp_path / "given.jsonl"
    os.mkfifo(fifo)
    with deadline(20):
        files = discover([folder, fifo, Path("/dev/null")])
        # The lookup of unchanged files hashes every file: special ones must not be read.
        changed, hashes, _, _ = unchanged_files(files, FILES.empty_table())
        raw, rejects = ingest(changed)
    assert raw.num_rows == 1
    found = by_name(rejects)
    assert reasons(rejects) == {
        "pipe.txt": "unsupported_type",
        "dangling.txt": "unsupported_type",
        "zero.txt": "unsupported_type",
        "given.jsonl": "unsupported_type",
        "null": "unsupported_type",
    }
    assert "FIFO" in found["pipe.txt"][1]
    assert "does not exist" in found["dangling.txt"][1]
    assert "character device" in found["null"][1]
    assert sum(h is not None for h in hashes.values()) == 1  # only good.txt was hashed
