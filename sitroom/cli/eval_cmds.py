"""`sitroom eval`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from sitroom.cli.app import app


@app.command("eval")
def eval_command(
    gold_dir: Path = typer.Argument(
        ..., help="Gold folder laid out like shared/gold (documents.jsonl, quotes.jsonl, ...)."
    ),
    corpus: Path = typer.Option(
        ..., "--corpus", help="Folder holding the documents the gold names."
    ),
    task: list[str] = typer.Option(
        None,
        "--task",
        help="Score only these tasks (structure, quotes, figures, actors, briefing, claims, disputes).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Score the readers and enrichers against hand-checked gold answers."""
    from sitroom.eval import run_eval

    try:
        results = run_eval(gold_dir, corpus, tasks=task or None)
    except (FileNotFoundError, ValueError) as exc:
        Console(stderr=True).print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if as_json:
        print(json.dumps(results, indent=None, ensure_ascii=False))
        return
    console = Console()
    for task_name, scores in results.items():
        table = Table(title=task_name, title_justify="left", show_header=True)
        table.add_column("metric")
        table.add_column("value", justify="right")
        _add_rows(table, scores, "")
        console.print(table)


def _add_rows(table: Table, scores: dict, prefix: str) -> None:
    for key, value in scores.items():
        if isinstance(value, dict):
            _add_rows(table, value, f"{prefix}{key}.")
        elif isinstance(value, float):
            table.add_row(f"{prefix}{key}", f"{value:.3f}")
        else:
            table.add_row(f"{prefix}{key}", str(value))
