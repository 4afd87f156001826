"""Command line: thin wrappers over the library; one module per stage registers its commands."""

from __future__ import annotations

import importlib

from sitroom.cli.app import app

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
    app()
