"""Quantities mentioned in text: numbers with a multiplier (nghìn, triệu, tỷ) and a unit.

Money ("140 triệu đồng" -> 140000000 VND), percentages, measures, or the counted noun
("10.000 hồ sơ" -> 10000 hồ sơ). Vietnamese writes "." for thousands and "," for decimals.
"""

from __future__ import annotations

import re

from vnnews.tasks.text.dates import Mention

NUMBER = re.compile(
    r"(?<![\w\-+/.,])(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
    r"(?:\s*(?P<mult>nghìn|ngàn|triệu|tỷ|tỉ))?(?:\s*(?P<unit>%|đồng|VNĐ|VND|USD|đô la Mỹ|đô la|"
    r"euro|EUR|yên|nhân dân tệ|km|mm|cm|kg|tấn|ha|lít|MW|kWh|°C|m)(?!\w))?"
)
MULTIPLIER = {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
CURRENCY = {
    "đồng": "VND",
    "VNĐ": "VND",
    "VND": "VND",
    "USD": "USD",
    "đô la": "USD",
    "đô la Mỹ": "USD",
    "euro": "EUR",
    "EUR": "EUR",
    "yên": "JPY",
    "nhân dân tệ": "CNY",
}


def parse_number(num: str) -> float:
    return float(num.replace(".", "").replace(",", "."))


def find_quantities(text: str, nouns: dict[int, str], taken: list[Mention]) -> list[Mention]:
    """Numbers not inside a date; `nouns` maps a char offset to the noun that starts there."""
    out = []
    for m in NUMBER.finditer(text):
        if any(m.start() < t.end and t.start < m.end() for t in taken):
            continue
        value = parse_number(m["num"]) * MULTIPLIER.get(m["mult"] or "", 1)
        unit, kind, end = m["unit"], "count", m.end()
        if unit in CURRENCY:
            unit, kind = CURRENCY[unit], "money"
        elif unit == "%":
            kind = "percent"
        elif unit:
            kind = "measure"
        else:
            after = len(text[end:]) - len(text[end:].lstrip())
            unit = nouns.get(end + after)
            end = end + after + len(unit) if unit else end
        out.append(Mention(m.start(), end, {"value": value, "unit": unit, "kind": kind}))
    return out
