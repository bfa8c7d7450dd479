"""Publication dates: ISO 8601 from page metadata, or Vietnamese dd/mm/yyyy [hh:mm] furniture."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7))
DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\D+(\d{1,2}):(\d{2}))?")


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
