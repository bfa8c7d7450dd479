"""Clean-quality report: paragraph-level precision and recall on the hand-written fixtures.

    .venv/bin/python -m benchmarks.clean_quality

Precision: of the paragraphs the clean stage kept, the share that belong to the article.
Recall: of the article's paragraphs (tests/fixtures/expected.json), the share that were kept.
Also prints every fixture whose title, captions, source, author or date differ.
"""

from __future__ import annotations

from tests.fixture_check import EXPECTED, cleaned_fixtures, paragraph_scores
from vnnews.tasks.clean.rules import RulePack
from vnnews.tasks.settings import PROJECT_ROOT


def main() -> int:
    pack = RulePack.load(PROJECT_ROOT / "seeds" / "rules" / "boilerplate.toml")
    got, _ = cleaned_fixtures(pack)
    wanted = EXPECTED["documents"]
    by_format: dict[str, dict] = {}
    for key in wanted:
        by_format.setdefault(key.split("/")[0], {})[key] = wanted[key]
    print(f"{'fixtures':<10}{'docs':>6}{'paragraphs':>12}{'precision':>11}{'recall':>8}")
    for name, subset in [*sorted(by_format.items()), ("all", wanted)]:
        precision, recall, counts = paragraph_scores(got, subset)
        print(f"{name:<10}{len(subset):>6}{counts['gold']:>12}{precision:>11.3f}{recall:>8.3f}")
    mismatches = [
        f"  {key}: {field} = {got.get(key, {}).get(field)!r}, expected {value!r}"
        for key, want in wanted.items()
        for field, value in want.items()
        if field != "body" and got.get(key, {}).get(field) != value
    ]
    print(f"metadata mismatches: {len(mismatches)}")
    print("\n".join(mismatches))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
