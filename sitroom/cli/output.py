"""Helpers shared by the command modules: JSON output, times, the options many commands take,
tables."""

from __future__ import annotations

import errno
import json
import socket
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.table import Table

from sitroom import store as backends
from sitroom.store import Store
from sitroom.util import when
from sitroom.util.jsonable import to_jsonable
from sitroom.util.progress import Progress

__all__ = [
    "to_jsonable",
    "print_json",
    "parse_when",
    "short_time",
    "json_option",
    "since_option",
    "until_option",
    "limit_option",
    "timeout_option",
    "max_size_option",
    "source_option",
    "actors_option",
    "allow_private_option",
    "listing_table",
    "open_store",
    "progress_bar",
    "fail",
    "found_or_fail",
    "check_actor_files",
    "check_choice",
    "check_output_path",
    "check_port",
    "stop_report",
]

try:  # typer vendors click as typer._click from 0.29; older typers use click itself
    from typer._click.globals import get_current_context as _current_context
except ImportError:  # pragma: no cover
    from click import get_current_context as _current_context

T = TypeVar("T")
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
        raise typer.BadParameter(str(exc), param_hint=_option_holding(text)) from exc


def _option_holding(value: str | None) -> str | None:
    """The command-line option of the running command whose value is `value` (for messages)."""
    ctx = _current_context(silent=True)
    if ctx is None:
        return None
    name = next((k for k, v in ctx.params.items() if v == value and isinstance(v, str)), None)
    return f"--{name.replace('_', '-')}" if name else None


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


