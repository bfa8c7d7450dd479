"""Run fixture articles through ingest + clean and compare them with their expected.json.

Two sets: tests/fixtures (written alongside the rule pack, so it shows what the rules promise) and
tests/outlets (pages in other outlets' conventions, written without the rule pack, so it shows how
the rules do on furniture they were not written for).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from vnnews.tasks.clean.clean import clean
from vnnews.tasks.clean.quality import filter_quality
from vnnews.tasks.clean.repeated import COUNTS, furniture, line_hashes
from vnnews.tasks.clean.rules import RulePack
from vnnews.tasks.ingest.ingest import discover, ingest
from vnnews.tasks.settings import PROJECT_ROOT
from vnnews.tasks.text.orthography import normalise_line

FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
OUTLETS = PROJECT_ROOT / "tests" / "outlets"
UNSEEN = PROJECT_ROOT / "tests" / "unseen"
HELDOUT = PROJECT_ROOT / "tests" / "heldout"
BLIND = PROJECT_ROOT / "tests" / "blind"


def expected(root: Path) -> dict:
    return json.loads((root / "expected.json").read_text(encoding="utf-8"))


EXPECTED = expected(FIXTURES)


def key_of(uri: str, root: Path) -> str:
    """'file:///.../tests/fixtures/jsonl/news.jsonl#L1' -> 'jsonl/news.jsonl#L1'."""
    return uri.split(f"/tests/{root.name}/", 1)[1]


def cleaned_fixtures(pack: RulePack, root: Path = FIXTURES):
    """{fixture key: published document fields}, {fixture key: reject reason}."""
    raw, rejects = ingest(discover([root]), pack.html)
    return cleaned(raw, rejects, pack, lambda uri: key_of(uri, root))


def cleaned(raw, rejects, pack: RulePack, key: Callable[[str], str]):
    """Raw documents through clean and the quality filters, as a run would take them (lines
    repeated across the articles counted as furniture): (fields by key, reasons by key)."""
    repeats = furniture(raw, line_hashes(raw, pack.repeated), COUNTS.empty_table(), pack.repeated)
    docs, _ = clean(raw, pack, repeats)
    docs, dropped = filter_quality(docs, pack.quality)
    out = {}
    for doc in docs.to_pylist():
        published = doc["published_at"]
        out[key(doc["source_uri"])] = {
            "title": doc["title"],
            "body": doc["body"].split("\n"),
            "captions": doc["captions"],
            "source": doc["source"],
            "author": doc["author"],
            "published_at": published.isoformat() if published else None,
        }
    reasons = {key(r["source_uri"]): r["reason"] for r in rejects.to_pylist() + dropped.to_pylist()}
    return out, reasons


def paragraph_scores(got: dict, want: dict) -> tuple[float, float, Counter]:
    """Paragraph-level precision and recall of kept bodies against expected bodies."""
    counts: Counter = Counter()
    for key, expected in want.items():
        kept = Counter(got.get(key, {}).get("body", []))
        gold = Counter(expected["body"])
        counts["tp"] += sum((kept & gold).values())
        counts["kept"] += sum(kept.values())
        counts["gold"] += sum(gold.values())
    precision = counts["tp"] / counts["kept"] if counts["kept"] else 0.0
    recall = counts["tp"] / counts["gold"] if counts["gold"] else 0.0
    return precision, recall, counts


def lost_paragraphs(got: dict, want: dict) -> list[tuple[str, str]]:
    """(key, paragraph) for every expected paragraph that is in no kept paragraph at all.

    Stricter than recall in one way only: a paragraph kept with furniture glued to it (an outlet's
    dateline marker) is not lost, it is imprecise."""
    return [
        (key, paragraph)
        for key, expected_doc in want.items()
        for paragraph in expected_doc["body"]
        if not any(paragraph in kept for kept in got.get(key, {}).get("body", []))
    ]


def furniture_lines(root: Path = OUTLETS) -> list[str]:
    """The lines of the text pages under root that are not the article: not the title, a body
    paragraph (with or without an outlet's marker around it) or a caption."""
    lines = []
    for key, want in expected(root)["documents"].items():
        if not key.endswith(".txt"):
            continue
        article = [want["title"], *want["body"], *(c["text"] for c in want["captions"])]
        for raw in (root / key).read_text(encoding="utf-8").splitlines():
            line = normalise_line(raw)
            if line and not any(part in line for part in article):
                lines.append(line)
    return lines
