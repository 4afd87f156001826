"""Helpers shared by the command modules: JSON output, times, the database option."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

from sitroom import store
from sitroom.store import Store
from sitroom.util import when
from sitroom.util.jsonable import to_jsonable
from sitroom.util.progress import Progress

__all__ = [
    "to_jsonable",
    "print_json",
    "parse_when",
    "short_time",
    "db_option",
    "open_store",
    "progress_bar",
]

console = Console()
err_console = Console(stderr=True)


def print_json(obj: Any) -> None:
    """Print `obj` (dataclasses, datetimes and all) as JSON on stdout."""
    sys.stdout.write(json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2) + "\n")


def parse_when(text: str | None, *, now: datetime | None = None) -> datetime | None:
    """A --since/--until value (see `sitroom.util.when.parse_when`); unreadable text is a
    usage error."""
    try:
        return when.parse_when(text, now=now)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


@contextmanager
def progress_bar(title: str, *, disable: bool = False) -> Iterator[Progress]:
    """A transient progress bar on stderr; pass the callback it yields to library code.

    The callback takes (done, total, what): items done so far, items in all, and a short
    description of the current item."""
    with RichProgress(
        TextColumn(f"[bold]{title}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err_console,
        transient=True,
        disable=disable,
    ) as bar:
        task = bar.add_task("", total=None)

        def report(done: int, total: int, what: str = "") -> None:
            bar.update(task, completed=done, total=total, description=escape(what[-60:]))

        yield report


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


def open_store(db: Path | None) -> Store:
    """Open the store for a command, turning a bad path into a clear error."""
    try:
        return store.open_store(db)
    except OSError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
