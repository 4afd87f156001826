"""`sitroom demo`: the whole job on the sample live page that ships with the package."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from sitroom.brief import brief_store, render_briefing
from sitroom.cli.app import app
from sitroom.cli.output import fail, open_store, progress_bar
from sitroom.data import sample_path
from sitroom.pipeline import ingest_sources
from sitroom.read.inputs import iter_inputs
from sitroom.store import is_database_url
from sitroom.store.postgres import masked_url

DB_HELP = "Where to build the demo record: a file, or an empty postgresql:// database."
FRESH_HELP = "Start from an empty record (a file is replaced; a database must be empty)."


@app.command("demo")
def demo(
    db: str = typer.Option("sitroom-demo.db", "--db", help=DB_HELP),
    fresh: bool = typer.Option(True, "--fresh/--keep", help=FRESH_HELP),
) -> None:
    """Read the bundled sample live page, store it, enrich it and print the briefing.

    Afterwards try: sitroom posts --db sitroom-demo.db, sitroom quotes --db sitroom-demo.db,
    sitroom serve --db sitroom-demo.db
    """
    console = Console()
    if fresh and not is_database_url(db):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    with open_store(db, create=True) as store:
        if fresh and is_database_url(db) and store.documents():
            # A database is never emptied for a demo: it may hold someone's record.
            raise fail(f"{masked_url(db)} already holds a record: give an empty one, or --keep")
        with progress_bar("demo") as report:
            run = ingest_sources(
                store,
                iter_inputs([str(sample_path())]),
                argv="sitroom demo",
                enrich_progress=report,
            )
        [result] = run.results
        console.print(
            f"[bold]Read[/bold] {sample_path().name}: {result.new + result.updated + result.unchanged} "
            f"posts ({result.new} new, {result.updated} updated) into {db}"
        )
        console.print(f"[bold]Enriched[/bold]: {run.enrichment}")
        briefing = brief_store(store)
        console.print(render_briefing(briefing, "text"))
    console.print(
        f"\nNext: [cyan]sitroom quotes --db {db}[/cyan], [cyan]sitroom disputes --db {db}[/cyan], "
        f"[cyan]sitroom indicators --db {db}[/cyan], [cyan]sitroom serve --db {db}[/cyan]"
    )
