"""The Typer application object every command module registers on."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _dist_version

import typer

app = typer.Typer(
    name="sitroom",
    help="Turn live news coverage of a crisis into a cited, versioned situation record.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)

DB_HELP = "SQLite database file (default: $SITROOM_DB or ./sitroom.db)."


def sitroom_version() -> str:
    try:
        return _dist_version("sitroom")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown (not installed)"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"sitroom {sitroom_version()}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        "-V",
        callback=_print_version,
        is_eager=True,
        help="Print the version and exit.",
    ),
) -> None:
    """Turn live news coverage of a crisis into a cited, versioned situation record.

    Typical use: `sitroom ingest PAGE...`, then `sitroom brief`, `sitroom quotes`,
    `sitroom disputes`, or `sitroom serve` for the web view.
    """
