"""AP live updates, as text or HTML.

    LIVE UPDATES
    Live updates: Harbour talks resume as ferries stay in port
    By The Associated Press
    Updated 4:12 PM GMT, February 24, 2023

    PORTVILLE, Freedonia (AP) — The harbour authority said on Friday ...

    A second paragraph of the same post.

    ___

    BRUSSELS (AP) — ...

Posts carry no time and no title of their own: each opens with a wire dateline ("BRUSSELS
(AP) —"), kept apart from its text, or follows a "___" rule; they take the header's date,
marked inferred. Where a post does open with its own time line, that time is used.
"""

from __future__ import annotations

import re

from sitroom.read.outlets.common import (
    DATELINE_RE,
    Clock,
    Draft,
    build_document,
    byline_line,
    complete_date,
    instant,
    is_time_line,
    is_title,
    paragraphs,
    parse_when,
)
from sitroom.read.page import Page
from sitroom.records import Byline, Document

OUTLET = "AP"
_AP_DATELINE_RE = re.compile(
    r"^[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][\w .'’-]{1,40})?\s*\(AP\)\s*[—–-]", re.M
)
_RULE_RE = re.compile(r"^[_\-–—*]{3,}$")
_FURNITURE_RE = re.compile(
    r"^(live updates?|live|share|here[’']s the latest:?|the latest:?|follow ap[’']s .*|"
    r"read more.*|associated press)$",
    re.IGNORECASE,
)


def recognise(page: Page) -> bool:
    if page.live_url("apnews.com"):
        return not page.is_feed
    text = page.visible[:200_000]
    return len(_AP_DATELINE_RE.findall(text)) >= 2


def _header(head: list[str]) -> tuple[str | None, list[Byline], str | None]:
    title, bylines, dated = None, [], None
    for line in head:
        when = parse_when(line)
        if dated is None and when.day is not None and len(line.split()) <= 12:
            dated = line
        elif (found := byline_line(line)) is not None and not bylines:
            bylines = found[0]
        elif title is None and not _FURNITURE_RE.match(line) and is_title(line):
            title = line
    return title, bylines, dated


def read(page: Page) -> Document:
    blocks = [" ".join(b) for b in paragraphs(page.visible)]
    first = next(
        (k for k, b in enumerate(blocks) if DATELINE_RE.match(b) or _RULE_RE.match(b)), len(blocks)
    )
    title, bylines, dated = _header(blocks[:first])
    day, inferred = (None, True)
    if dated is not None:
        day, inferred = complete_date(parse_when(dated), page, None)
    if day is None:
        day, inferred = page.reference.date(), True
    clock = Clock(day, True)
    drafts: list[Draft] = []
    pending_time = None
    for block in blocks[first:]:
        if _RULE_RE.match(block) or _FURNITURE_RE.match(block):
            if drafts and drafts[-1].body:
                drafts.append(Draft())  # a rule ends a post: the next text opens another
            continue
        if is_time_line(block):
            pending_time = block
            continue
        dateline = DATELINE_RE.match(block)
        if dateline or not drafts:
            if not (drafts and not drafts[-1].body):
                drafts.append(Draft())
        draft = drafts[-1]
        if pending_time is not None:
            draft.published, draft.inferred = clock.place(parse_when(pending_time), page)
            pending_time = None
        if dateline and not draft.body:
            draft.dateline = dateline["dateline"]
            block = block[dateline.end() :]
        draft.body.append(block)
    drafts = [d for d in drafts if d.body]
    for d in drafts:
        if d.published is None:
            d.published, d.inferred = instant(parse_when(""), day), True
    doc = build_document(page, drafts, title=title, outlet=OUTLET, bylines=bylines)
    doc.time_inferred = inferred or doc.time_inferred
    return doc
