"""The Typer application object every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="sitroom",
    help="Turn live news coverage of a crisis into a cited, versioned situation record.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)

DB_HELP = "SQLite database file (default: $SITROOM_DB or ./sitroom.db)."


@app.callback()
def _root() -> None:
    """Turn live news coverage of a crisis into a cited, versioned situation record.

    Typical use: `sitroom ingest PAGE...`, then `sitroom brief`, `sitroom quotes`,
    `sitroom disputes`, or `sitroom serve` for the web view.
    """
