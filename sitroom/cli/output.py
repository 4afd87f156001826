"""Helpers shared by the command modules: JSON output, times, the database option."""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)

_RELATIVE_RE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def to_jsonable(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, datetime):
        return obj.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if obj.tzinfo else obj.isoformat()
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set):
        return [to_jsonable(v) for v in obj]
    return obj


def print_json(obj: Any) -> None:
    """Print `obj` (dataclasses, datetimes and all) as JSON on stdout."""
    sys.stdout.write(json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2) + "\n")


def parse_when(text: str | None, *, now: datetime | None = None) -> datetime | None:
    """A --since/--until value as an aware UTC datetime.

    Accepts ISO dates and times ("2022-02-15", "2022-02-15T10:00Z"), relative spans ("90m",
    "2h", "3d", "1w": that long before now) and words dateparser knows ("yesterday",
    "monday", "3 days ago")."""
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
    import dateparser

    value = dateparser.parse(
        text,
        settings={
            "TIMEZONE": "UTC",
            "RETURN_AS_TIMEZONE_AWARE": True,
            "PREFER_DATES_FROM": "past",
            "RELATIVE_BASE": now.replace(tzinfo=None),
        },
    )
    if value is None:
        raise typer.BadParameter(
            f"cannot read {text!r} as a time (try 2022-02-15, 2h, 3d, yesterday)"
        )
    return value.astimezone(UTC)


def short_time(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if value else "—"


def db_option() -> Any:
    return typer.Option(
        None,
        "--db",
        envvar="SITROOM_DB",
        help="SQLite database file (default: $SITROOM_DB or ./sitroom.db).",
        show_default=False,
    )


def open_store(db: Path | None):
    """Open the store for a command, turning a bad path into a clear error."""
    from sitroom.store import Store

    try:
        return Store.open(db)
    except OSError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
