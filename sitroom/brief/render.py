"""The briefing as text (for the terminal, with rich markup), markdown, JSON or a standalone
HTML page. Citations show as short post ids; `sitroom show ID` opens the verbatim post."""

from __future__ import annotations

import html
import json

from rich.markup import escape

from sitroom.records import Briefing, BriefLine
from sitroom.util.jsonable import to_jsonable

FORMATS = ("text", "markdown", "json", "html")


def _time(line: BriefLine, b: Briefing | None = None) -> str:
    """'13 Feb 09:45', with the year when the briefing spans more than one, and '~' when
    the year or date was inferred."""
    if line.time is None:
        return "—"
    spans_years = b is not None and b.since and b.until and b.since.year != b.until.year
    text = line.time.strftime("%d %b %Y %H:%M" if spans_years else "%d %b %H:%M")
    return text + ("~" if line.time_inferred else "")


def _cite(ids: list[str]) -> str:
    return " ".join(f"[{i[:8]}]" for i in ids)


def _window(b: Briefing) -> str:
    def fmt(t):
        return t.strftime("%Y-%m-%d %H:%M") if t else "…"

    inferred = (
        f" · ~ {b.times_inferred} times inferred (not on the page)" if b.times_inferred else ""
    )
    return (
        f"{fmt(b.since)} – {fmt(b.until)} UTC · {b.posts} posts · {len(b.sources)} sources"
        f"{inferred}"
    )


def _section(heading: str, lines: list[str]) -> list[str]:
    """A titled block of the briefing after a blank line; nothing when it has no lines."""
    return ["", heading, *lines] if lines else []


def render_text(b: Briefing) -> str:
    def cite(line: BriefLine) -> str:
        return escape(_cite(line.citations))

    out = [f"[bold reverse] BRIEFING [/bold reverse] [dim]{escape(_window(b))}[/dim]"]
    if b.story:
        out.append(f"[bold]Story:[/bold] {escape(b.story)}")
    if b.date_line:
        out.append(f"[italic]{escape(b.date_line)}[/italic]")
    out.append("")
    out += [f" • {escape(line.text)} [dim cyan]{cite(line)}[/dim cyan]" for line in b.bullets]
    timeline = [
        f"  [yellow]{_time(line, b)}[/yellow]  {escape(line.text)} [dim cyan]{cite(line)}[/dim cyan]"
        for line in b.timeline
    ]
    quotes = []
    for aq in b.key_quotes:
        quotes.append(f"  [bold]{escape(aq.actor)}[/bold] [dim]({aq.total} statements)[/dim]")
        quotes += [f"    “{escape(q.text)}” [dim]{_time(q, b)} {cite(q)}[/dim]" for q in aq.quotes]
    figures = []
    for fc in b.figures_changed:
        figures.append(f"  [bold]{escape(fc.counted or fc.unit)}[/bold] ({escape(fc.unit)})")
        figures += [
            f"    {_time(p, b)}  {escape(p.text)} [dim]{escape(p.source or '')} {cite(p)}[/dim]"
            for p in fc.points
        ]
    out += _section("[bold]Timeline[/bold]", timeline)
    out += _section("[bold]Key quotes[/bold]", quotes)
    out += _section("[bold]Figures that changed[/bold]", figures)
    return "\n".join(out)


def render_markdown(b: Briefing) -> str:
    out = ["## Briefing" + (f": {b.story}" if b.story else ""), f"_{_window(b)}_", ""]
    if b.date_line:
        out += [b.date_line, ""]
    out += [f"- {line.text} {_cite(line.citations)}" for line in b.bullets]
    timeline = [
        f"- **{_time(line, b)}** {line.text} {_cite(line.citations)}" for line in b.timeline
    ]
    quotes = []
    for aq in b.key_quotes:
        quotes.append(f"- **{aq.actor}**")
        quotes += [f"  - “{q.text}” ({_time(q, b)}) {_cite(q.citations)}" for q in aq.quotes]
    figures = [
        f"- **{fc.counted or fc.unit}** ({fc.unit}): "
        + "; ".join(f"{_time(p, b)} {p.text} {_cite(p.citations)}" for p in fc.points)
        for fc in b.figures_changed
    ]
    out += _section("### Timeline\n", timeline)
    out += _section("### Key quotes\n", quotes)
    out += _section("### Figures that changed\n", figures)
    return "\n".join(out) + "\n"


def render_json(b: Briefing) -> str:
    return json.dumps(to_jsonable(b), ensure_ascii=False, indent=2)


def render_html(b: Briefing) -> str:
    """A standalone page (no scripts, no outside requests); every text is escaped."""
    e = html.escape

    def line_html(line: BriefLine) -> str:
        cites = " ".join(
            f'<a class="cite" href="/posts/{e(i)}">{e(i[:8])}</a>' for i in line.citations
        )
        return f"{e(line.text)} {cites}"

    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>sitroom briefing</title>",
        "<style>body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
        ".cite{font-size:.8em;color:#0b5cad;margin-left:.2em}time{color:#666;font-variant-numeric:tabular-nums}</style>",
        f"</head><body><h1>Briefing{e(': ' + b.story) if b.story else ''}</h1>"
        f"<p>{e(_window(b))}</p>"
        + (f"<p><em>{e(b.date_line)}</em></p>" if b.date_line else "")
        + "<ul>",
        *[f"<li>{line_html(line)}</li>" for line in b.bullets],
        "</ul>",
    ]
    if b.timeline:
        parts.append("<h2>Timeline</h2><ul>")
        parts += [
            f"<li><time>{e(_time(line, b))}</time> {line_html(line)}</li>" for line in b.timeline
        ]
        parts.append("</ul>")
    if b.key_quotes:
        parts.append("<h2>Key quotes</h2>")
        for aq in b.key_quotes:
            parts.append(f"<h3>{e(aq.actor)}</h3><ul>")
            parts += [f"<li>“{line_html(q)}” <time>{e(_time(q, b))}</time></li>" for q in aq.quotes]
            parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def render_briefing(b: Briefing, fmt: str = "text") -> str:
    renderers = {
        "text": render_text,
        "markdown": render_markdown,
        "json": render_json,
        "html": render_html,
    }
    if fmt not in renderers:
        raise ValueError(f"unknown briefing format {fmt!r}; choose from {', '.join(FORMATS)}")
    return renderers[fmt](b)
