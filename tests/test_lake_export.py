"""`vnnews export`: a real lake (the seeds, published by a real run) taken out in each format
and read back by the tools its users read it with: pyarrow, json, the conllu parser and
Hugging Face datasets; each export with its datasheet."""

import json
import os

import conllu
import datasets
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from vnnews.flows.cli.app import app
from vnnews.flows.pipeline import pipeline
from vnnews.tasks.lake import catalog
from vnnews.tasks.settings import load_settings

runner = CliRunner()


@pytest.fixture(scope="module")
def lake(prefect_harness, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("export") / "data"
    summary = pipeline(data_dir=str(data_dir))
    assert summary.status == "published"
    return data_dir


def export(lake, folder, *args):
    result = runner.invoke(app, ["export", str(folder), "--data-dir", str(lake), *args])
    assert result.exit_code == 0, result.output
    return json.loads((folder / "datasheet.json").read_text(encoding="utf-8"))


def counted(lake, table):
    return catalog.query(load_settings(data_dir=lake), f"SELECT count(*) FROM {table}")[1][0][0]


def test_parquet_and_jsonl_hold_every_row(lake, tmp_path):
    sheet = export(lake, tmp_path / "pq", "--tables", "documents,tokens,runs")
    assert pq.read_table(tmp_path / "pq" / "tokens.parquet").num_rows == counted(lake, "tokens")
    assert sheet["files"] == {
        f"{t}.parquet": counted(lake, t) for t in ("documents", "tokens", "runs")
    }
    export(lake, tmp_path / "js", "-f", "jsonl", "--tables", "documents")
    lines = (tmp_path / "js" / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    titles = {json.loads(line)["title"] for line in lines}
    assert len(lines) == counted(lake, "documents") == 2 and all(titles)


def test_conllu_parses_with_the_conllu_package(lake, tmp_path):
    export(lake, tmp_path, "-f", "conllu")
    sentences = conllu.parse((tmp_path / "corpus.conllu").read_text(encoding="utf-8"))
    assert len(sentences) == counted(lake, "sentences")
    assert sum(len(s) for s in sentences) == counted(lake, "tokens")
    words = [t for s in sentences for t in s]
    assert any(" " in t["form"] for t in words)  # Vietnamese words of several syllables
    assert any(t["misc"]["NER"] == "B-PER" for t in words if t["misc"])
    assert sentences[0].metadata["newdoc id"] and sentences[0].metadata["text"]


def test_a_hugging_face_folder_loads_with_datasets(lake, tmp_path):
    export(lake, tmp_path / "hf", "-f", "hf")
    cache = str(tmp_path / "cache")  # datasets' own cache would answer for an older folder
    folder = str(tmp_path / "hf" / "documents")
    documents = datasets.load_dataset("parquet", data_dir=folder, cache_dir=cache)
    assert documents["train"].num_rows == counted(lake, "documents")
    # The card names a config per table.
    tokens = datasets.load_dataset(str(tmp_path / "hf"), "tokens", cache_dir=cache)
    assert tokens["train"].num_rows == counted(lake, "tokens")


def test_the_datasheet_says_what_the_export_holds(lake, tmp_path):
    sheet = export(lake, tmp_path, "--tables", "documents", "--as-of", "1")
    assert sheet["snapshot_id"] == 1 and len(sheet["runs"]) == 1 and sheet["code_revisions"]
    assert sum(s["documents"] for s in sheet["sources"]) == counted(lake, "documents")
    assert all(s["licence"].startswith("not stated") for s in sheet["sources"])
    assert {v["stage"] for v in sheet["validation"]} >= {"ingest", "clean", "publish"}
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "snapshot 1" in readme and "## Sources and their terms" in readme


def test_bad_requests_are_named(lake, tmp_path):
    for args, message in (
        (["-f", "xml"], "one of parquet"),
        (["--tables", "nope"], "No table nope"),
    ):
        result = runner.invoke(app, ["export", str(tmp_path), "--data-dir", str(lake), *args])
        assert result.exit_code == 1 and message in result.output, result.output


def test_an_export_never_writes_through_a_link_already_in_the_folder(lake, tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder = tmp_path / "out"
    folder.mkdir()
    for name, target, fmt in [
        ("README.md", precious, "parquet"),
        ("datasheet.json", precious, "jsonl"),
        ("documents.parquet", precious, "parquet"),
        ("corpus.conllu", precious, "conllu"),
        ("documents", elsewhere, "hf"),  # a folder of the hf layout
    ]:
        link = folder / name
        link.symlink_to(target)
        result = runner.invoke(app, ["export", str(folder), "--data-dir", str(lake), "-f", fmt])
        assert result.exit_code == 1, result.output
        assert f"{link} is a symbolic link (to {target})" in " ".join(result.output.split())
        assert precious.read_text() == "keep me" and not any(elsewhere.iterdir())
        assert [p.name for p in folder.iterdir()] == [name]  # nothing half-written
        link.unlink()
    # A second name for the same file (a hard link) is replaced, not written through.
    os.link(precious, folder / "README.md")
    export(lake, folder, "--tables", "runs")
    assert precious.read_text() == "keep me"
    assert "# vnnews corpus" in (folder / "README.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.md",
        "datasheet.json",
        "runs.parquet",
    ]


def test_export_into_a_file_is_a_one_line_error(lake, tmp_path):
    file = tmp_path / "taken"
    file.write_text("x")
    result = runner.invoke(app, ["export", str(file), "--data-dir", str(lake)], terminal_width=300)
    assert (
        result.exit_code == 1
        and result.output == f"{file} is a file, not a folder: name a folder to export into.\n"
    )
