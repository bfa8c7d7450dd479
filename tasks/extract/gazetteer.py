"""Gazetteers (lists in seeds/gazetteers/*.tsv) compiled into matchers over sentence text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from vnnews.tasks.text.orthography import normalise_tones

FILES = (
    "countries",
    "loc",
    "loc_prefixes",
    "admin_prefixes",
    "org",
    "org_prefixes",
    "misc_prefixes",
    "titles",
    "surnames",
    "not_entities",
    "stopwords",
)


def read_list(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SystemExit(f"Cannot read gazetteer {path}: {exc.strerror}") from exc
    # Entries are normalised like article text (NFC, old-style tone marks) so that they match it.
    entries = (normalise_tones(line.split("#", 1)[0].strip()) for line in lines)
    return [e for e in entries if e]


def read_aliases(path: Path) -> dict[tuple[str, str], str]:
    """aliases.tsv: {(type, any written form, casefolded): canonical name}."""
    table = {}
    for line in read_list(path):
        kind, canonical, *others = [cell.strip() for cell in line.split("\t") if cell.strip()]
        for form in (canonical, *others):
            table[(kind, form.casefold())] = canonical
    return table


def capitalised(phrases: list[str]) -> list[str]:
    """Lowercase openers ("tỉnh", "anh") also open a sentence: "Tỉnh Quảng Nam ..."."""
    return [p[:1].upper() + p[1:] for p in phrases if p[:1].islower()]


def phrase_pattern(phrases: list[str]) -> re.Pattern:
    """Whole-word alternation, longest phrase first so the longest match wins."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered) or "(?!)"
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


@dataclass(frozen=True)
class Gazetteer:
    countries: re.Pattern
    loc: re.Pattern  # countries included
    loc_prefixes: re.Pattern  # administrative units included
    admin_prefixes: frozenset[str]  # casefolded: the openers `normalized` drops
    org: re.Pattern
    org_prefixes: re.Pattern
    misc_prefixes: re.Pattern
    titles: re.Pattern
    surnames: frozenset[str]
    sentence_initial: frozenset[str]  # capitalised openers valid only at a sentence's start
    not_entities: frozenset[str]
    stopwords: frozenset[str]
    aliases: dict[tuple[str, str], str]

    @classmethod
    def load(cls, directory: Path) -> Gazetteer:
        lists = {name: read_list(directory / f"{name}.tsv") for name in FILES}
        lists["loc_prefixes"] += lists["admin_prefixes"]
        openers = ("loc_prefixes", "misc_prefixes", "titles")
        initial = {name: capitalised(lists[name]) for name in openers}
        return cls(
            countries=phrase_pattern(lists["countries"]),
            loc=phrase_pattern(lists["countries"] + lists["loc"]),
            loc_prefixes=phrase_pattern(lists["loc_prefixes"] + initial["loc_prefixes"]),
            admin_prefixes=frozenset(p.casefold() for p in lists["admin_prefixes"]),
            org=phrase_pattern(lists["org"]),
            org_prefixes=phrase_pattern(lists["org_prefixes"]),
            misc_prefixes=phrase_pattern(lists["misc_prefixes"] + initial["misc_prefixes"]),
            titles=phrase_pattern(lists["titles"] + initial["titles"]),
            surnames=frozenset(lists["surnames"]),
            sentence_initial=frozenset(p for name in openers for p in initial[name])
            - {p for name in openers for p in lists[name]},
            not_entities=frozenset(lists["not_entities"]),
            stopwords=frozenset(lists["stopwords"]),
            aliases=read_aliases(directory / "aliases.tsv"),
        )
