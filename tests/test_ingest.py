import hashlib
import unicodedata

import pytest

from tests.conftest import SEEDS, write
from vnnews.tasks.ingest.discover import walk
from vnnews.tasks.ingest.ingest import discover, doc_id_for, ingest

ARTICLE = "Tiêu đề bài báo\n\nĐoạn thứ nhất của bài báo về kinh tế Việt Nam.\n"


def test_seeds_become_two_documents_with_title_from_first_line():
    raw, rejects = ingest(discover([SEEDS]))
    assert rejects.num_rows == 0
    assert raw.num_rows == 2
    titles = dict(zip(raw["source_uri"].to_pylist(), raw["title"].to_pylist(), strict=True))
    first = next(t for uri, t in titles.items() if uri.endswith("000_e0afc6dd529c41e8.txt"))
    assert first.startswith("Việt Nam đã và đang tích cực hợp tác")
    assert len(set(raw["doc_id"].to_pylist())) == 2


def test_discover_walks_directories_for_articles_only(tmp_path):
    write(tmp_path / "b.txt", ARTICLE)
    write(tmp_path / "sub" / "a.txt", ARTICLE)
    write(tmp_path / "sub" / "c.jsonl.gz", b"")
    write(tmp_path / "d.html", ARTICLE)
    write(tmp_path / "rules.toml", "x = 1")
    names = [f.path.relative_to(tmp_path).as_posix() for f in discover([tmp_path])]
    assert names == ["b.txt", "d.html", "sub/a.txt", "sub/c.jsonl.gz"]


def test_walk_reads_folders_as_it_goes_in_sorted_order(tmp_path):
    """A folder is listed when the walk reaches it, not up front: a file written into a later
    folder after the walk began is found. The order is sorted(rglob), folder by folder."""
    for name in ("a.txt", "a-b.txt", "A.txt", "a/x.txt", "a.b/y.txt", "later/.keep"):
        write(tmp_path / name, ARTICLE)
    (tmp_path / "later" / ".keep").unlink()
    files = walk([tmp_path])
    first = next(files)
    write(tmp_path / "later" / "new.txt", ARTICLE)
    names = [f.path.relative_to(tmp_path).as_posix() for f in [first, *files]]
    assert names == ["A.txt", "a/x.txt", "a-b.txt", "a.b/y.txt", "a.txt", "later/new.txt"]
    listed = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert [f.path for f in discover([tmp_path])] == listed


def test_walk_fails_on_a_missing_source_before_reading_any(tmp_path):
    write(tmp_path / "a.txt", ARTICLE)
    with pytest.raises(FileNotFoundError, match="nowhere"):
        next(walk([tmp_path, tmp_path / "nowhere"]))


def test_discover_expands_globs(tmp_path):
    write(tmp_path / "a.txt", ARTICLE)
    write(tmp_path / "b.html", ARTICLE)
    assert [f.path.name for f in discover([tmp_path / "*.txt"])] == ["a.txt"]


def test_same_file_given_twice_is_listed_once(tmp_path):
    path = write(tmp_path / "a.txt", ARTICLE)
    assert len(discover([tmp_path, path])) == 1


def test_missing_source_names_the_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere"):
        discover([tmp_path / "nowhere"])


def test_doc_id_is_stable_and_content_sensitive():
    # Ids are the lake's identity of an article across runs: a change of the recipe would
    # republish every article as new. The recipe: sha256 of the non-empty normalised lines
    # (title first) joined by newlines, first 16 hex digits.
    assert doc_id_for("Tiêu đề", ["Dòng một.", "", "Dòng hai."]) == "7e2808fad28f2fc3"
    expected = hashlib.sha256("Tiêu đề\nDòng một.\nDòng hai.".encode()).hexdigest()[:16]
    assert doc_id_for("Tiêu đề", ["Dòng một.", "Dòng hai."]) == expected
    lines = ARTICLE.splitlines()
    assert doc_id_for("T", lines) != doc_id_for("T", [*lines, "x"])
    assert doc_id_for("T", lines) != doc_id_for("U", lines)


def test_nfd_and_tone_placement_variants_get_one_doc_id():
    nfd = unicodedata.normalize("NFD", "Tình hình yếu kém")
    assert nfd != "Tình hình yếu kém"
    assert doc_id_for("T", [nfd]) == doc_id_for("T", ["Tình hình yếu kém"])
    assert doc_id_for("T", ["hoà bình"]) == doc_id_for("T", ["hòa  bình"])


def test_bad_files_become_rejects_and_good_ones_survive(tmp_path):
    write(tmp_path / "good.txt", ARTICLE)
    write(tmp_path / "empty.txt", b"")
    write(tmp_path / "blank.txt", "  \n\n ")
    write(tmp_path / "binary.txt", bytes(range(256)) * 4)
    raw, rejects = ingest(discover([tmp_path]))
    assert raw.num_rows == 1
    assert raw["title"][0].as_py() == "Tiêu đề bài báo"
    reasons = {
        uri.rsplit("/", 1)[-1]: (reason, detail)
        for uri, reason, detail in zip(
            *(rejects[c].to_pylist() for c in ("source_uri", "reason", "detail")), strict=True
        )
    }
    assert reasons["empty.txt"][0] == "empty_file"
    assert reasons["blank.txt"][0] == "empty_file"
    assert reasons["binary.txt"][0] == "undecodable"
    assert "byte 128" in reasons["binary.txt"][1]
    assert set(reasons) == {"empty.txt", "blank.txt", "binary.txt"}
    assert set(rejects["stage"].to_pylist()) == {"ingest"}


def test_utf8_bom_is_accepted_and_not_part_of_the_title(tmp_path):
    write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + ARTICLE.encode())
    raw, rejects = ingest(discover([tmp_path]))
    assert rejects.num_rows == 0
    assert raw["title"][0].as_py() == "Tiêu đề bài báo"
    assert raw["encoding"][0].as_py() == "utf-8-sig"


def test_truncated_utf8_is_rejected_not_read_as_mojibake(tmp_path):
    text = "Tiêu đề\nViệt Nam tăng trưởng kinh tế mạnh mẽ trong năm nay.\n"
    write(tmp_path / "cut.txt", text.encode()[:-3] + "ệ".encode()[:2])
    raw, rejects = ingest(discover([tmp_path]))
    assert raw.num_rows == 0
    assert rejects["reason"].to_pylist() == ["undecodable"]
    assert "truncated" in rejects["detail"][0].as_py()
