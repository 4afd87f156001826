"""Guardian live blogs as text, and the same posts flattened into records.

The page, copied:

    Harbour talks live: ferries stay in port as union meets owners
    Andrew Sparrow (now) and Rachel Hall (earlier)
    Sat 24 Feb 2024 12.05 GMT
    Key events
    2h ago  Union rejects offer
    ...
    2h ago
    12.05 GMT
    Key event
    Union rejects offer
    The union said ...
    Updated at 12.15 GMT

Posts open with their time ("12.05 GMT", often after a relative "2h ago"); a title line and a
"Key event" label are optional; a summary post cites other posts' times ("(10.42)"), which
never open a post. The date comes from the header (or the URL), a post later in the day than
the one above it is from the day before.

Records, one field a line, a post's content running on until the next record:

    Update: 3
    Date: 2021-08-02T10:42:00Z
    Title: Union rejects offer
    Content: The union said ...
"""

from __future__ import annotations

import re

from sitroom.read.outlets.common import (
    Clock,
    Draft,
    Segment,
    best_when,
    build_document,
    byline_line,
    complete_date,
    instant,
    is_time_line,
    is_title,
    paragraphs,
    parse_when,
    timed_segments,
)
from sitroom.read.outlets.names import people_in_byline
from sitroom.read.page import Page
from sitroom.records import Byline, Document

OUTLET = "The Guardian"
_RECORD_RE = re.compile(
    r"^(?P<field>Update|Date|Title|Content|Key ?event|Author|Byline)\s*:\s?(?P<value>.*)$", re.I
)
_NOW_EARLIER_RE = re.compile(r"\((?:now|earlier|later|before)\)")
_KEY_EVENTS_RE = re.compile(r"^key events$", re.IGNORECASE)
_LABEL_RE = re.compile(r"^(key event|pinned post|pinned|summary|breaking|analysis)$", re.IGNORECASE)
_DROP_RE = re.compile(
    r"^(updated at .*|share|facebook|twitter|x|reuse this content|show key events only|"
    r"please turn on javascript.*|live|live feed|from \d+ .*|\d+ of \d+)$",
    re.IGNORECASE,
)


def _records(text: str) -> int:
    return sum(
        1
        for line in text.splitlines()[:4000]
        if re.match(r"^\s*(Update|Date|Title|Content)\s*:", line)
    )


def recognise(page: Page) -> bool:
    text = page.visible
    if _records(text) >= 4:
        return True
    if page.live_url("theguardian.com", "guardian.co.uk") and not page.is_feed:
        return not page.is_html or not re.search(r"""id=["']block-""", page.text)
    head = "\n".join(text.splitlines()[:40])
    return (
        bool(_NOW_EARLIER_RE.search(head))
        and sum(1 for ln in text.splitlines() if is_time_line(ln)) >= 2
    )


def read(page: Page) -> Document:
    text = page.visible
    if _records(text) >= 4:
        return _read_records(page, text)
    head, segments = timed_segments(paragraphs(text), _opens_post)
    title, bylines, header_day, key_titles = _header(head, page)
    clock = Clock(header_day, header_day is None)
    drafts = [_post(s, page, clock, key_titles) for s in segments]
    return build_document(
        page, [d for d in drafts if d.body or d.title], title=title, outlet=OUTLET, bylines=bylines
    )


def _opens_post(line: str) -> bool:
    """The first post's time line: a time of day alone (the header's stamp has the full date,
    and the key-events list puts a title after each time)."""
    return is_time_line(line) and parse_when(line).year is None


def _header(head: list[list[str]], page: Page):
    title, bylines, day, key_titles = None, [], None, set()
    in_key_events = False
    for line in (ln for block in head for ln in block):
        if _KEY_EVENTS_RE.match(line):
            in_key_events = True
            continue
        if in_key_events:
            key_titles.add(_strip_time(line))
            continue
        when = parse_when(line)
        if day is None and when.day is not None and when.year is not None:
            day, _ = complete_date(when, page, None)
        elif _NOW_EARLIER_RE.search(line) or byline_line(line) is not None:
            bylines = _people(line)
        elif title is None and is_title(line) and not _DROP_RE.match(line):
            title = line
    return title, bylines, day or page.date_hint, key_titles


def _people(line: str) -> list[Byline]:
    """'Andrew Sparrow (now) and Rachel Hall (earlier)' -> two people."""
    return people_in_byline(_NOW_EARLIER_RE.sub("", line))[0]


def _strip_time(line: str) -> str:
    return re.sub(
        r"^(\d+[hmd]\s+ago\s*)?(\d{1,2}[.:]\d{2}\s*(GMT|BST|[A-Z]{2,4})?\s*)?", "", line
    ).strip()


def _post(segment: Segment, page: Page, clock: Clock, key_titles: set[str]) -> Draft:
    draft = Draft()
    absolute, delta = best_when(segment.stamps)
    if absolute is not None:
        draft.published, draft.inferred = clock.place(absolute, page)
    elif delta is not None:
        draft.published, draft.inferred = page.reference - delta, True
    lines = [ln for block in segment.blocks for ln in block if not _DROP_RE.match(ln)]
    while lines and _LABEL_RE.match(lines[0]):
        label = lines.pop(0)
        draft.labels.append("Key event" if label.lower() == "key event" else label.capitalize())
    if len(lines) > 1 and is_title(lines[0]) and not is_time_line(lines[0]):
        draft.title = lines.pop(0)
    if draft.title and draft.title in key_titles and "Key event" not in draft.labels:
        draft.labels.append("Key event")
    for block in segment.blocks:
        kept = [ln for ln in block if ln in lines]
        if kept:
            draft.body.append(" ".join(kept))
            for ln in kept:
                lines.remove(ln)
    return draft


def _read_records(page: Page, text: str) -> Document:
    drafts: list[Draft] = []
    current: Draft | None = None
    field_name = None
    title = None
    for raw in text.splitlines():
        line = raw.strip()
        record = _RECORD_RE.match(line)
        if record:
            field_name = record["field"].lower().replace(" ", "")
            value = record["value"].strip()
            if field_name == "update" or current is None:
                current = Draft(key=f"update-{value}" if field_name == "update" and value else None)
                drafts.append(current)
            _record_field(current, field_name, value, page)
        elif current is None:
            if title is None and line and is_title(line):
                title = line
        elif line and field_name == "content":
            current.body.append(line)
    for draft in drafts:
        draft.body = [p for p in draft.body if p]
    return build_document(page, drafts, title=title, outlet=OUTLET)


def _record_field(draft: Draft, name: str, value: str, page: Page) -> None:
    if name == "date" and value:
        when = parse_when(value)
        day, inferred = complete_date(when, page, page.date_hint)
        draft.published, draft.inferred = instant(when, day), inferred
    elif name == "title":
        draft.title = value or None
    elif name == "content" and value:
        draft.body.append(value)
    elif name == "keyevent" and value.lower() in ("true", "yes", "1"):
        draft.labels.append("Key event")
    elif name in ("author", "byline") and value:
        draft.bylines.extend(_people(value))
