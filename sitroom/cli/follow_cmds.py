"""`sitroom follow`: keep the record up to date with live sources."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import typer
from rich.markup import escape

from sitroom.cli.app import app
from sitroom.cli.output import (
    Db,
    allow_private_option,
    console,
    err_console,
    max_size_option,
    open_store,
    timeout_option,
)
from sitroom.follow import SourceState, follow, poll_once, read_sources_file


@app.command("follow")
def follow_command(
    targets: list[str] = typer.Argument(None, help="Live page URLs or files to follow."),
    sources: Path = typer.Option(
        None, "--sources", help="File listing sources: `URL [interval]` per line, or YAML."
    ),
    interval: float = typer.Option(
        60.0, "--interval", help="Seconds between polls of each source."
    ),
    db: Db = None,
    enrich: bool = typer.Option(
        True, "--enrich/--no-enrich", help="Enrich new and edited posts as they arrive."
    ),
    once: bool = typer.Option(False, "--once", help="Poll every source once and stop."),
    timeout: float = timeout_option(
        "Seconds one poll of a URL may take in all (a total deadline)."
    ),
    allow_private: bool = allow_private_option(
        "Follow", ", or `allow_private: true` in a YAML sources file"
    ),
    max_size: float = max_size_option("pages"),
    story: str = typer.Option(
        None,
        "--story",
        help="File these sources under the story NAME (created if new; see `sitroom stories`).",
    ),
) -> None:
    """Poll live pages (conditional GET, an interval per source, backoff on errors) and
    store new and edited posts as they appear. Ctrl-C stops cleanly.

    Example: sitroom follow https://example.org/live/crisis --interval 30 --story "Dam crisis"
    """

    states = [SourceState(t, interval) for t in targets or []]
    if sources:
        if not sources.is_file():
            err_console.print(f"[red]error:[/red] sources file not found: {sources}")
            raise typer.Exit(2)
        states += read_sources_file(sources, interval)
    if not states:
        err_console.print("[red]error:[/red] name at least one URL or file, or --sources FILE")
        raise typer.Exit(2)
    if allow_private:
        for state in states:
            state.allow_private = True
    max_bytes = int(max_size * 1024 * 1024)
    with open_store(db, create=True) as store:
        if story:
            for state in states:
                store.file_source(state.source, story)
        if once:
            results = [
                poll_once(s, store, enrich=enrich, timeout=timeout, max_bytes=max_bytes)
                for s in states
            ]
            for r in results:
                (err_console if r.status == "error" else console).print(r.line())
            if any(r.status == "error" for r in results):
                raise typer.Exit(1)
            return
        stop = threading.Event()
        previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
        console.print(
            f"following {len(states)} sources into {escape(str(store.path))} (Ctrl-C to stop)"
        )
        try:
            follow(
                states,
                store,
                stop=stop,
                log=_log,
                enrich=enrich,
                timeout=timeout,
                max_bytes=max_bytes,
            )
        finally:
            signal.signal(signal.SIGINT, previous)
        console.print("stopped")


def _log(line: str) -> None:
    """A poll's line: failures go to stderr, everything else to stdout."""
    (err_console if "[red]error[/red]" in line else console).print(line)
