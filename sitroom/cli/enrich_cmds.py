"""Enrichment commands: enrich, actors, actor, quotes, figures, places."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from sitroom.cli.app import app
from sitroom.cli.output import (
    Db,
    Json,
    Since,
    Until,
    actors_option,
    check_actor_files,
    console,
    found_or_fail,
    json_option,
    limit_option,
    listing_table,
    open_store,
    parse_when,
    print_json,
    progress_bar,
    short_time,
    since_option,
    source_option,
    stop_report,
)


@app.command("enrich")
def enrich(
    db: Db = None,
    actors: list[Path] = actors_option(),
    as_json: bool = json_option("Print the counts as JSON."),
    processes: int = typer.Option(
        None,
        "--processes",
        min=1,
        help="Worker processes (each loads spaCy). Default: one per core when there are "
        "over 1,000 posts to enrich, else 1.",
        show_default=False,
    ),
) -> None:
    """Find actors, quotes, figures and places in posts not yet enriched (new or edited)."""
    # lazy: enrichment loads spaCy (seconds); the listings here need only the store
    from sitroom.enrich.sync import enrich_store

    check_actor_files(actors)
    with stop_report(db, "enrich"), open_store(db) as store:
        with progress_bar("enriching", disable=as_json) as report:
            stats = enrich_store(
                store, actors_files=list(actors or []), progress=report, processes=processes
            )
    if as_json:
        print_json(stats)
    else:
        console.print(f"enriched {stats}" if stats.versions else "nothing new to enrich")


@app.command("actors")
def actors_command(
    db: Db = None,
    since: str = since_option("Count only mentions since (2d, monday, 2022-02-15)."),
    limit: int = limit_option(50, "actors"),
    as_json: Json = False,
) -> None:
    """People and organisations named, with how often they are mentioned and quoted."""
    with open_store(db) as store:
        found = store.actors_summary(since=parse_when(since))[:limit]
    if as_json:
        print_json(found)
        return
    table = listing_table(
        f"{len(found)} actors",
        [(c, "left") for c in ("actor", "type")]
        + [(c, "right") for c in ("mentions", "quotes")]
        + [(c, "left") for c in ("first seen", "last seen")],
    )
    for a in found:
        name = escape(a.name) + (" [dim](learned)[/dim]" if a.learned else "")
        table.add_row(
            name,
            a.type,
            str(a.mentions),
            str(a.quotes),
            short_time(a.first_seen),
            short_time(a.last_seen),
        )
    console.print(table)


@app.command("actor")
def actor_command(
    name: str = typer.Argument(..., help="Canonical name or alias, e.g. 'Stoltenberg'."),
    db: Db = None,
    as_json: Json = False,
) -> None:
    """One actor: aliases, roles, and what they said over time."""
    with open_store(db) as store:
        detail = found_or_fail(
            store.actor_detail(name),
            f"no actor called {name!r} in the record (try `sitroom actors`)",
        )
        quotes = store.quotes(speaker=detail.name)
    if as_json:
        print_json({"actor": detail, "quotes": quotes})
        return
    console.rule(f"[bold]{escape(detail.name)}[/bold] [dim]{detail.type}[/dim]")
    if detail.aliases:
        console.print(f"[bold]also:[/bold] {escape(', '.join(detail.aliases))}")
    if detail.surfaces:
        console.print(f"[bold]named as:[/bold] {escape(', '.join(detail.surfaces))}")
    for role in detail.roles:
        span = f" ({role.start or '…'} – {role.end or '…'})" if role.start or role.end else ""
        console.print(f"[bold]role:[/bold] {escape(role.title)}{span}")
    console.print(f"{len(detail.mentions)} mentions, {len(quotes)} quotes")
    _print_quotes(quotes, show_speaker=False)


def _print_quotes(quotes: list, show_speaker: bool = True) -> None:
    table = Table(box=None, padding=(0, 1), expand=True)
    table.add_column("time (UTC)", no_wrap=True, style="bold")
    table.add_column("post", no_wrap=True, style="dim")
    table.add_column("who said what", ratio=1)
    for sq in quotes:
        q = sq.quote
        cell = Text()
        if show_speaker:
            cell.append(q.speaker or "unattributed", style="bold" if q.speaker else "italic dim")
            cell.append(" ")
        cell.append(f"{q.kind} ", style="dim")
        cell.append(f"“{q.text}”" if q.kind == "direct" else q.text)
        table.add_row(
            short_time(sq.published) + ("~" if sq.time_inferred else ""), sq.post_id[:8], cell
        )
    console.print(table)


@app.command("quotes")
def quotes_command(
    db: Db = None,
    speaker: str = typer.Option(None, "--speaker", help="Canonical name or alias."),
    about: str = typer.Option(None, "--about", help="Words the quote contains."),
    since: Since = None,
    until: Until = None,
    kind: str = typer.Option(None, "--kind", help="direct or indirect."),
    source: str = source_option(),
    limit: int = limit_option(100, "quotes"),
    as_json: Json = False,
) -> None:
    """Who said what, newest first, each with the post it comes from.

    Example: sitroom quotes --speaker Stoltenberg --about withdrawal --since monday
    """
    if kind and kind not in ("direct", "indirect"):
        raise typer.BadParameter("--kind must be direct or indirect")
    with open_store(db) as store:
        found = store.quotes(
            speaker=speaker,
            about=about,
            since=parse_when(since),
            until=parse_when(until),
            source=source,
            kind=kind,
            limit=limit,
        )
    if as_json:
        print_json(found)
        return
    console.print(f"[bold]{len(found)} quotes[/bold]")
    _print_quotes(found)


# How a bounded figure's value is shown: "at least 19" is >= 19, "up to 5%" is <= 5.
_BOUND_MARKS = {"lower": "≥", "upper": "≤"}


@app.command("figures")
def figures_command(
    db: Db = None,
    unit: str = typer.Option(None, "--unit", help="troops, percent, usd, gbp, km, drones, ..."),
    since: Since = None,
    limit: int = limit_option(200, "figures"),
    as_json: Json = False,
) -> None:
    """Figures stated in posts: value, unit, what is counted, and the post."""
    with open_store(db) as store:
        found = store.figures(unit=unit, since=parse_when(since), limit=limit)
    if as_json:
        print_json(found)
        return
    table = listing_table(
        f"{len(found)} figures",
        [("time (UTC)", "left"), ("as written", "left"), ("value", "right")]
        + [(c, "left") for c in ("unit", "counted", "post")],
    )
    for sf in found:
        f = sf.figure
        table.add_row(
            short_time(sf.published) + ("~" if sf.time_inferred else ""),
            escape(f.text),
            _BOUND_MARKS.get(f.bound or "", "") + ("~" if f.approx else "") + f"{f.value:,.10g}",
            f.unit,
            escape(f.counted or ""),
            sf.post_id[:8],
        )
    console.print(table)


@app.command("places")
def places_command(db: Db = None, since: Since = None, as_json: Json = False) -> None:
    """Places named in posts, geocoded offline, most named first."""
    with open_store(db) as store:
        found = store.places(since=parse_when(since))
    if as_json:
        print_json(found)
        return
    table = listing_table(
        f"{len(found)} places",
        [(c, "left") for c in ("place", "kind", "country")]
        + [(c, "right") for c in ("lat", "lon", "mentions", "posts")],
    )
    for p in found:
        table.add_row(
            escape(p.canonical),
            p.kind,
            p.country_code or "",
            f"{p.lat:.2f}" if p.lat is not None else "",
            f"{p.lon:.2f}" if p.lon is not None else "",
            str(p.count),
            str(len(p.posts)),
        )
    console.print(table)
