"""Quote attribution against a hand-annotated gold set (tests/quotes.jsonl).

    .venv/bin/python -m benchmarks.quote_speakers [--misses]

43 short news articles, 101 quotes in “…”, each annotated with its speaker's full name (a
person, or an organisation that speaks as one), or none (a programme's title, an anonymous
passenger). The articles run through the real tokenise and extract stages. Printed:
- right speaker: of the quotes that have one, the share whose speaker is exactly it;
- any speaker: of those, the share given some speaker;
- precision: of the quotes given a speaker, the share that is right;
- wrongly given: quotes with no speaker that were given one.
"""

from __future__ import annotations

import json
import sys

import pyarrow as pa

from vnnews.tasks.extract.extract import extract
from vnnews.tasks.extract.gazetteer import Gazetteer
from vnnews.tasks.nlp.tokenise import tokenise
from vnnews.tasks.settings import PROJECT_ROOT
from vnnews.tasks.tables import DOCUMENTS
from vnnews.tasks.text.orthography import normalise_line

GOLD = PROJECT_ROOT / "tests" / "quotes.jsonl"


def attributed(path=GOLD) -> list[tuple[str, str, str | None, str | None]]:
    """(article id, quote text, gold speaker, found speaker) for every gold quote."""
    articles = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows = [
        {"doc_id": a["id"], "body": "\n".join(map(normalise_line, a["body"].split("\n")))}
        for a in articles
    ]
    documents = pa.Table.from_pylist(rows, schema=DOCUMENTS)
    sentences, tokens, _ = tokenise(documents)
    gazetteer = Gazetteer.load(PROJECT_ROOT / "seeds" / "gazetteers")
    quotes = extract(documents, sentences, tokens, gazetteer)[0]["quotes"].to_pylist()
    found = {(q["doc_id"], q["text"]): q["speaker"] for q in quotes}
    return [
        (a["id"], q["text"], q["speaker"], found.get((a["id"], normalise_line(q["text"]))))
        for a in articles
        for q in a["quotes"]
    ]


def scores(rows) -> dict[str, float]:
    spoken = [r for r in rows if r[2]]
    given = [r for r in rows if r[3]]
    right = sum(normalise_line(r[2]) == r[3] for r in spoken)
    return {
        "quotes": len(rows),
        "right speaker": right / len(spoken),
        "any speaker": sum(bool(r[3]) for r in spoken) / len(spoken),
        "precision": right / len(given) if given else 0.0,
        "wrongly given": sum(bool(r[3]) for r in rows if not r[2]),
    }


def main() -> int:
    rows = attributed()
    for name, value in scores(rows).items():
        print(f"{name:<15}{value:.3f}" if isinstance(value, float) else f"{name:<15}{value}")
    if "--misses" in sys.argv:
        for doc, text, want, got in rows:
            if (normalise_line(want) if want else None) != got:
                print(f"  {doc}: {text[:50]!r}: expected {want!r}, found {got!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
