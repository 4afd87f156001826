"""`sitroom brief`, `sitroom stories` and `sitroom serve`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from sitroom.analyse.stories import refresh_stories
from sitroom.brief import brief_store, brief_story, render_briefing
from sitroom.brief.render import FORMATS
from sitroom.cli.app import app
from sitroom.cli.output import (
    Db,
    Json,
    check_port,
    console,
    fail,
    found_or_fail,
    json_option,
    open_store,
    parse_when,
    print_json,
    short_time,
    since_option,
    source_option,
    to_jsonable,
    until_option,
)
from sitroom.records import Briefing
from sitroom.store import Store


@app.command("brief")
def brief(
    db: Db = None,
    story: str = typer.Option(
        None, "--story", help="Brief this story (its id, name or label; see `sitroom stories`)."
    ),
    all_stories: bool = typer.Option(
        False,
        "--all",
        help="Brief the record's last 24 h (or --since/--until) whatever story it belongs to.",
    ),
    since: str = since_option(
        "Window start (implies --all; default: 24 h before the newest post)."
    ),
    until: str = until_option("Window end (implies --all)."),
    source: str = source_option(note=" (implies --all)"),
    format: str = typer.Option("text", "--format", help="text, markdown, json or html."),
    as_json: bool = json_option("Print JSON (same as --format json)."),
) -> None:
    """Summary bullets, timeline, key quotes and changing figures, each line citing its posts.

    By default it briefs the most recent story (see `sitroom stories`) over all its sources.

    Examples:

      sitroom brief

      sitroom brief --story "Ukraine talks" --json

      sitroom brief --all --since 2022-02-15
    """
    format = "json" if as_json else format
    if format not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    window = all_stories or any(x is not None for x in (since, until, source))
    if story is not None and window:
        raise fail("--story cannot be combined with --all, --since, --until or --source")
    with open_store(db) as store:
        if window:
            briefing = brief_store(
                store, since=parse_when(since), until=parse_when(until), source=source
            )
        else:
            briefing = _brief_a_story(store, story)
    rendered = render_briefing(briefing, format)
    if format == "text":
        console.print(rendered)
    else:
        print(rendered)


def _brief_a_story(store: Store, key: str | None) -> Briefing:
    """The briefing of the story `key` names, or of the most recent story."""
    stories = refresh_stories(store)
    if key is None:
        # The most recent story; an empty record gives an empty briefing.
        return brief_story(store, stories[0]) if stories else brief_store(store)
    chosen = store.story(key)
    if chosen is None:
        names = ", ".join(f"{s.id} ({s.title})" for s in stories[:10]) or "none yet"
        raise fail(f"no story {key!r}; stories: {names}")
    return brief_story(store, chosen)


stories_app = typer.Typer(
    help="The record's stories: documents grouped by time and content.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(stories_app, name="stories")


@stories_app.callback()
def stories(ctx: typer.Context, db: Db = None, as_json: Json = False) -> None:
    """List the stories, most recent first (regrouping the record first).

    Examples:

      sitroom stories

      sitroom stories name 2 "Ukraine talks"

      sitroom stories merge 2 5 --name "Ukraine talks"
    """
    if ctx.invoked_subcommand is not None:
        return
    with open_store(db) as store:
        found = refresh_stories(store)
    if as_json:
        print_json([{**to_jsonable(s), "title": s.title} for s in found])
        return
    table = Table(box=None)
    for column in ("id", "story", "from", "to", "docs", "posts", "sources"):
        table.add_column(column)
    for s in found:
        table.add_row(
            str(s.id),
            escape(s.title),
            short_time(s.first_post),
            short_time(s.last_post),
            str(len(s.documents)),
            str(s.posts),
            escape(", ".join(Path(x).name if "://" not in x else x for x in s.sources[:3]))
            + (f" +{len(s.sources) - 3}" if len(s.sources) > 3 else ""),
        )
    console.print(table if found else "no stories yet: ingest some pages first")


@stories_app.command("name")
def name_story(
    story: str = typer.Argument(..., help="The story's id, name or label."),
    name: str = typer.Argument(..., help="Its new name."),
    db: Db = None,
) -> None:
    """Name a story (the name is kept when the record is regrouped)."""
    with open_store(db) as store:
        refresh_stories(store)
        found = found_or_fail(store.story(story), f"no story {story!r}", 2)
        try:
            store.name_story(found.id, name)
        except ValueError as exc:
            raise fail(str(exc)) from exc
    console.print(f"story {found.id} is now {escape(name)!r}")


@stories_app.command("merge")
def merge_stories(
    stories: list[str] = typer.Argument(..., help="Two or more stories (id, name or label)."),
    name: str = typer.Option(None, "--name", help="Name for the merged story."),
    db: Db = None,
) -> None:
    """Merge stories into the first one; their documents stay together from now on."""
    if len(stories) < 2:
        raise fail("give at least two stories to merge")
    with open_store(db) as store:
        refresh_stories(store)
        found = [store.story(s) for s in stories]
        missing = [s for s, f in zip(stories, found, strict=True) if f is None]
        if missing:
            raise fail(f"no story {missing[0]!r}")
        try:
            kept = store.merge_stories([f.id for f in found], name=name)
        except ValueError as exc:
            raise fail(str(exc)) from exc
    console.print(f"merged into story {kept}")


@app.command("serve")
def serve(
    db: Db = None,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
) -> None:
    """The web view: briefing, live timeline, actors, quotes, figures, map, JSON API at /docs."""
    check_port(host, port)
    with open_store(db) as store:  # created and migrated here, with the usual errors
        where = str(store.path)
    console.print(f"sitroom at [link]http://{host}:{port}/[/link]  (Ctrl-C to stop)")
    sys.stdout.flush()
    # The server runs in a fresh interpreter that imports only the web stack and the store
    # (sitroom/serve/__main__.py), not everything this command line has imported.
    server = [sys.executable, "-m", "sitroom.serve", "--db", where, "--host", host]
    os.execv(sys.executable, [*server, "--port", str(port)])
