"""`sitroom brief` and `sitroom serve`."""

from __future__ import annotations

from pathlib import Path

import typer

from sitroom.brief import brief_store, render_briefing
from sitroom.brief.render import FORMATS
from sitroom.cli.app import app
from sitroom.cli.output import check_port, console, db_option, open_store, parse_when


@app.command("brief")
def brief(
    db: Path = db_option(),
    since: str = typer.Option(
        None, "--since", help="Window start (default: 24 h before the newest post)."
    ),
    until: str = typer.Option(None, "--until", help="Window end."),
    source: str = typer.Option(None, "--source", help="Only sources or outlets containing this."),
    format: str = typer.Option("text", "--format", help="text, markdown, json or html."),
) -> None:
    """Summary bullets, timeline, key quotes and changing figures, each line citing its posts."""

    if format not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    with open_store(db) as store:
        briefing = brief_store(
            store, since=parse_when(since), until=parse_when(until), source=source
        )
    rendered = render_briefing(briefing, format)
    if format == "text":
        console.print(rendered)
    else:
        print(rendered)


@app.command("serve")
def serve(
    db: Path = db_option(),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
) -> None:
    """The web view: briefing, live timeline, actors, quotes, figures, map, JSON API at /docs."""
    # lazy: the web stack (FastAPI, uvicorn) takes over a second to import
    import uvicorn

    from sitroom.serve.app import create_app

    check_port(host, port)
    with open_store(db) as store:
        console.print(f"sitroom at [link]http://{host}:{port}/[/link]  (Ctrl-C to stop)")
        uvicorn.run(create_app(store), host=host, port=port, log_level="warning")
