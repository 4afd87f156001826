"""A corpus folder's MANIFEST.jsonl: one line per document file saying where it came from,
who published it and when the copy was taken (format: shared/gold/README.md, "The corpus
manifest"). It is input about the documents, never a document itself."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from functools import lru_cache
from pathlib import Path

from sitroom.records import Provenance

MANIFEST_NAME = "MANIFEST.jsonl"


def parse_retrieved(value: str | None) -> datetime | None:
    """'2025-02-13' or an ISO datetime -> aware UTC datetime; a bare date means the end of
    that day (the copy was taken some time that day, so nothing that day is after it).
    ValueError when it is neither."""
    if not value:
        return None
    value = value.strip()
    if len(value) == 10:
        return datetime.combine(date.fromisoformat(value), time(23, 59, 59), tzinfo=UTC)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def read_manifest(folder: Path) -> dict[str, Provenance]:
    """File name -> what the manifest says about it; {} when the folder has no manifest.
    ValueError naming the line when a line is not valid."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}
    stat = path.stat()
    return dict(_read_manifest(str(path.resolve()), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=32)
def _read_manifest(path: str, mtime_ns: int, size: int) -> tuple[tuple[str, Provenance], ...]:
    del mtime_ns, size  # part of the cache key: a changed file is read again
    entries = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                name = row["file"]
                entries.append(
                    (
                        name,
                        Provenance(
                            url=row.get("url") or None,
                            outlet=row.get("outlet") or None,
                            retrieved=parse_retrieved(row.get("retrieved")),
                        ),
                    )
                )
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path}:{n}: not a manifest line ({exc})") from exc
    return tuple(entries)


def is_manifest(path: Path) -> bool:
    return path.name == MANIFEST_NAME
