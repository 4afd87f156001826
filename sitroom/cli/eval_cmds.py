"""`sitroom eval`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from sitroom.cli.app import app
from sitroom.cli.output import console, fail, json_option, progress_bar
from sitroom.eval import run_eval


@app.command("eval")
def eval_command(
    gold_dir: Path = typer.Argument(
        ..., help="Gold folder laid out like shared/gold (documents.jsonl, quotes.jsonl, ...)."
    ),
    corpus: Path = typer.Option(
        ..., "--corpus", help="Folder holding the documents the gold names."
    ),
    tasks: str = typer.Option(
        None,
        "--tasks",
        help="Score only these tasks, comma-separated "
        "(structure,quotes,figures,actors,briefing,claims,disputes).",
    ),
    task: list[str] = typer.Option(
        None, "--task", help="One task to score (repeatable; same as --tasks)."
    ),
    limit: int = typer.Option(
        None, "--limit", min=1, help="Score only the first N documents the gold lists."
    ),
    as_json: bool = json_option("Print one JSON object."),
) -> None:
    """Score the readers and enrichers against hand-checked gold answers."""

    chosen = [t.strip() for t in (tasks or "").split(",") if t.strip()] + list(task or [])
    try:
        with progress_bar("scoring") as report:
            results = run_eval(gold_dir, corpus, tasks=chosen or None, limit=limit, progress=report)
    except (FileNotFoundError, ValueError) as exc:
        raise fail(str(exc)) from exc
    if as_json:
        print(json.dumps(results, indent=None, ensure_ascii=False))
        return
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
