"""A user's time ("2022-02-15", "6h", "yesterday") as an aware UTC datetime.

Raises `ValueError` on text it cannot read; the CLI turns that into a usage error and the web
API into a 422, so the library never depends on either."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import dateparser

_RELATIVE_RE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_when(text: str | None, *, now: datetime | None = None) -> datetime | None:
    """A --since/--until value as an aware UTC datetime; None or blank gives None.

    Accepts ISO dates and times ("2022-02-15", "2022-02-15T10:00Z"), relative spans ("90m",
    "2h", "3d", "1w": that long before now) and words dateparser knows ("yesterday",
    "monday", "3 days ago"). Raises ValueError for anything else."""
    if text is None or not text.strip():
        return None
    now = now or datetime.now(UTC)
    match = _RELATIVE_RE.match(text)
    if match:
        return now - timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    except ValueError:
        pass
    value = dateparser.parse(
        text,
        # English words only: trying every language takes seconds on text that is no time
        languages=["en"],
        settings={
            "TIMEZONE": "UTC",
            "RETURN_AS_TIMEZONE_AWARE": True,
            "PREFER_DATES_FROM": "past",
            "RELATIVE_BASE": now.replace(tzinfo=None),
        },
    )
    if value is None:
        raise ValueError(f"cannot read {text!r} as a time (try 2022-02-15, 2h, 3d, yesterday)")
    return value.astimezone(UTC)
