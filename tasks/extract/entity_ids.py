"""entity_id: one name for one entity, however an article writes it.

Counting "Nhật" apart from "Nhật Bản", or "ông Phúc" apart from "Nguyễn Xuân Phúc", splits every
count an analyst makes. An entity's id is, first that applies:
1. the canonical name of its entry in aliases.tsv, for the same type ("Nhật" -> "Nhật Bản",
   "Bộ GD&ĐT" -> "Bộ Giáo dục và Đào tạo"); case is ignored;
2. for a person named by the end of a name met earlier in the same article, that full name,
   when exactly one earlier person's name ends so ("Phúc" -> "Nguyễn Xuân Phúc"; with two
   earlier people called Phúc it stays "Phúc");
3. its `normalized` name.
"""

from __future__ import annotations


def _position(row: dict) -> tuple[bool, int]:
    return row["start"] is None, row["start"] or 0  # names outside the body come last


def assign_ids(rows: list[dict], aliases: dict[tuple[str, str], str]) -> None:
    """Set `entity_id` on every entity row of one document."""
    people: list[list[str]] = []  # the syllables of each person's full name, in body order
    for row in sorted(rows, key=_position):
        name, kind = row["normalized"], row["type"]
        if canonical := aliases.get((kind, name.casefold())):
            row["entity_id"] = canonical
        elif kind == "PER":
            row["entity_id"] = _person(name.split(), people)
        else:
            row["entity_id"] = name


def _person(syllables: list[str], people: list[list[str]]) -> str:
    n = len(syllables)
    fuller = {" ".join(p) for p in people if len(p) > n and p[-n:] == syllables}
    if len(fuller) == 1:
        return fuller.pop()
    if n >= 2 and syllables not in people:
        people.append(syllables)
    return " ".join(syllables)
