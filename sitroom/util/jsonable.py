"""Records, times and containers as plain JSON values; ISO-8601 UTC times both ways."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any


def to_iso(value: datetime | None) -> str | None:
    """An aware datetime (or a naive one, taken as UTC) as "2022-02-16T17:36:00Z"."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso(value: str | None) -> datetime | None:
    """ISO text ("2022-02-16T17:36:00Z") as an aware datetime; empty or None gives None."""
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def to_jsonable(obj: Any) -> Any:
    """`obj` with records as dicts, times as ISO text, paths as text, tuples and sets as lists."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, datetime):
        return to_iso(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in obj]
    return obj
