"""Read-stage commands: ingest, posts, show, search, export, sources."""

from __future__ import annotations

import csv
import difflib
import json
import re
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from sitroom.cli.app import app
from sitroom.cli.output import (
    Db,
    Json,
    Until,
    actors_option,
    allow_private_option,
    check_actor_files,
    check_output_path,
    console,
    err_console,
    fail,
    found_or_fail,
    json_option,
    limit_option,
    max_size_option,
    open_store,
    parse_when,
    print_json,
    progress_bar,
    short_time,
    since_option,
    source_option,
    stop_report,
    timeout_option,
    to_jsonable,
)
from sitroom.pipeline import ingest_sources
from sitroom.read import FORMATS
from sitroom.read.inputs import iter_inputs
from sitroom.read.manifest import parse_retrieved
from sitroom.records import Provenance
from sitroom.store import PostQuery
from sitroom.util.cluster import Cluster, open_cluster


@contextmanager
def _cluster(workers: int | None, scheduler: str | None) -> Iterator[Cluster | None]:
    """The Dask cluster asked for, or None (read and enrich in this process)."""
    if not workers and not scheduler:
        yield None
        return
    with ExitStack() as stack:
        try:
            cluster = stack.enter_context(open_cluster(workers=workers, scheduler=scheduler))
        except OSError as exc:  # no scheduler there, or no worker could start
            raise fail(f"cannot start or reach the Dask cluster: {exc}") from exc
        yield cluster


