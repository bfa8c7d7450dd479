"""Gold NER data as (text, {(type, start, end)}) per sentence, from three common forms.

- conll: one word per line, first column the word (syllables joined by space or _), last column
  the BIO tag, blank line between sentences. Columns are split on tabs when the line has any
  (VLSP 2016 words hold spaces: "đau khổ\tA\tB-AP\tO"), else on spaces.
- jsonl: {"text": ..., "entities": [{"type", "start", "end"}]} per line.
- muc: a directory of *.muc files (VLSP 2018) with inline <ENAMEX TYPE="...">...</ENAMEX>;
  each non-empty line is one unit; only the outermost entities count (nested ones, such as the
  person a school is named after, are level-2 annotations).
Type names are mapped onto PER/LOC/ORG/MISC.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

TYPE_NAMES = {"PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG", "MISCELLANEOUS": "MISC"}
TAG = re.compile(r'<ENAMEX TYPE="([A-Z]+)">|</ENAMEX>')


def bio_spans(offsets: list[tuple[int, int]], tags: list[str]) -> set:
    """Plain BIO decoding: (type, start, end) per entity; a new type or B- closes a span."""
    spans, current = set(), None
    for (start, end), tag in zip(offsets, tags, strict=True):
        kind = tag[2:] if tag[:2] in ("B-", "I-") else None
        if current and (tag.startswith("B-") or kind != current[0]):
            spans.add(tuple(current))
            current = None
        if kind and current is None:
            current = [kind, start, end]
        elif kind:
            current[2] = end
    if current:
        spans.add(tuple(current))
    return spans


def joined(words: list[str]) -> tuple[str, list[tuple[int, int]]]:
    offsets, at = [], 0
    for w in words:
        offsets.append((at, at + len(w)))
        at += len(w) + 1
    return " ".join(words), offsets


def read_conll(path: Path) -> list[tuple[str, set]]:
    out, words, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        cols = line.split("\t") if "\t" in line else line.split()
        if line.strip() and not line.startswith("-DOCSTART-"):
            words.append(cols[0].strip().replace("_", " "))
            tags.append(cols[-1].strip())
        elif words:
            text, offsets = joined(words)
            out.append((text, bio_spans(offsets, tags)))
            words, tags = [], []
    return out


def read_jsonl(path: Path) -> list[tuple[str, set]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [(r["text"], {(e["type"], e["start"], e["end"]) for e in r["entities"]}) for r in rows]


def parse_muc_line(line: str) -> tuple[str, set]:
    """Strip the tags, keep outermost spans in plain-text offsets."""
    text, spans, stack, at = [], set(), [], 0
    for m in TAG.finditer(line):
        piece = line[at : m.start()]
        text.append(piece)
        at = m.end()
        offset = sum(map(len, text))
        if m.group(1):
            stack.append((m.group(1), offset))
        elif stack:
            kind, start = stack.pop()
            if not stack:
                spans.add((TYPE_NAMES.get(kind, kind), start, offset))
    text.append(line[at:])
    return "".join(text), spans


def read_muc_file(path: Path) -> list[tuple[str, set]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            text, spans = parse_muc_line(line)
            # Units are trimmed so that offsets stay valid after the analyser strips them.
            lead = len(text) - len(text.lstrip())
            spans = {(k, s - lead, e - lead) for k, s, e in spans}
            out.append((text.strip(), spans))
    return out


def read_muc(directory: Path) -> list[tuple[str, set]]:
    return [unit for path in sorted(directory.rglob("*.muc")) for unit in read_muc_file(path)]


def read_ner(path: Path, fmt: str, with_folder: bool = False) -> list[tuple]:
    """(text, spans) per unit; with_folder: (folder, text, spans), the folder being a .muc
    file's directory (VLSP 2018's news section) or, for one file, its name."""
    if fmt == "muc" and with_folder:
        return [
            (muc.parent.name, text, spans)
            for muc in sorted(path.rglob("*.muc"))
            for text, spans in read_muc_file(muc)
        ]
    readers = {"conll": read_conll, "jsonl": read_jsonl, "muc": read_muc}
    units = readers[fmt](path)
    return [(path.name, text, spans) for text, spans in units] if with_folder else units
