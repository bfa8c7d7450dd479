"""Clean: strip outlet boilerplate from raw articles, normalise Unicode, filter by quality.

What counts as boilerplate is data (a TOML rule pack), not code; see seeds/rules/boilerplate.toml.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from tasks.tables import DOCUMENTS, REJECTS, from_rows, reject

INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
INLINE_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    max_chars: int = 10_000


@dataclass(frozen=True)
class RulePack:
    drop_line: list[Rule] = field(default_factory=list)
    truncate: list[Rule] = field(default_factory=list)
    caption: list[Rule] = field(default_factory=list)
    source_marker: list[Rule] = field(default_factory=list)
    min_body_chars: int = 80

    @classmethod
    def load(cls, path: Path) -> RulePack:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SystemExit(f"Cannot read rule pack {path}: {exc}") from exc

        def rules(kind: str) -> list[Rule]:
            out = []
            for item in raw.get(kind, []):
                try:
                    pattern = re.compile(item["pattern"])
                except (KeyError, re.error) as exc:
                    raise SystemExit(
                        f"{path}: rule {item.get('name')!r} in [[{kind}]]: {exc}"
                    ) from exc
                out.append(Rule(item["name"], pattern, item.get("max_chars", 10_000)))
            return out

        kinds = ("drop_line", "truncate", "caption", "source_marker")
        quality = raw.get("quality", {})
        return cls(**{k: rules(k) for k in kinds}, min_body_chars=quality.get("min_body_chars", 80))


def normalise_text(line: str) -> str:
    """NFC, invisible characters out, every run of (non-breaking) spaces -> one space."""
    line = unicodedata.normalize("NFC", line).translate(INVISIBLE)
    return SPACES.sub(" ", line).strip()


def _first_match(rules: list[Rule], text: str) -> tuple[Rule, re.Match] | None:
    for rule in rules:
        if len(text) <= rule.max_chars and (m := rule.pattern.search(text)):
            return rule, m
    return None


def clean_article(raw_text: str, pack: RulePack, removed: Counter) -> dict:
    """Body, captions and source of one raw article (title = first non-empty line)."""
    lines = [normalise_text(line) for line in raw_text.splitlines()]
    lines = [line for line in lines if line]
    body, captions, source = [], [], None
    rest = lines[1:]
    for i, line in enumerate(rest):
        if hit := _first_match(pack.truncate, line):
            removed[hit[0].name] += len(rest) - i
            break
        if hit := _first_match(pack.drop_line, line):
            removed[hit[0].name] += 1
            continue
        if hit := _first_match(pack.caption, line):
            removed[hit[0].name] += 1
            captions.append({"text": hit[1]["text"].strip(), "credit": hit[1]["credit"].strip()})
            continue
        if not body and source is None and (hit := _first_match(pack.source_marker, line)):
            removed[hit[0].name] += 1
            source = hit[1]["source"].strip()
            line = line[hit[1].end() :].strip()
        # Image markup inside a paragraph goes; so do the table pipes it often leaves behind.
        line = SPACES.sub(" ", INLINE_IMAGE.sub("", line)).strip(" |")
        if line:
            body.append(line)
    return {"body": "\n".join(body), "captions": captions, "source": source}


def clean(raw: pa.Table, pack: RulePack) -> tuple[pa.Table, pa.Table, Counter]:
    """Clean a batch: (documents, rejects, paragraphs removed per rule name)."""
    removed: Counter = Counter()
    docs, rejects = [], []
    for row in raw.to_pylist():
        cleaned = clean_article(row["raw_text"], pack, removed)
        body = cleaned["body"]
        if not body:
            rejects.append(reject(row["source_uri"], "clean", "empty_body", "", row["doc_id"]))
            continue
        if len(body) < pack.min_body_chars:
            detail = f"{len(body)} chars < min_body_chars={pack.min_body_chars}"
            rejects.append(reject(row["source_uri"], "clean", "too_short", detail, row["doc_id"]))
            continue
        docs.append({**{k: row[k] for k in DOCUMENTS.names if k in row}, **cleaned})
    return from_rows(docs, DOCUMENTS), from_rows(rejects, REJECTS), removed


def drop_duplicates(documents: pa.Table) -> tuple[pa.Table, pa.Table]:
    """Keep the first document of each identical body; the others become `duplicate` rejects.

    The same file given twice (same doc_id) is a duplicate too.
    """
    first_by_body: dict[str, str] = {}
    kept_ids: set[str] = set()
    keep, rejects = [], []
    columns = (documents[c].to_pylist() for c in ("doc_id", "source_uri", "body"))
    for i, (doc_id, uri, body) in enumerate(zip(*columns, strict=True)):
        if body in first_by_body or doc_id in kept_ids:
            first = first_by_body.get(body, doc_id)
            rejects.append(
                reject(uri, "clean", "duplicate", f"same body as doc_id {first}", doc_id)
            )
            continue
        first_by_body[body] = doc_id
        kept_ids.add(doc_id)
        keep.append(i)
    return documents.take(keep), from_rows(rejects, REJECTS)