@app.command("ingest")
def ingest(
    inputs: list[str] = typer.Argument(
        ..., help="Files, folders, globs, http(s) URLs, or - for standard input."
    ),
    db: Db = None,
    format: str = typer.Option(
        None,
        "--format",
        help="Skip detection and read every input as this layout: " + ", ".join(FORMATS) + ".",
    ),
    on_date: str = typer.Option(
        None, "--date", help="Date the pages were published (YYYY-MM-DD): supplies a missing year."
    ),
    max_size: float = max_size_option("inputs"),
    url: str = typer.Option(
        None, "--url", help="Where the page was taken from (names its outlet and source)."
    ),
    retrieved: str = typer.Option(
        None,
        "--retrieved",
        help="When the copy was taken (YYYY-MM-DD or ISO time, UTC): no post is dated after it.",
    ),
    outlet: str = typer.Option(None, "--outlet", help="The publisher's name, e.g. 'CNN'."),
    enrich: bool = typer.Option(
        True, "--enrich/--no-enrich", help="Find quotes, figures and places after storing."
    ),
    actors: list[Path] = actors_option(),
    timeout: float = timeout_option("Seconds one URL may take in all (connect, headers and body)."),
    allow_private: bool = allow_private_option("Fetch"),
    as_json: bool = json_option("Print the per-input results as JSON."),
    workers: int = typer.Option(
        None,
        "--workers",
        min=1,
        help="Read and enrich on a local Dask cluster of this many worker processes "
        "(for archives); this process stores what they give.",
    ),
    scheduler: str = typer.Option(
        None,
        "--scheduler",
        help="Read and enrich on the Dask cluster at this scheduler (tcp://HOST:8786); its "
        "workers need sitroom installed and the inputs within reach.",
    ),
) -> None:
    """Read pages into the record. Re-reading a page adds only what changed.

    Examples:

      sitroom ingest page.txt

      sitroom ingest corpus/ 'archive/*.html' https://example.org/live/feed.xml

      curl -s URL | sitroom ingest - --format live-text

      sitroom ingest saved.txt --url https://www.bbc.co.uk/news/live/x --retrieved 2025-02-13

      sitroom ingest archive/ --workers 2 --db postgresql://localhost/sitroom

    A folder's MANIFEST.jsonl (file, url, outlet, retrieved per line) is read, never ingested.
    """
    if format and format not in FORMATS:
        raise typer.BadParameter(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    date_hint = None
    if on_date:
        try:
            date_hint = date.fromisoformat(on_date)
        except ValueError as exc:
            raise typer.BadParameter(f"--date wants YYYY-MM-DD, got {on_date!r}") from exc
    given = _given_provenance(url, retrieved, outlet)
    check_actor_files(actors)
    items = list(iter_inputs(inputs, stdin=sys.stdin.buffer))
    for item in items:
        item.timeout, item.allow_private = timeout, True if allow_private else None
    if workers and scheduler:
        raise typer.BadParameter("give --workers or --scheduler, not both", param_hint="--workers")
    with (
        stop_report(db, "ingest"),
        open_store(db, create=True) as store,
        _cluster(workers, scheduler) as cluster,
        progress_bar("ingest", disable=as_json) as report,
    ):
        run = ingest_sources(
            store,
            items,
            argv=" ".join(["sitroom", "ingest", *inputs]),
            format=format,
            date_hint=date_hint,
            meta=given,
            max_bytes=int(max_size * 1024 * 1024),
            enrich=enrich,
            actors_files=list(actors or []),
            progress=lambda done, total, what: report(done, total, f"reading {what}"),
            enrich_progress=lambda done, total, what: report(done, total, f"enriching {what}"),
            cluster=cluster,
        )
    results, stats, errors = run.results, run.enrichment, run.errors
    if as_json:
        print_json({"results": results, "enrichment": stats})
    else:
        _print_ingest_table(results)
        if stats is not None:
            console.print(f"enriched: {stats}")
    if errors:
        err_console.print(f"[red]{len(errors)} of {len(results)} inputs failed[/red]")
        raise typer.Exit(1)


def _given_provenance(url: str | None, retrieved: str | None, outlet: str | None):

    try:
        when = parse_retrieved(retrieved)
    except ValueError as exc:
        raise typer.BadParameter(
            f"--retrieved wants YYYY-MM-DD or an ISO time, got {retrieved!r}"
        ) from exc
    return Provenance(url=url, outlet=outlet, retrieved=when)


def _print_ingest_table(results: list) -> None:
    """One row per input with its full name (folded, never cut), then a totals row."""
    table = Table(title="ingest", title_justify="left", show_footer=len(results) > 1)
    counts = ("new", "updated", "unchanged", "vanished")
    totals = {c: sum(getattr(r, c) for r in results) for c in counts}
    failed = sum(1 for r in results if r.error)
    table.add_column("source", overflow="fold", footer=f"total: {len(results)} inputs")
    for c in counts:
        table.add_column(c, justify="right", footer=str(totals[c]))
    table.add_column("notes", overflow="fold", footer=f"{failed} failed" if failed else "")
    for r in results:
        notes = f"[red]{escape(r.error)}[/red]" if r.error else escape("; ".join(r.warnings))
        table.add_row(
            escape(r.source), str(r.new), str(r.updated), str(r.unchanged), str(r.vanished), notes
        )
    console.print(table)


@app.command("posts")
def posts(
    db: Db = None,
    since: str = since_option("From this time (2022-02-15, 6h, 2d, yesterday)."),
    until: Until = None,
    label: str = typer.Option(
        None, "--label", help="Only posts with this label (Breaking, Analysis, ...)."
    ),
    author: str = typer.Option(
        None, "--author", help="Only posts whose byline contains this name."
    ),
    source: str = source_option("posts "),
    text: str = typer.Option(None, "--text", help="Only posts whose title or body contains this."),
    limit: int = limit_option(None, "posts"),
    newest_first: bool = typer.Option(False, "--newest-first", help="Newest post first."),
    as_json: Json = False,
) -> None:
    """The merged timeline of posts from every source, in true time order."""
    query = PostQuery(
        since=parse_when(since),
        until=parse_when(until),
        label=label,
        author=author,
        source=source,
        text=text,
        limit=limit,
        order="-time" if newest_first else "time",
    )
    with open_store(db) as store:
        found = store.posts(query)
    if as_json:
        print_json(found)
        return
    table = Table(
        title=f"{len(found)} posts", title_justify="left", expand=True, box=None, padding=(0, 1)
    )
    table.add_column("time (UTC)", no_wrap=True, style="bold")
    table.add_column("id", no_wrap=True, style="dim")
    table.add_column("post", ratio=1, overflow="fold")
    for p in found:
        when = short_time(p.published) + ("~" if p.time_inferred else "")
        line = Text()
        for label in p.labels:
            line.append(
                f" {label.upper()} ",
                style="bold white on red" if label.lower() == "breaking" else "reverse",
            )
            line.append(" ")
        line.append(p.title or p.body[:80], style="strike dim" if p.vanished_at else "bold")
        if p.vanished_at:
            line.append(" (gone from page)", style="red")
        if p.version > 1:
            line.append(f" (edited, v{p.version})", style="yellow")
        meta = " · ".join(
            x for x in [p.outlet or Path(p.source).name, ", ".join(b.name for b in p.bylines)] if x
        )
        line.append(f"\n{meta}", style="dim")
        table.add_row(when, p.id[:8], line)
    console.print(table)
    if any(p.time_inferred for p in found):
        console.print("[dim]~ the year or date was not on the page and was inferred[/dim]")


@app.command("show")
def show(
    post_id: str = typer.Argument(..., help="A post id (a unique prefix is enough)."),
    db: Db = None,
    as_json: Json = False,
) -> None:
    """One post with its text, pictures and every version it has had."""
    with open_store(db) as store:
        post = found_or_fail(
            store.post(post_id), f"no post matches {post_id!r} (or the prefix is ambiguous)"
        )
        versions = store.post_versions(post.id)
    if as_json:
        print_json({"post": post, "versions": versions})
        return
    console.rule(f"[bold]{escape(post.title or '(untitled)')}")
    console.print(
        f"[dim]{post.id} · {escape(post.outlet or post.source)} · {short_time(post.published)} UTC"
        f"{' (inferred)' if post.time_inferred else ''} · version {post.version}"
        f"{' · GONE from page since ' + short_time(post.vanished_at) if post.vanished_at else ''}[/dim]"
    )
    if post.labels:
        console.print(" ".join(f"[reverse] {escape(label)} [/reverse]" for label in post.labels))
    for b in post.bylines:
        console.print(f"[bold]{escape(b.name)}[/bold]" + (f", {escape(b.role)}" if b.role else ""))
    console.print()
    console.print(escape(post.body))
    for m in post.media:
        console.print(
            f"[dim][{m.kind}] {escape(m.caption or m.alt or '')} {escape(m.source or '')}[/dim]"
        )
    if len(versions) > 1:
        console.rule("history")
        for older, newer in zip(versions, versions[1:], strict=False):
            console.print(
                f"[bold]v{older.version} → v{newer.version}[/bold] (seen {short_time(newer.seen_at)})"
            )
            diff = difflib.unified_diff(
                _version_lines(older), _version_lines(newer), lineterm="", n=1
            )
            for line in list(diff)[2:]:
                style = (
                    "green" if line.startswith("+") else "red" if line.startswith("-") else "dim"
                )
                console.print(f"[{style}]{escape(line)}[/{style}]")


def _version_lines(version) -> list[str]:
    head = [
        f"title: {version.title}",
        f"published: {version.published}",
        f"labels: {version.labels}",
    ]
    return head + version.body.splitlines()


@app.command("search")
def search(
    text: str = typer.Argument(..., help="Words to find (all must occur)."),
    db: Db = None,
    limit: int = limit_option(20, "hits"),
    as_json: Json = False,
) -> None:
    """Full-text search over every post, best match first, with snippets."""
    with open_store(db) as store:
        hits = store.search(text, limit=limit)
    if as_json:
        print_json([{"post": p, "snippet": s, "rank": r} for p, s, r in hits])
        return
    table = Table(
        title=f"{len(hits)} hits for {text!r}",
        title_justify="left",
        expand=True,
        box=None,
        padding=(0, 1),
    )
    table.add_column("time (UTC)", no_wrap=True, style="bold")
    table.add_column("id", style="dim", no_wrap=True)
    table.add_column("post", ratio=1)
    for p, snippet, _rank in hits:
        cell = Text(p.title or "(untitled)", style="bold")
        cell.append("\n")
        cell.append_text(_highlight(snippet))
        table.add_row(short_time(p.published) + ("~" if p.time_inferred else ""), p.id[:8], cell)
    console.print(table)
    if any(p.time_inferred for p, _, _ in hits):
        console.print("[dim]~ the year or date was not on the page and was inferred[/dim]")


def _highlight(snippet: str) -> Text:
    """The store marks matched words as [word]; show them bold instead."""
    text = Text()
    for n, part in enumerate(re.split(r"\[([^\]]*)\]", snippet)):
        text.append(part, style="bold yellow" if n % 2 else "")
    return text


@app.command("export")
def export(
    format: str = typer.Option("jsonl", "--format", help="jsonl, csv or parquet."),
    table: str = typer.Option(
        "posts",
        "--table",
        help="Which table: posts (latest versions), post_versions, documents, sources, ingests, quotes, figures, ...",
    ),
    output: Path = typer.Option(
        None,
        "--output",
        "-o",
        help="File to write (default: standard output; required for parquet).",
    ),
    db: Db = None,
) -> None:
    """Export a table of the record. `--table posts` gives each post with its latest version."""
    if format not in ("jsonl", "csv", "parquet"):
        raise typer.BadParameter("--format must be jsonl, csv or parquet")
    if format == "parquet" and output is None:
        raise typer.BadParameter("parquet needs --output FILE")
    check_output_path(output)
    with open_store(db) as store:
        if table == "posts":
            rows = [_flat_post(p) for p in store.posts()]
        else:
            try:
                rows = list(store.export_rows(table))
            except ValueError as exc:
                raise typer.BadParameter(str(exc)) from exc
    if format == "parquet":
        # lazy: pyarrow is large and only parquet export needs it
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows), output)
    else:
        out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            if format == "jsonl":
                for row in rows:
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
            elif rows:
                writer = csv.DictWriter(out, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
        finally:
            if output:
                out.close()
    if output:
        err_console.print(f"wrote {len(rows)} rows of {table} to {output}")


def _flat_post(post) -> dict:
    """A post as one flat row: lists become JSON text so CSV and parquet can hold them."""
    row = to_jsonable(post)
    for key in ("labels", "bylines", "media"):
        row[key] = json.dumps(row[key], ensure_ascii=False)
    return row


@app.command("sources")
def sources(db: Db = None, as_json: Json = False) -> None:
    """The pages and feeds in the record, with their post counts."""
    with open_store(db) as store:
        docs = store.documents()
    if as_json:
        print_json(docs)
        return
    table = Table(title=f"{len(docs)} sources", title_justify="left")
    for column in (
        "id", "outlet", "source", "kind", "format", "posts", "gone", "first post", "last post"
    ):  # fmt: skip
        table.add_column(column)
    for d in docs:
        table.add_row(
            str(d.id),
            escape(d.outlet or "—"),
            escape(d.url or d.source),
            d.kind,
            d.format,
            str(d.posts),
            str(d.vanished),
            short_time(d.first_post),
            short_time(d.last_post),
        )
    console.print(table)
