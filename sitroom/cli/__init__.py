"""Command line: thin wrappers over the library; one module per stage registers its commands."""

from __future__ import annotations

import importlib

from sitroom.cli.app import app

# Each module adds its commands to `app` on import. A module that is absent (a stage not yet
# built) is skipped so the rest of the CLI keeps working.
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
    try:
        importlib.import_module(_name)
    except ModuleNotFoundError as exc:  # only a missing module of our own is tolerated
        if exc.name != _name:
            raise


def main() -> None:
    app()
