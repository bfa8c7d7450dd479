"""`vnnews tokenize` / `extract` on bad input: a message naming the file and the fix, never a
traceback; bad lines are skipped and counted, and a file of nothing but bad lines fails."""

import pytest
from typer.testing import CliRunner

from vnnews.flows.cli.app import app

runner = CliRunner()


def invoke(command, source, target):
    return runner.invoke(app, [command, "-i", str(source), "-o", str(target), "--workers", "1"])


@pytest.mark.parametrize("command", ["tokenize", "extract"])
def test_missing_input_or_output_folder_is_named(command, tmp_path):
    missing = invoke(command, tmp_path / "nowhere.jsonl", tmp_path / "out.jsonl")
    assert missing.exit_code == 1 and "nowhere.jsonl: no such file" in missing.output
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "text": "Hà Nội."}\n', encoding="utf-8")
    no_folder = invoke(command, source, tmp_path / "no" / "out.jsonl")
    assert no_folder.exit_code == 1 and "does not exist; create it first" in no_folder.output
    assert no_folder.exception is None or isinstance(no_folder.exception, SystemExit)


def test_input_that_is_not_utf8_is_named_with_the_fix(tmp_path):
    source = tmp_path / "legacy.jsonl"
    source.write_bytes(b'{"id": 1, "text": "H\xe0 N\xf4i"}\n')  # a legacy 8-bit code page
    result = invoke("tokenize", source, tmp_path / "out.jsonl")
    assert result.exit_code == 1, result.output
    assert "legacy.jsonl: not UTF-8" in result.output and "iconv" in result.output
    assert isinstance(result.exception, SystemExit)


def test_only_bad_lines_fail_and_each_is_named(tmp_path):
    source = tmp_path / "bad.jsonl"
    source.write_text('{"id": 1}\n[1, 2]\n{"text": 5}\nnot json\n', encoding="utf-8")
    target = tmp_path / "out.jsonl"
    result = invoke("extract", source, target)
    assert result.exit_code == 1
    for number in (1, 2, 3, 4):
        assert f"line {number}:" in result.output
    assert "0 records written" in result.output and target.read_text() == ""


def test_good_lines_are_written_past_the_bad_ones(tmp_path):
    source = tmp_path / "mixed.jsonl"
    source.write_text(
        '{"id": "a", "text": "Hà Nội mưa lớn."}\n{oops\n{"id": "b", "text": "Trời nắng."}\n',
        encoding="utf-8",
    )
    target = tmp_path / "out.jsonl"
    result = invoke("tokenize", source, target)
    assert result.exit_code == 0, result.output
    assert "2 records written" in result.output and "1 lines skipped" in result.output
    assert [line.split('"id": ')[1][:3] for line in target.read_text().splitlines()] == [
        '"a"',
        '"b"',
    ]
