"""Al Jazeera live blogs and "key events" lists, as text or HTML.

A live blog: a header ("Published On 24 Feb 2024"), then posts that open with their time
("10:42 GMT", or a relative "5m ago"), a title line, and the text.

A key-events list ("Russia-Ukraine war: List of key events, day 731"): titled, untimed posts
under section headings ("Fighting", "Politics and diplomacy"), each heading a short line of
its own; they take the page's date, marked inferred.
"""

from __future__ import annotations

import re
from datetime import date

from sitroom.read.outlets import common
from sitroom.read.outlets.common import Clock, Draft, Drafted
from sitroom.read.page import Page
from sitroom.records import Document

OUTLET = "Al Jazeera"
_AJ_RE = re.compile(r"\bAl Jazeera\b")
_DATED_RE = re.compile(r"^(published on|last update|updated on|published)\b", re.IGNORECASE)
_FURNITURE_RE = common.furniture("aljazeera")
_HEADING_MAX_WORDS = 8


def recognise(page: Page) -> bool:
    if page.live_url("aljazeera.com", "aljazeera.net"):
        return not page.is_feed
    head = "\n".join(page.visible.splitlines()[:40])
    live = bool(re.search(r"\blive\b|key events", head, re.IGNORECASE))
    if page.outlet_is("Al Jazeera"):
        return (
            live or sum(1 for line in page.visible.splitlines() if common.is_time_line(line)) >= 2
        )
    return bool(_AJ_RE.search(head)) and live


def _header(lines: list[str], page: Page) -> tuple[common.Header, date | None]:
    """The header, and the day its dated line ("Published On 24 Feb 2024") gives."""

    def dated(line: str) -> bool:
        return common.parse_when(line).day is not None and (
            bool(_DATED_RE.match(line)) or len(line.split()) <= 6
        )

    header = common.read_header(lines, dated, _FURNITURE_RE)
    if header.dated is None:
        return header, None
    return header, common.complete_date(common.parse_when(header.dated), page, None)[0]


def read(page: Page) -> Document:
    return common.read_outlet(page, OUTLET, _draft)


def _draft(page: Page) -> Drafted:
    blocks = common.paragraphs(page.visible)
    head, segments = common.timed_segments(blocks)
    if len(segments) < 2:
        return _key_events(blocks, page)
    header, day = _header([ln for b in head for ln in b], page)
    clock = Clock(day or page.date_hint, day is None)
    drafts = [_timed_post(s, page, clock) for s in segments]
    common.anchor_oldest(drafts, day or page.date_hint)  # "Published On" is when it began
    return Drafted(drafts, header.title, header.bylines)


def _timed_post(segment: common.Segment, page: Page, clock: Clock) -> Draft:
    draft = common.timed_draft(segment.stamps, page, clock)
    lines = [ln for b in segment.blocks for ln in b if not _FURNITURE_RE.match(ln)]
    if len(lines) > 1 and common.is_title(lines[0]):
        draft.title = lines.pop(0)
    draft.body = lines
    return draft


def _is_heading(block: list[str]) -> bool:
    line = block[0]
    return (
        len(block) == 1
        and len(line.split()) <= _HEADING_MAX_WORDS
        and not line.rstrip().endswith((".", ":", ",", ";", "?", "!", "”", '"'))
        and line[0].isupper()
        and not common.is_time_line(line)
    )


def _key_events(blocks: list[list[str]], page: Page) -> Drafted:
    """Sections under headings: the page header runs to the dated line, then each heading
    opens a post."""
    dated = next((k for k, b in enumerate(blocks) if any(_DATED_RE.match(ln) for ln in b)), None)
    start = dated + 1 if dated is not None else 0
    header, day = _header([ln for b in blocks[:start] for ln in b], page)
    published = common.instant(
        common.parse_when(""), day or page.date_hint or page.reference.date()
    )
    drafts: list[Draft] = []
    for block in blocks[start:]:
        if all(_FURNITURE_RE.match(ln) for ln in block):
            continue
        if _is_heading(block):
            drafts.append(Draft(title=block[0], published=published, inferred=True))
        elif drafts:
            drafts[-1].body.append(" ".join(re.sub(r"^[•●▪*-]\s+", "", ln) for ln in block))
    return Drafted([d for d in drafts if d.body], header.title, header.bylines)
