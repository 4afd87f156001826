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

from sitroom.read.outlets import common
from sitroom.read.outlets.common import DATELINE_RE, Clock, Draft, Drafted, is_time_line, parse_when
from sitroom.read.page import Page
from sitroom.records import Document

OUTLET = "AP"
_AP_DATELINE_RE = re.compile(
    r"^[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][\w .'’-]{1,40})?\s*\(AP\)\s*[—–-]", re.M
)
_RULE_RE = re.compile(r"^[_\-–—*]{3,}$", re.M)
_FURNITURE_RE = common.furniture("ap")


def recognise(page: Page) -> bool:
    if page.live_url("apnews.com"):
        return not page.is_feed
    text = page.visible[:200_000]
    if page.outlet_is("AP", "Associated Press", "The Associated Press"):
        return bool(_AP_DATELINE_RE.search(text)) or bool(_RULE_RE.search(text))
    return len(_AP_DATELINE_RE.findall(text)) >= 2


def _dated(line: str) -> bool:
    """The header's date line ("Updated 4:12 PM GMT, February 24, 2023")."""
    return parse_when(line).day is not None and len(line.split()) <= 12


def _headline(block: str) -> bool:
    return (
        common.is_title(block) and len(block.split()) <= 20 and not block.endswith(("”", '"', "’"))
    )


def _post_time(block: str) -> bool:
    """A post's own time ("4:05 PM GMT", "2 hrs ago"); a full date is the page's header."""
    return is_time_line(block) and parse_when(block).year is None


def read(page: Page) -> Document:
    return common.read_outlet(page, OUTLET, _draft)


def _draft(page: Page) -> Drafted:
    blocks = [" ".join(b) for b in common.paragraphs(page.visible)]
    first = next(
        (
            k
            for k, b in enumerate(blocks)
            if DATELINE_RE.match(b) or _RULE_RE.match(b) or _post_time(b)
        ),
        len(blocks),
    )
    header = common.read_header(blocks[:first], _dated, _FURNITURE_RE)
    day, inferred = (None, True)
    if header.dated is not None:
        day, inferred = common.complete_date(parse_when(header.dated), page, None)
    if day is None:
        day, inferred = page.reference.date(), True
    drafts = _posts(blocks[first:], page, Clock(day, True))
    for d in drafts:
        if d.published is None:
            d.published, d.inferred = common.instant(parse_when(""), day), True
    return Drafted(drafts, header.title, header.bylines, inferred)


def _posts(blocks: list[str], page: Page, clock: Clock) -> list[Draft]:
    """Posts open at a dateline, after a "___" rule, or at a post's own time line (then a
    short line before the text is its title)."""
    drafts: list[Draft] = []
    opened = False  # the next block opens a post (after a rule or a time line)
    for block in blocks:
        if _RULE_RE.match(block) or _FURNITURE_RE.match(block):
            opened = True
            continue
        if is_time_line(block):
            drafts.append(Draft())
            drafts[-1].published, drafts[-1].inferred = clock.place(parse_when(block), page)
            opened = False
            continue
        dateline = DATELINE_RE.match(block)
        fresh = bool(drafts) and not drafts[-1].body  # opened by a time or headline
        if (dateline or opened or not drafts) and not fresh:
            drafts.append(Draft())
        opened = False
        draft = drafts[-1]
        timed = draft.published is not None  # only a timed post carries a headline
        if timed and not draft.body and not draft.title and not dateline and _headline(block):
            draft.title = block  # a headline between a post's time and its text
            continue
        if dateline and not draft.body:
            draft.dateline = dateline["dateline"]
            block = block[dateline.end() :]
        draft.body.append(block)
    return [d for d in drafts if d.body]
