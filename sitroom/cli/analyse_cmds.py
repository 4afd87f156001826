"""Analysis commands: claims, disputes, indicators."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from sitroom.analyse import analyse_store
from sitroom.analyse.catalogue import load_catalogue
from sitroom.cli.app import app
from sitroom.cli.output import (
    Db,
    Json,
    Since,
    check_choice,
    console,
    limit_option,
    open_store,
    parse_when,
    print_json,
    progress_bar,
    short_time,
)
from sitroom.records import MODALITIES


def _analysis(db: Path | None, since: str | None = None, hourly: bool = False, quiet: bool = False):

    with open_store(db) as store, progress_bar("analysing", disable=quiet) as report:
        return analyse_store(store, hourly=hourly, since=parse_when(since), progress=report)


@app.command("claims")
def claims_command(
    db: Db = None,
    actor: str = typer.Option(
        None, "--actor", help="Only claims by this actor (part of the name)."
    ),
    modality: str = typer.Option(
        None,
        "--modality",
        help="asserted, denied, observed, announced, predicted, hypothetical, questioned.",
    ),
    since: Since = None,
    limit: int = limit_option(100, "claims"),
    as_json: Json = False,
) -> None:
    """Claims about the world: who states what, and how (asserted, denied, observed, ...)."""
    check_choice("--modality", modality, MODALITIES)
    claims = _analysis(db, since, quiet=as_json).claims
    if actor:
        claims = [c for c in claims if c.actor and actor.lower() in c.actor.lower()]
    if modality:
        claims = [c for c in claims if c.modality == modality]
    claims = sorted(claims, key=lambda c: (c.time is None, c.time), reverse=True)[:limit]
    if as_json:
        print_json(claims)
        return
    table = Table(
        title=f"{len(claims)} claims", title_justify="left", box=None, padding=(0, 1), expand=True
    )
    table.add_column("time (UTC)", no_wrap=True, style="bold")
    table.add_column("post", style="dim", no_wrap=True)
    table.add_column("claim", ratio=1)
    for c in claims:
        cell = Text(c.actor or "(reporting)", style="bold" if c.actor else "italic dim")
        cell.append(
            f" {c.modality}{' (negated)' if c.negated else ''}: ",
            style="red" if c.negated else "green",
        )
        cell.append(c.text)
        if c.signals:
            cell.append(f"  [{', '.join(c.signals)}]", style="dim")
        table.add_row(short_time(c.time), c.post_id[:8], cell)
    console.print(table)


@app.command("disputes")
def disputes_command(db: Db = None, since: Since = None, as_json: Json = False) -> None:
    """Who asserts and who denies: propositions with actors on both sides, posts cited."""
    analysis = _analysis(db, since, quiet=as_json)
    disputes = analysis.disputes
    if as_json:
        print_json(disputes)
        return
    if not disputes:
        console.print("no disputes found")
    by_id = {c.id: c for c in analysis.claims}
    for d in disputes:
        _print_dispute(d, by_id)


def _print_dispute(d, by_id) -> None:
    console.rule(f"[bold]{escape(d.proposition or d.topic)[:110]}[/bold]")
    label = f"{d.signal} · " if d.signal else ""
    console.print(
        f"[dim]{label}{short_time(d.first)} – {short_time(d.latest)} UTC · rejected by {escape(d.reason)}[/dim]"
    )
    for name, sides, style in (("supports", d.asserts, "green"), ("rejects", d.denies, "red")):
        for side in sides:
            console.print(f"  [{style}]{name:8s}[/{style}] [bold]{escape(side.actor)}[/bold]")
            for claim_id, _stance, reason, confidence in side.stances[:4]:
                c = by_id.get(claim_id)
                if c is None:
                    continue
                console.print(
                    f"           [dim]{short_time(c.time)} {c.post_id[:8]} {escape(reason)} {confidence:.2f}[/dim] {escape(c.text[:100])}"
                )
    if d.related:
        console.print(f"  [dim]related (on no side): {len(d.related)} claims[/dim]")


@app.command("indicators")
def indicators_command(
    db: Db = None,
    hourly: bool = typer.Option(False, "--hourly", help="One point per hour instead of per day."),
    weights: bool = typer.Option(
        False, "--weights", help="Show the catalogue of signals and their weights."
    ),
    bucket: str = typer.Option(
        None, "--bucket", help="Show the events behind one point (e.g. 2022-02-15)."
    ),
    as_json: Json = False,
) -> None:
    """Escalation index per day (or hour) from the shipped signal catalogue; every point
    opens to its events and posts (--bucket). Weights: --weights."""

    if weights:
        catalogue = load_catalogue()
        if as_json:
            print_json(
                [
                    {"id": i.id, "label": i.label, "weight": i.weight, "plover": i.plover}
                    for i in catalogue
                ]
            )
            return
        table = Table(
            title="signal catalogue (sitroom/data/indicators.yaml)", title_justify="left", box=None
        )
        for column in ("signal", "label", "weight", "PLOVER"):
            table.add_column(column)
        for i in catalogue:
            table.add_row(i.id, i.label, f"{i.weight:+.1f}", i.plover)
        console.print(table)
        return
    analysis = _analysis(db, hourly=hourly, quiet=as_json)
    points = analysis.indicators
    if bucket:
        point = next((p for p in points if p.bucket == bucket), None)
        if point is None:
            raise typer.BadParameter(
                f"no point {bucket!r}; points: {', '.join(p.bucket for p in points)}"
            )
        events = [analysis.events[n] for n in point.events]
        if as_json:
            print_json({"point": point, "events": events})
            return
        console.print(f"[bold]{point.bucket}[/bold] index {point.index:+.1f}")
        for e in events:
            console.print(
                f"  {short_time(e.time)} [bold]{e.indicator}[/bold] ({e.category}, weight {e.weight:+.1f}) {escape(e.actor or '(reporting)')}: {escape(e.text[:120])} [dim]{e.post_id[:8]}[/dim]"
            )
        return
    if as_json:
        print_json(points)
        return
    peak = max((abs(p.index) for p in points), default=1) or 1
    table = Table(title="escalation index", title_justify="left", box=None, padding=(0, 1))
    for column in ("bucket", "index", "", "largest contributions"):
        table.add_column(column)
    for p in points:
        bar = "█" * round(12 * abs(p.index) / peak)
        top = sorted(p.contributions.items(), key=lambda kv: -abs(kv[1]))[:3]
        table.add_row(
            p.bucket,
            f"{p.index:+.1f}",
            Text(bar, style="red" if p.index > 0 else "green"),
            ", ".join(f"{k} {v:+.1f}" for k, v in top),
        )
    console.print(table)


@app.command("quantities")
def quantities_command(db: Db = None, as_json: Json = False) -> None:
    """Quantities stated over time: each series is one measured thing (unit, what is
    counted, where or whose), the same series the briefing and the web charts show."""
    series = _analysis(db, quiet=as_json).quantities
    if as_json:
        print_json(series)
        return
    if not series:
        console.print("no quantity stated in two posts")
    for q in series:
        console.print(f"[bold]{escape(q.counted)}[/bold] [dim]({q.unit})[/dim]")
        for when, value, text, post_id, _source in q.points:
            console.print(
                f"  {short_time(when)}  {value:>14,.10g}  {escape(text)} [dim]{post_id[:8]}[/dim]"
            )
