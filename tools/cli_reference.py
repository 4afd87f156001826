"""Write docs/cli.md: every sitroom command with its options, from the CLI itself.

Run `python tools/cli_reference.py` after changing a command or an option;
tests/test_docs.py fails while a command or option is missing from the docs.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import typer.core
import typer.main

from sitroom.cli import app

OUT = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def _option_row(param: typer.core.TyperOption) -> str:
    names = " / ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
    text = (param.help or "").replace("|", "\\|").replace("\n", " ")
    if param.envvar:
        text += f" (env: `{param.envvar}`)"
    return f"| {names} | {text} |"


def _argument(param: typer.core.TyperArgument) -> str:
    text = (param.help or "").replace("\n", " ")
    return f"Argument `{param.name.upper()}`: {text}"


def reference() -> str:
    """docs/cli.md as the CLI defines it now."""
    group = typer.main.get_command(app)
    out = [
        "# Command reference",
        "",
        "Every `sitroom` command and option, written from the CLI by `python tools/cli_reference.py`",
        "(rerun it after changing a command). `sitroom COMMAND --help` says the same.",
    ]
    for name, command in group.commands.items():  # in the order of `sitroom --help`
        out += ["", f"## sitroom {name}", "", inspect.cleandoc(command.help or "").split("\n\n")[0]]
        arguments = [p for p in command.params if isinstance(p, typer.core.TyperArgument)]
        options = [p for p in command.params if isinstance(p, typer.core.TyperOption)]
        out += ["", *(_argument(p) for p in arguments)] if arguments else []
        if options:
            out += ["", "| option | meaning |", "|---|---|", *(_option_row(p) for p in options)]
    return "\n".join(out) + "\n"


def main() -> int:
    OUT.write_text(reference(), encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
