"""The briefing's records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class BriefLine:
    text: str  # verbatim from the first cited post
    citations: list[str]  # post ids (or post keys for a briefing of a bare Document)
    time: datetime | None = None
    source: str | None = None
    time_inferred: bool = False  # the year or date of `time` was not on the page


@dataclass
class ActorQuotes:
    actor: str
    quotes: list[BriefLine]  # newest first
    total: int = 0


@dataclass
class FigureChange:
    """One quantity stated differently over time, e.g. troops near a border."""

    unit: str
    counted: str | None
    points: list[BriefLine]  # oldest first; text = the figure as written
    values: list[float] = field(default_factory=list)


@dataclass
class Briefing:
    since: datetime | None
    until: datetime | None
    posts: int
    sources: list[str]
    bullets: list[BriefLine]
    timeline: list[BriefLine]
    key_quotes: list[ActorQuotes] = field(default_factory=list)
    figures_changed: list[FigureChange] = field(default_factory=list)
    story: str | None = None  # the story briefed (its name or label), None for a plain window
    story_id: int | None = None
    date_line: str | None = None  # "Updates for Wednesday 17 August 2016"
    times_inferred: int = 0  # posts in the window whose year or date was inferred
