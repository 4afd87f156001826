"""Command line: thin wrappers over the library; one module per stage registers its commands."""

from __future__ import annotations

import importlib

from rich.markup import escape

from sitroom.cli.app import app
from sitroom.cli.output import err_console

# Each module adds its commands to `app` on import, in this order (the order of --help);
# a module that is missing or broken is an error.
_COMMAND_MODULES = [
    "sitroom.cli.read_cmds",  # ingest, posts, show, search, export, sources
    "sitroom.cli.follow_cmds",  # follow
    "sitroom.cli.enrich_cmds",  # enrich, actors, actor, quotes, figures, places
    "sitroom.cli.analyse_cmds",  # claims, disputes, indicators
    "sitroom.cli.brief_cmds",  # brief, serve
    "sitroom.cli.eval_cmds",  # eval
    "sitroom.cli.demo_cmds",  # demo
]

for _name in _COMMAND_MODULES:
    importlib.import_module(_name)


def main() -> None:
    try:
        app()
    except OSError as exc:  # a file or network error the command did not catch: one line
        err_console.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
        raise SystemExit(1) from None
