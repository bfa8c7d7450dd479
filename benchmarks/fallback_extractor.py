"""trafilatura as the HTML reader, beside ours: the same pages, the same clean stage after it.

Scored on every HTML page of the fixture sets and on those where none of the rule pack's
container selectors matched (the pages a fallback would be for). Run by benchmarks.live_fetch.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from selectolax.lexbor import LexborHTMLParser

from tests.fixture_check import cleaned, expected, key_of, paragraph_scores
from vnnews.tasks.clean.rules import RulePack
from vnnews.tasks.ingest.discover import discover
from vnnews.tasks.ingest.ingest import ingest
from vnnews.tasks.ingest.readers import article_container


def _recognised(path: Path, pack: RulePack) -> bool:
    tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
    return article_container(tree, pack.html.content) is not None


def _with_trafilatura(raw: pa.Table, files: dict[str, Path], **options) -> pa.Table:
    import trafilatura

    texts = [
        trafilatura.extract(files[uri].read_text(encoding="utf-8"), **options) or ""
        for uri in raw["source_uri"].to_pylist()
    ]
    return raw.set_column(raw.schema.get_field_index("raw_text"), "raw_text", pa.array(texts))


def compare(pack: RulePack, roots) -> list[str]:
    try:
        import trafilatura  # noqa: F401
    except ImportError:
        return ["trafilatura is not installed: `.venv/bin/uv pip install trafilatura`, then again"]
    readers = {
        "ours": lambda raw, files: raw,
        "trafilatura": lambda raw, files: _with_trafilatura(raw, files, include_comments=False),
        "trafilatura, favor_recall": lambda raw, files: _with_trafilatura(
            raw, files, include_comments=False, favor_recall=True
        ),
    }
    scores: dict[str, dict] = {name: {} for name in readers}
    want_all, want_unrecognised = {}, {}
    for root in roots:
        files = {f.uri: f.path for f in discover([root]) if f.kind == ".html"}
        raw, rejects = ingest([f for f in discover([root]) if f.uri in files], pack.html)
        key = lambda uri, root=root: f"{root.name}/{key_of(uri, root)}"  # noqa: E731
        for name, read in readers.items():
            got, _ = cleaned(read(raw, files), rejects, pack, key)
            scores[name].update(got)
        for k, want in expected(root)["documents"].items():
            if k.endswith(".html"):
                want_all[f"{root.name}/{k}"] = want
                if not _recognised(root / k, pack):
                    want_unrecognised[f"{root.name}/{k}"] = want
    rows = [f"{'':<48}{'pages':>6}{'precision':>11}{'recall':>8}"]
    for subset, want in (("all pages", want_all), ("no selector matched", want_unrecognised)):
        for name, got in scores.items():
            precision, recall, _ = paragraph_scores(got, want)
            label = f"{subset}, {name}"
            rows.append(f"{label:<48}{len(want):>6}{precision:>11.3f}{recall:>8.3f}")
    return rows
