"""Dates mentioned in text, and publication dates from metadata.

Mentions: "20/03/2025", "14/5" (day and month, year unknown), "ngày 14 tháng 5 năm 2020",
"tháng 5/2020", "năm 2020", and relative ones ("hôm qua", "tuần trước", "năm ngoái") that get a
value only when the article's publication date is known. Metadata: ISO 8601 from page markup, or
Vietnamese dd/mm/yyyy [hh:mm] furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7))
DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\D+(\d{1,2}):(\d{2}))?")

# "14/5" is a date only after a word that introduces one ("Ngày 14/5"), not in "24/7" or "1/2".
# fmt: off
CUE_WORDS = ("ngày", "Ngày", "hôm", "sáng", "trưa", "chiều", "tối", "đêm", "từ", "đến", "tới",
             "vào", "trước", "sau")
# fmt: on
CUE = "(?:" + "|".join(f"(?<={w} )" for w in CUE_WORDS) + ")"
DATE_PATTERNS = [
    (re.compile(r"(?i)ngày (?P<d>\d{1,2}) tháng (?P<m>\d{1,2})(?: năm (?P<y>\d{4}))?"), "day"),
    (re.compile(r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?![\d/])"), "day"),
    (re.compile(CUE + r"(?P<d>\d{1,2})/(?P<m>\d{1,2})(?![\d/])"), "day"),
    (re.compile(r"(?i)tháng (?P<m>\d{1,2})(?:/| năm )(?P<y>\d{4})(?![\d/])"), "month"),
    (re.compile(r"(?i)(?<!\d )năm (?P<y>(?:19|20)\d{2})(?!\d)"), "year"),
]
RELATIVE = {
    "hôm nay": ("day", 0),
    "hôm qua": ("day", -1),
    "hôm kia": ("day", -2),
    "ngày mai": ("day", 1),
    "tuần trước": ("week", -7),
    "tuần sau": ("week", 7),
    "tuần này": ("week", 0),
    "tháng trước": ("month", -1),
    "tháng này": ("month", 0),
    "tháng sau": ("month", 1),
    "năm ngoái": ("year", -1),
    "năm trước": ("year", -1),
    "năm nay": ("year", 0),
    "năm sau": ("year", 1),
}
RELATIVE_RE = re.compile(r"(?i)(?<!\w)(" + "|".join(RELATIVE) + r")(?!\w)")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    fields: dict


def _month_shift(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def _relative(word: str, anchor: date | None) -> dict:
    precision, step = RELATIVE[word.lower()]
    value = None
    if anchor is not None:
        if precision in ("day", "week"):
            value = anchor + timedelta(days=step)
        elif precision == "month":
            value = _month_shift(anchor, step)
        else:
            value = date(anchor.year + step, 1, 1)
    day = value.day if value and precision in ("day", "week") else None
    month = value.month if value and precision != "year" else None
    return {
        "value": value,
        "precision": precision,
        "day": day,
        "month": month,
        "year": value.year if value else None,
        "relative": True,
    }


def find_dates(text: str, published: datetime | None = None) -> list[Mention]:
    anchor = published.date() if published else None
    found: list[Mention] = []

    def free(a: int, b: int) -> bool:
        return all(b <= m.start or a >= m.end for m in found)

    for pattern, precision in DATE_PATTERNS:
        for m in pattern.finditer(text):
            parts = m.groupdict()
            d, mo, y = (int(parts[k]) if parts.get(k) else None for k in ("d", "m", "y"))
            value = None
            try:
                if y and (mo or precision == "year"):
                    value = date(y, mo or 1, d or 1)
                elif d and mo:
                    date(2000, mo, d)  # a real day of the year (2000 is a leap year)
            except ValueError:
                continue
            if free(m.start(), m.end()):
                found.append(
                    Mention(
                        m.start(),
                        m.end(),
                        {
                            "value": value,
                            "precision": precision,
                            "day": d,
                            "month": mo,
                            "year": y,
                            "relative": False,
                        },
                    )
                )
    for m in RELATIVE_RE.finditer(text):
        if free(m.start(), m.end()):
            found.append(Mention(m.start(), m.end(), _relative(m.group(1), anchor)))
    return sorted(found, key=lambda m: m.start)


def from_parts(day, month, year, hour=None, minute=None) -> datetime | None:
    """A Vietnam-local date and time as UTC; None when the parts are not a real date."""
    try:
        local = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
    except ValueError:
        return None
    return local.replace(tzinfo=VIETNAM).astimezone(UTC)


def parse_published(value: str | None) -> datetime | None:
    """UTC datetime of a metadata date string; times without a zone are Vietnam time."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        m = DMY.search(text)
        return from_parts(*m.groups()) if m else None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=VIETNAM)).astimezone(UTC)
