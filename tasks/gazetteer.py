"""Gazetteers (lists in seeds/gazetteers/*.tsv) compiled into matchers over sentence text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tasks.orthography import normalise_tones

FILES = ("loc", "org", "org_prefixes", "titles", "not_entities", "stopwords")


def read_list(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SystemExit(f"Cannot read gazetteer {path}: {exc.strerror}") from exc
    # Entries are normalised like article text (NFC, old-style tone marks) so that they match it.
    entries = (normalise_tones(line.split("#", 1)[0].strip()) for line in lines)
    return [e for e in entries if e]


def phrase_pattern(phrases: list[str]) -> re.Pattern:
    """Whole-word alternation, longest phrase first so the longest match wins."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered) or "(?!)"
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


@dataclass(frozen=True)
class Gazetteer:
    loc: re.Pattern
    org: re.Pattern
    org_prefixes: re.Pattern
    titles: re.Pattern
    not_entities: frozenset[str]
    stopwords: frozenset[str]

    @classmethod
    def load(cls, directory: Path) -> Gazetteer:
        lists = {name: read_list(directory / f"{name}.tsv") for name in FILES}
        return cls(
            loc=phrase_pattern(lists["loc"]),
            org=phrase_pattern(lists["org"]),
            org_prefixes=phrase_pattern(lists["org_prefixes"]),
            titles=phrase_pattern(lists["titles"]),
            not_entities=frozenset(lists["not_entities"]),
            stopwords=frozenset(lists["stopwords"]),
        )
