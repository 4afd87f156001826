"""CNN live updates, as text or HTML.

    Live Updates
    Harbour talks: live updates
    By Mara Quist, Tobias Reyes and Lena Ortiz, CNN
    Updated 6:15 p.m. ET, March 3, 2024

    25 min ago
    Analysis: Why the harbour talks matter
    From CNN's Sam Dahl

    Body paragraph.

Posts open with their time: relative ("25 min ago", "1 hr 12 min ago"), resolved against the
page's "Updated" time, or absolute ("5:02 p.m. ET, March 3, 2024"). A title may carry an
"Analysis:" prefix (the post's label); "From CNN's ..." or "Analysis by ..." credits people.
"""

from __future__ import annotations

import re
from datetime import datetime

from sitroom.read.outlets.common import (
    Clock,
    Draft,
    Segment,
    When,
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
    relative_delta,
    timed_segments,
)
from sitroom.read.page import Page
from sitroom.records import Byline, Document, Post

OUTLET = "CNN"
_FROM_CNN_RE = re.compile(r"^From CNN[’']s\s", re.MULTILINE)
_LABEL_PREFIX_RE = re.compile(
    r"^(?P<label>Analysis|Opinion|Fact check|Breaking)\s*:\s*(?P<title>.+)$", re.I
)
_ANALYSIS_BY_RE = re.compile(r"^(?:Analysis|Opinion)\s+by\s+", re.IGNORECASE)
_FURNITURE_RE = re.compile(r"^(live updates|live|cnn|see all updates|share|link copied!?)$", re.I)


def recognise(page: Page) -> bool:
    if page.live_url("cnn.com"):
        return not page.is_feed
    text = page.visible[:200_000]
    times = sum(1 for line in text.splitlines() if relative_delta(line) is not None)
    if page.outlet_is("CNN"):  # the manifest says so: any page of timed posts
        return times >= 1 or sum(1 for line in text.splitlines() if is_time_line(line)) >= 2
    return bool(_FROM_CNN_RE.search(text)) and (times >= 1 or "Updated" in text[:3000])


def _header(head: list[list[str]]) -> tuple[str | None, list[Byline], When | None]:
    title, bylines, updated = None, [], None
    for line in (ln for block in head for ln in block):
        if line.lower().startswith("updated") and updated is None:
            updated = parse_when(line)
        elif (found := byline_line(line)) is not None and not bylines:
            bylines = found[0]
        elif title is None and not _FURNITURE_RE.match(line) and is_title(line):
            title = line
    return title, bylines, updated


def _content(draft: Draft, blocks: list[list[str]]) -> None:
    lines = [ln for block in blocks for ln in block]
    if lines and is_title(lines[0]) and relative_delta(lines[0]) is None:
        title = lines.pop(0)
        prefix = _LABEL_PREFIX_RE.match(title)
        if prefix:
            draft.labels.append(prefix["label"].capitalize())
            title = prefix["title"].strip()
        draft.title = title
    while lines and (found := byline_line(_ANALYSIS_BY_RE.sub("By ", lines[0]))) is not None:
        draft.bylines.extend(found[0])
        lines.pop(0)
    consumed = len([ln for block in blocks for ln in block]) - len(lines)
    body, seen = [], 0
    for block in blocks:
        kept = block[max(0, consumed - seen) :]
        seen += len(block)
        if kept:
            body.append(" ".join(kept))
    draft.body = body


def read(page: Page) -> Document:
    marked = from_markup(page, OUTLET)
    if marked is not None:
        for post in marked.posts:
            _cnn_conventions(post)
        return marked
    head, segments = timed_segments(paragraphs(page.visible))
    title, bylines, updated = _header(head)
    anchor: datetime | None = None
    if updated is not None and updated.has_time:
        day, inferred = complete_date(updated, page, None)
        anchor = instant(updated, day or page.reference.date())
    clock = Clock(anchor.date() if anchor else None, anchor is None)
    drafts = [_post(segment, page, anchor, clock) for segment in segments]
    return build_document(
        page, drafts, title=html_title(page) or title, outlet=OUTLET, bylines=bylines
    )


def _cnn_conventions(post: Post) -> None:
    """A post read from the page's markup or JSON-LD, with CNN's conventions applied: an
    "Analysis:" title prefix is the label, a "From CNN's ..." first line the byline."""
    prefix = _LABEL_PREFIX_RE.match(post.title or "")
    if prefix:
        post.labels.append(prefix["label"].capitalize())
        post.title = prefix["title"].strip()
    first, _, rest = post.body.partition("\n\n")
    found = byline_line(first)
    if found is not None and len(first.split()) <= 16:
        post.bylines = post.bylines or found[0]
        post.body = rest


def _post(segment: Segment, page: Page, anchor: datetime | None, clock: Clock) -> Draft:
    draft = Draft()
    absolute, delta = best_when(segment.stamps)
    if absolute is not None:
        draft.published, draft.inferred = clock.place(absolute, page)
    elif delta is not None:
        # "25 min ago" counts back from the page's "Updated" time, else from when it was read.
        base = anchor or page.reference
        try:
            draft.published, draft.inferred = base - delta, anchor is None
        except OverflowError:  # "99999999 hr ago" reaches before year 1: no time
            draft.published = None
        clock.last = draft.published
    _content(draft, segment.blocks)
    return draft
