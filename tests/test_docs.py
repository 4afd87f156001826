"""The docs stay true: every CLI command and option is in the README or docs/, and
docs/schema.md describes every table and view of a fresh record (as datasette tests its
own docs)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.core
import typer.main

from sitroom.cli import app
from sitroom.store import SqliteStore

ROOT = Path(__file__).resolve().parent.parent
DOCS = "\n".join(
    p.read_text(encoding="utf-8")
    for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
)
COMMAND = typer.main.get_command(app)
COMMANDS = sorted(COMMAND.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_documented(name):
    assert re.search(rf"sitroom {re.escape(name)}\b", DOCS), f"`sitroom {name}` is not in the docs"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_is_documented(name):
    missing = [
        opt
        for param in COMMAND.commands[name].params
        if isinstance(param, typer.core.TyperOption)
        for opt in param.opts + param.secondary_opts
        if opt.startswith("--") and opt != "--help" and not re.search(rf"{re.escape(opt)}\b", DOCS)
    ]
    assert missing == [], f"sitroom {name}: options not in README.md or docs/: {missing}"


def test_schema_doc_covers_every_table_and_view():
    with SqliteStore.open(":memory:") as store:
        names = [
            r["name"]
            for r in store.conn.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'posts_fts_%'"
            )
        ]
    schema = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^### (\w+)", schema, flags=re.M))
    documented |= set(re.findall(r"^\| (\w+) \|", schema, flags=re.M))
    documented |= set(re.findall(r"`(\w+)\(", schema))  # e.g. `schema_migrations(number, ...)`
    assert sorted(n for n in names if n not in documented) == []
