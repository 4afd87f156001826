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

from sitroom.read.outlets import common
from sitroom.read.outlets.common import Clock, Draft, Drafted, byline_line, is_title
from sitroom.read.page import Page
from sitroom.records import Document, Post

OUTLET = "CNN"
_FROM_CNN_RE = re.compile(r"^From CNN[’']s\s", re.MULTILINE)
_LABEL_PREFIX_RE = re.compile(
    r"^(?P<label>Analysis|Opinion|Fact check|Breaking)\s*:\s*(?P<title>.+)$", re.I
)
_ANALYSIS_BY_RE = re.compile(r"^(?:Analysis|Opinion)\s+by\s+", re.IGNORECASE)
_FURNITURE_RE = common.furniture("cnn")
_UPDATED_RE = re.compile(r"^updated", re.IGNORECASE)


def recognise(page: Page) -> bool:
    if page.live_url("cnn.com"):
        return not page.is_feed
    text = page.visible[:200_000]
    times = sum(1 for line in text.splitlines() if common.relative_delta(line) is not None)
    if page.outlet_is("CNN"):  # the manifest says so: any page of timed posts
        return times >= 1 or sum(1 for line in text.splitlines() if common.is_time_line(line)) >= 2
    return bool(_FROM_CNN_RE.search(text)) and (times >= 1 or "Updated" in text[:3000])


def _updated(header: common.Header, page: Page) -> datetime | None:
    """The page's "Updated" time: what its relative times count back from."""
    updated = common.parse_when(header.dated or "")
    if not updated.has_time:
        return None
    day, _ = common.complete_date(updated, page, None)
    return common.instant(updated, day or page.reference.date())


def _content(draft: Draft, blocks: list[list[str]]) -> None:
    lines = [ln for block in blocks for ln in block]
    if lines and is_title(lines[0]) and common.relative_delta(lines[0]) is None:
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
    return common.read_outlet(page, OUTLET, _draft, _cnn_conventions)


def _draft(page: Page) -> Drafted:
    head, segments = common.timed_segments(common.paragraphs(page.visible))
    header = common.read_header(
        (ln for block in head for ln in block), _UPDATED_RE.match, _FURNITURE_RE
    )
    anchor = _updated(header, page)
    clock = Clock(anchor.date() if anchor else None, anchor is None)
    drafts = [_post(segment, page, anchor, clock) for segment in segments]
    return Drafted(drafts, header.title, header.bylines)


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


def _post(segment: common.Segment, page: Page, anchor: datetime | None, clock: Clock) -> Draft:
    # "25 min ago" counts back from the page's "Updated" time, else from when it was read.
    draft = common.timed_draft(segment.stamps, page, clock, anchor)
    _content(draft, segment.blocks)
    return draft