# The options most commands share, declared once as typer's Annotated aliases, so a command
# names them in its signature (`db: Db = None`) instead of repeating their declarations.
DB_HELP = (
    "SQLite database file, or a postgresql://user@host/dbname URL "
    "(default: $SITROOM_DB or ./sitroom.db)."
)
SINCE_HELP = "From this time (2022-02-15, 6h, 2d, monday)."
Db = Annotated[
    str | None,  # text, not a Path: a Path would turn postgresql:// into postgresql:/
    typer.Option("--db", envvar="SITROOM_DB", help=DB_HELP, show_default=False, metavar="FILE|URL"),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Since = Annotated[str | None, typer.Option("--since", help=SINCE_HELP)]
Until = Annotated[str | None, typer.Option("--until", help="Before this time.")]


def json_option(help: str = "Print JSON.") -> Any:
    return typer.Option(False, "--json", help=help)


def since_option(help: str = SINCE_HELP) -> Any:
    return typer.Option(None, "--since", help=help)


def until_option(help: str = "Before this time.") -> Any:
    return typer.Option(None, "--until", help=help)


def limit_option(default: int | None, what: str) -> Any:
    return typer.Option(default, "--limit", min=1, help=f"At most this many {what}.")


def source_option(what: str = "", note: str = "") -> Any:
    return typer.Option(
        None, "--source", help=f"Only {what}from sources or outlets containing this{note}."
    )


def actors_option() -> Any:
    return typer.Option(None, "--actors", help="Extra actor registry YAML (repeatable).")


def max_size_option(what: str) -> Any:
    return typer.Option(50.0, "--max-size", help=f"Refuse {what} larger than this many MB.")


def timeout_option(help: str) -> Any:
    return typer.Option(20.0, "--timeout", help=help)


def allow_private_option(action: str, also: str = "") -> Any:
    return typer.Option(
        False,
        "--allow-private",
        help=f"{action} URLs on loopback and private networks (intranet feeds); refused by "
        f"default (or set SITROOM_ALLOW_PRIVATE=1{also}).",
    )


def listing_table(title: str, columns: Sequence[tuple[str, str]]) -> Table:
    """A borderless table with these (column, justify) columns."""
    table = Table(title=title, title_justify="left", box=None, padding=(0, 1))
    for column, justify in columns:
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    return table


def found_or_fail(found: T | None, message: str, code: int = 1) -> T:
    """`found`, or, where the record has nothing of that name, `error: message` and exit."""
    if found is None:
        raise fail(message, code)
    return found


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one line `error: message` on stderr; raise what this returns to exit with `code`."""
    err_console.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)
    return typer.Exit(code)


def _check_db_file(path: Path, create: bool) -> None:
    if str(path) == ":memory:":
        return
    if not create and not path.exists():
        raise fail(f"no record at {path}; run `sitroom ingest` first (or pass --db FILE)")
    if create and not path.parent.is_dir():
        raise fail(f"folder {path.parent} does not exist; create it or choose another --db")
    if path.is_dir():
        raise fail(f"{path} is a folder; --db wants a database file")


def open_store(db: str | Path | None, *, create: bool = False) -> Store:
    """Open the store for a command, turning a bad path into a clear one-line error.

    Only commands that add to the record (`create=True`: ingest, follow, demo) may create the
    file, and never the folder it goes in: a typo in --db must not look like an empty record.
    A postgresql:// URL names a database server, which says itself what is wrong."""
    target = str(db) if db is not None else backends.default_db_path()
    if not backends.is_database_url(target):
        _check_db_file(Path(target), create)
    try:
        return backends.open_store(target)
    except OSError as exc:
        raise fail(str(exc)) from exc


def check_actor_files(paths: Sequence[Path] | None) -> None:
    """Every --actors file exists and reads as an actor registry, or a one-line error."""
    from sitroom.enrich.actors import ActorRegistry  # lazy: enrich loads spaCy (seconds)

    for path in paths or []:
        if not Path(path).is_file():
            raise fail(f"--actors: no such file: {path}")
        try:
            ActorRegistry.load([path])
        except Exception as exc:  # YAML syntax, wrong shape, missing keys: all the user's file
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise fail(
                f"--actors: {path} is not an actor registry ({type(exc).__name__}: {first}); "
                "see sitroom/data/actors.yaml for the format"
            ) from exc


def check_choice(option: str, value: str | None, choices: Sequence[str]) -> None:
    """A usage error naming the option and the values it takes, when `value` is not one."""
    if value is not None and value not in choices:
        raise typer.BadParameter(
            f"{value!r} is not one of: {', '.join(choices)}", param_hint=option
        )


def check_output_path(path: Path | None, option: str = "--output") -> None:
    """An output file must go into a folder that exists; it is never created for you."""
    if path is None:
        return
    if path.is_dir():
        raise fail(f"{option}: {path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise fail(f"{option}: folder {path.parent} does not exist; create it first")


def check_port(host: str, port: int) -> None:
    """A clear error, with the way out, when the port is taken."""
    if not 0 < port < 65536:
        raise typer.BadParameter(f"{port} is not a port (1 to 65535)", param_hint="--port")
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        # As the server will: a port left in TIME_WAIT by a server just stopped is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise fail(
                    f"port {port} on {host} is in use; choose another with --port {port + 1}"
                ) from exc
            raise fail(f"cannot listen on {host}:{port}: {exc.strerror}") from exc


@contextmanager
def stop_report(db: str | Path | None, command: str) -> Iterator[None]:
    """On Ctrl-C: say what was kept, what is left to enrich, and how to resume; exit 130."""
    try:
        yield
    except KeyboardInterrupt:
        from sitroom.enrich.sync import ENRICHER_VERSION  # lazy: enrich loads spaCy

        left = ""
        try:
            with backends.open_store(db) as s:
                pending = s.versions_needing_enrichment(ENRICHER_VERSION)
            versions = sum(len(v) for v in pending.values())
            left = (
                f"{versions} post versions in {len(pending)} documents are not enriched yet; "
                if versions
                else "every stored post is enriched; "
            )
        except Exception:  # the report must not fail where the command was stopped
            pass
        where = f" --db {db}" if db else ""
        err_console.print(
            f"[yellow]interrupted[/yellow] during {command}: what was stored is kept; {left}"
            f"run `sitroom enrich{where}` to finish enriching, or run the same "
            f"`sitroom {command}` again (pages already stored are only compared)."
        )
        raise typer.Exit(130) from None
