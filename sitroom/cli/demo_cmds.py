"""`sitroom demo`: the whole job on the sample live page that ships with the package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import typer
from rich.console import Console

from sitroom.cli.app import app

SAMPLE = "sample_live_page.txt"


def sample_path() -> Path:
    """Path of the bundled sample live page (written for the project, not real coverage)."""
    return Path(str(resources.files("sitroom.data").joinpath(SAMPLE)))


@app.command("demo")
def demo(
    db: Path = typer.Option(
        Path("sitroom-demo.db"), "--db", help="Where to build the demo record."
    ),
    fresh: bool = typer.Option(True, "--fresh/--keep", help="Start from an empty database."),
) -> None:
    """Read the bundled sample live page, store it, enrich it and print the briefing.

    Afterwards try: sitroom posts --db sitroom-demo.db, sitroom quotes --db sitroom-demo.db,
    sitroom serve --db sitroom-demo.db
    """
    from sitroom.brief import brief_store, render_briefing
    from sitroom.enrich.sync import enrich_store
    from sitroom.read import read_path
    from sitroom.store import Store

    console = Console()
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    document = read_path(sample_path())
    with Store.open(db) as store:
        result = store.ingest_document(document)
        console.print(
            f"[bold]Read[/bold] {sample_path().name}: {len(document.posts)} posts "
            f"({result.new} new, {result.updated} updated) into {db}"
        )
        stats = enrich_store(store, progress=True)
        console.print(f"[bold]Enriched[/bold]: {stats}")
        briefing = brief_store(store)
        console.print(render_briefing(briefing, "text"))
    console.print(
        f"\nNext: [cyan]sitroom quotes --db {db}[/cyan], [cyan]sitroom disputes --db {db}[/cyan], "
        f"[cyan]sitroom indicators --db {db}[/cyan], [cyan]sitroom serve --db {db}[/cyan]"
    )
