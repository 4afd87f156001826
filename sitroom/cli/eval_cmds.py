"""`sitroom eval`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from sitroom.cli.app import app
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
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Score the readers and enrichers against hand-checked gold answers."""

    chosen = [t.strip() for t in (tasks or "").split(",") if t.strip()] + list(task or [])
    err = Console(stderr=True)
    try:
        with _progress_bar(err) as report:
            results = run_eval(gold_dir, corpus, tasks=chosen or None, limit=limit, progress=report)
    except (FileNotFoundError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}")
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


class _progress_bar:
    """A rich progress bar on stderr, fed by run_eval's progress callback."""

    def __init__(self, console: Console) -> None:
        self._bar = Progress(
            TextColumn("enriching"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.description}"),
            console=console,
            transient=True,
        )
        self._task: int | None = None

    def __enter__(self) -> _progress_bar:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()

    def __call__(self, done: int, total: int, doc: str) -> None:
        if self._task is None:
            self._task = self._bar.add_task("", total=total)
        self._bar.update(self._task, completed=done, description=doc[:40])
