"""Run the fixture articles through ingest + clean and compare with tests/fixtures/expected.json."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from vnnews.tasks.clean.clean import clean
from vnnews.tasks.clean.quality import filter_quality
from vnnews.tasks.clean.rules import RulePack
from vnnews.tasks.ingest.ingest import discover, ingest
from vnnews.tasks.settings import PROJECT_ROOT

FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


def key_of(uri: str) -> str:
    """'file:///.../tests/fixtures/jsonl/news.jsonl#L1' -> 'jsonl/news.jsonl#L1'."""
    return uri.split("/tests/fixtures/", 1)[1]


def cleaned_fixtures(pack: RulePack, root: Path = FIXTURES):
    """{fixture key: published document fields}, {fixture key: reject reason}."""
    raw, rejects = ingest(discover([root]), pack.html)
    docs, _ = clean(raw, pack)
    docs, dropped = filter_quality(docs, pack.quality)
    out = {}
    for doc in docs.to_pylist():
        published = doc["published_at"]
        out[key_of(doc["source_uri"])] = {
            "title": doc["title"],
            "body": doc["body"].split("\n"),
            "captions": doc["captions"],
            "source": doc["source"],
            "author": doc["author"],
            "published_at": published.isoformat() if published else None,
        }
    reasons = {
        key_of(r["source_uri"]): r["reason"] for r in rejects.to_pylist() + dropped.to_pylist()
    }
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
