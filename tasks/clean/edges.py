"""The article's edges: page furniture no rule names, told apart from prose by its shape.

Outlets wrap the article in short lines the rule pack cannot list one by one: section names,
datelines in the outlet's own format, the reporter's name, tags, widget labels, counters. Like
jusText, this looks at what a line is made of rather than what it says: prose is a sentence
(several words, lowercase words among them, closing punctuation); furniture is not. Only the run of
non-prose lines before the first prose line and after the last one is removed, so a subheading
between two paragraphs stays. A dateline or a name found there still fills `published_at` or
`author`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vnnews.tasks.text.dates import from_parts

if TYPE_CHECKING:
    from vnnews.tasks.clean.rules import RulePack

# A bare "?" is left out: at the foot of a page it mostly ends another story's headline.
SENTENCE_END = tuple('.!…"”')
WORD = re.compile(r"[^\W\d_]+")
DATE = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})(?!\d)"
    r"(?:\D{0,12}?(?P<hour>\d{1,2})[:h](?P<minute>\d{2})(?:\s*(?P<half>AM|PM|SA|CH))?)?",
    re.IGNORECASE,
)
TIME = re.compile(r"(?<!\d)(\d{1,2})[:h](\d{2})(?!\d)(?:\s*(AM|PM|SA|CH))?", re.IGNORECASE)
# Words a dateline may hold besides the date: weekdays, "cập nhật", time zones.
# fmt: off
DATE_WORDS = frozenset(["thứ", "hai", "ba", "tư", "năm", "sáu", "bảy", "chủ", "nhật", "cn", "cập",
                        "đăng", "ngày", "lúc", "gmt", "giờ", "am", "pm", "sa", "ch"])
# fmt: on
NAME_PART = re.compile(r"^[^\W\d_][^\s\d.,!?:;()#]*$")
RELAYED = re.compile(r"^\(?[^/()]+/\s*(?P<source>[A-ZĐ][\w.+ ]{1,20}?)\)?$")
END_MARK = re.compile(r"\s*\./\.$")
# A capitalised line that names a publication, not a person: "Báo Tiền Phong", "Theo AFP".
# fmt: off
NOT_A_NAME = frozenset(["Báo", "Theo", "Nguồn", "Tạp", "Đài", "Cơ", "Tổng", "Trang", "Tòa", "Toà",
                        "Bộ", "Sở", "Ban"])
# fmt: on


@dataclass(frozen=True)
class Edges:
    """Thresholds of the edge classifier (the rule pack's [edges] table)."""

    min_words: int = 6  # a sentence has at least this many words...
    min_lowercase_share: float = 0.3  # ...and this share of them start lowercase
    max_dateline_other_words: int = 4  # "| Chứng khoán" after a date is still a dateline
    # A line this long, mostly lowercase words, is prose even without closing punctuation
    # (photo stories, captions written as paragraphs): longer than any headline of a
    # "related news" list, the furniture that the punctuation test keeps out.
    long_prose_words: int = 25
    long_prose_lowercase_share: float = 0.6


def is_prose(line: str, edges: Edges) -> bool:
    """A sentence: enough words, some lowercase, closing punctuation; or a line long enough,
    mostly lowercase, to read as a paragraph whatever it ends with."""
    words = WORD.findall(line)
    if len(words) < edges.min_words:
        return False
    lowercase = sum(w[0].islower() for w in words) / len(words)
    if line.rstrip(" )").endswith(SENTENCE_END):
        return lowercase >= edges.min_lowercase_share
    return len(words) >= edges.long_prose_words and lowercase >= edges.long_prose_lowercase_share


def dateline(line: str, edges: Edges):
    """The UTC datetime a furniture line gives ("28-11-2024 - 10:15 AM | Thời sự"), else None."""
    match = DATE.search(line)
    if not match:
        return None
    rest = line[: match.start()] + " " + line[match.end() :]
    others = [w for w in WORD.findall(rest) if w.lower() not in DATE_WORDS]
    if len(others) > edges.max_dateline_other_words:
        return None
    hour, minute, half = match["hour"], match["minute"], match["half"]
    if hour is None and (before := TIME.search(line[: match.start()])):  # "07:15 02/12/2025"
        hour, minute, half = before.groups()
    if hour and (half or "").upper() in ("PM", "CH") and int(hour) < 12:
        hour = int(hour) + 12
    return from_parts(match["day"], match["month"], match["year"], hour, minute)


def name_line(line: str) -> str | None:
    """A reporter's name on a line of its own ("Hà Ánh", "NGỌC QUÝ", "(Hoàng Lê/VOV.VN)")."""
    name = re.split(r"\s*/\s*", line.strip("() "), maxsplit=1)[0].strip()
    parts = name.replace(" - ", " ").replace(" – ", " ").split()
    fits = 2 <= len(parts) <= 6 and parts[0] not in NOT_A_NAME
    if fits and all(p[0].isupper() and NAME_PART.match(p) for p in parts):
        return name
    return None


def trim_edges(body: list[str], pack: RulePack, found: dict, removed: Counter) -> None:
    """Remove the non-prose lines before the first prose line and after the last one.

    A body with no prose line at all (a list, a table, a notice) is left whole: there is no
    article to find the edges of."""
    prose = [i for i, line in enumerate(body) if is_prose(line, pack.edges)]
    if not prose:
        return
    head, tail = body[: prose[0]], body[prose[-1] + 1 :]
    for line in head + tail:
        if hit := pack.first("source_trailer", line):
            found["source"] = found["source"] or hit[1]["source"].strip()
        elif (when := dateline(line, pack.edges)) is not None:
            found["published_at"] = found["published_at"] or when
        elif name := name_line(line):
            found["author"] = found["author"] or name
            if agency := RELAYED.match(line):  # "(Xuân Khu/TTXVN)": the agency relayed
                found["source"] = found["source"] or agency["source"]
        removed["edge_line"] += 1
    del body[prose[-1] + 1 :]
    del body[: prose[0]]
    # The news agency's end mark: "... của Thái Lan./."
    body[-1] = END_MARK.sub(".", body[-1])
