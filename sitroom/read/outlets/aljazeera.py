"""Al Jazeera live blogs and "key events" lists, as text or HTML.

A live blog: a header ("Published On 24 Feb 2024"), then posts that open with their time
("10:42 GMT", or a relative "5m ago"), a title line, and the text.

A key-events list ("Russia-Ukraine war: List of key events, day 731"): titled, untimed posts
under section headings ("Fighting", "Politics and diplomacy"), each heading a short line of
its own; they take the page's date, marked inferred.
"""

from __future__ import annotations

import re

from sitroom.read.outlets.common import (
    Clock,
    Draft,
    Segment,
    anchor_oldest,
    best_when,
    build_document,
    byline_line,
    complete_date,
    from_markup,
    html_title,
    instant,
    is_time_line,
    is_title,
    paragraphs,
    parse_when,
    timed_segments,
)
from sitroom.read.page import Page
from sitroom.records import Byline, Document

OUTLET = "Al Jazeera"
_AJ_RE = re.compile(r"\bAl Jazeera\b")
_DATED_RE = re.compile(r"^(published on|last update|updated on|published)\b", re.IGNORECASE)
_FURNITURE_RE = re.compile(
    r"^(live|live updates|save articles? to read later.*|share|list of \d+ items?|list \d+ of \d+|"
    r"end of list|click here to share on social media|by al jazeera staff|al jazeera staff)$",
    re.IGNORECASE,
)
_HEADING_MAX_WORDS = 8


def recognise(page: Page) -> bool:
    if page.live_url("aljazeera.com", "aljazeera.net"):
        return not page.is_feed
    head = "\n".join(page.visible.splitlines()[:40])
    live = bool(re.search(r"\blive\b|key events", head, re.IGNORECASE))
    if page.outlet_is("Al Jazeera"):
        return live or sum(1 for line in page.visible.splitlines() if is_time_line(line)) >= 2
    return bool(_AJ_RE.search(head)) and live


def _header(lines: list[str], page: Page) -> tuple[str | None, list[Byline], object]:
    title, bylines, day = None, [], None
    for line in lines:
        if _FURNITURE_RE.match(line):
            continue
        when = parse_when(line)
        if (
            day is None
            and when.day is not None
            and (_DATED_RE.match(line) or len(line.split()) <= 6)
        ):
            day, _ = complete_date(when, page, None)
        elif (found := byline_line(line)) is not None and not bylines:
            bylines = found[0]
        elif title is None and is_title(line):
            title = line
    return title, bylines, day


def read(page: Page) -> Document:
    marked = from_markup(page, OUTLET)
    if marked is not None:
        return marked
    blocks = paragraphs(page.visible)
    head, segments = timed_segments(blocks)
    if len(segments) >= 2:
        title, bylines, day = _header([ln for b in head for ln in b], page)
        clock = Clock(day or page.date_hint, day is None)
        drafts = [_timed_post(s, page, clock) for s in segments]
        anchor_oldest(drafts, day or page.date_hint)  # "Published On" is when the blog began
    else:
        title, bylines, day, drafts = _key_events(blocks, page)
    return build_document(
        page, drafts, title=html_title(page) or title, outlet=OUTLET, bylines=bylines
    )


def _timed_post(segment: Segment, page: Page, clock: Clock) -> Draft:
    draft = Draft()
    absolute, delta = best_when(segment.stamps)
    if absolute is not None:
        draft.published, draft.inferred = clock.place(absolute, page)
        draft.carried = clock.carried
    elif delta is not None:
        draft.published, draft.inferred = page.reference - delta, True
    lines = [ln for b in segment.blocks for ln in b if not _FURNITURE_RE.match(ln)]
    if len(lines) > 1 and is_title(lines[0]):
        draft.title = lines.pop(0)
    draft.body = [ln for ln in lines]
    return draft


def _is_heading(block: list[str]) -> bool:
    line = block[0]
    return (
        len(block) == 1
        and len(line.split()) <= _HEADING_MAX_WORDS
        and not line.rstrip().endswith((".", ":", ",", ";", "?", "!", "”", '"'))
        and line[0].isupper()
        and not is_time_line(line)
    )


def _key_events(blocks: list[list[str]], page: Page):
    """Sections under headings: the page header runs to the dated line, then each heading
    opens a post."""
    dated = next((k for k, b in enumerate(blocks) if any(_DATED_RE.match(ln) for ln in b)), None)
    start = dated + 1 if dated is not None else 0
    title, bylines, day = _header([ln for b in blocks[:start] for ln in b], page)
    if day is None:
        day = page.date_hint or page.reference.date()
    published = instant(parse_when(""), day)
    drafts: list[Draft] = []
    for block in blocks[start:]:
        if all(_FURNITURE_RE.match(ln) for ln in block):
            continue
        if _is_heading(block):
            drafts.append(Draft(title=block[0], published=published, inferred=True))
        elif drafts:
            drafts[-1].body.append(" ".join(re.sub(r"^[•●▪*-]\s+", "", ln) for ln in block))
    return title, bylines, day, [d for d in drafts if d.body]
