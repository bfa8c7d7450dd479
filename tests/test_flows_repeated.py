"""A line an outlet repeats is furniture whatever the batch size, and stays furniture in later
runs: the lake keeps every published article's line hashes (`line_hashes`)."""

import json

from tests.fixture_check import UNSEEN
from vnnews.flows.pipeline import pipeline
from vnnews.tasks.lake import catalog
from vnnews.tasks.settings import load_settings

PROMPT = "Mời quý độc giả đón đọc chuyên trang Kinh tế số của báo vào mỗi sáng thứ hai hằng tuần."


def articles() -> list[tuple[str, list[str]]]:
    """Five different articles (title, paragraphs) from the unseen set's gold."""
    gold = json.loads((UNSEEN / "expected.json").read_text(encoding="utf-8"))["documents"]
    seen, out = set(), []
    for want in gold.values():
        if want["title"] not in seen:
            seen.add(want["title"])
            out.append((want["title"], want["body"]))
    return out[:5]


def write(src, i: int, title: str, body: list[str]) -> None:
    # The prompt sits between two paragraphs, where neither a rule nor the edges would take it.
    lines = [title, body[0], PROMPT, *body[1:]]
    (src / f"{i:02d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def bodies(data_dir) -> list[str]:
    return [
        row[0]
        for row in catalog.query(load_settings(data_dir=data_dir), "SELECT body FROM documents")[1]
    ]


def test_repeated_lines_across_batches_and_runs(prefect_harness, tmp_path, monkeypatch):
    src = tmp_path / "outlet"
    src.mkdir()
    first, later = articles()[:3], articles()[3:]
    for i, (title, body) in enumerate(first):
        write(src, i, title, body)
    monkeypatch.setenv("VNNEWS_BATCH_SIZE", "1")  # each article cleaned in a batch of its own
    data_dir = tmp_path / "data"
    summary = pipeline(sources=[str(src)], data_dir=str(data_dir))
    assert summary.status == "published" and summary.n_published == 3
    assert summary.removed_paragraphs["repeated_line"] == 3
    assert not any(PROMPT in body for body in bodies(data_dir))

    # The next run brings one more article of the outlet: the published three make the prompt
    # furniture in it too.
    title, body = later[0]
    write(src, 9, title, body)
    summary = pipeline(sources=[str(src)], data_dir=str(data_dir))
    assert summary.n_published == 1 and summary.removed_paragraphs["repeated_line"] == 1
    assert len(bodies(data_dir)) == 4 and not any(PROMPT in b for b in bodies(data_dir))
    settings = load_settings(data_dir=data_dir)
    counts = catalog.query(settings, "SELECT count(DISTINCT doc_id) FROM line_hashes")[1]
    assert counts == [(4,)]
