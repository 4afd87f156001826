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

from sitroom.read.names import people_in_byline
from sitroom.read.outlets import common
from sitroom.read.outlets.common import (
    Clock,
    Draft,
    Drafted,
    Segment,
    anchor_oldest,
    complete_date,
    is_time_line,
    is_title,
    parse_when,
)
from sitroom.read.page import Page
from sitroom.records import Byline, Document

OUTLET = "The Guardian"
_RECORD_RE = re.compile(
    r"^(?P<field>Update|Date|Title|Content|Key ?event|Author|Byline)\s*:\s?(?P<value>.*)$", re.I
)
_FIRST_RE = re.compile(r"^first published\b", re.IGNORECASE)
_NOW_EARLIER_RE = re.compile(r"\((?:now|earlier|later|before)\)")
_KEY_EVENTS_RE = re.compile(r"^key events$", re.IGNORECASE)
_LABEL_RE = re.compile(r"^(key event|pinned post|pinned|summary|breaking|analysis)$", re.IGNORECASE)
_DROP_RE = common.furniture("guardian")


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
    timed = sum(1 for ln in text.splitlines() if is_time_line(ln)) >= 2
    if page.outlet_is("The Guardian", "Guardian") and not page.is_html:
        return timed
    return bool(_NOW_EARLIER_RE.search(head)) and timed


def read(page: Page) -> Document:
    return common.read_outlet(page, OUTLET, _draft)


def _draft(page: Page) -> Drafted:
    text = page.visible
    if _records(text) >= 4:
        return _read_records(page, text)
    head, segments = common.timed_segments(common.paragraphs(text), _opens_post)
    title, bylines, header_day, key_titles, start = _header(head, page)
    segments = _drop_key_event_list(segments, key_titles)
    clock = Clock(header_day, header_day is None)
    drafts = [_post(s, page, clock, key_titles) for s in segments]
    anchor_oldest(drafts, start)
    return Drafted([d for d in drafts if d.body or d.title], title, bylines)


def _drop_key_event_list(segments: list[Segment], key_titles: set[str]) -> list[Segment]:
    """The "Key events" list repeats posts' times and titles above the posts themselves: a
    leading entry that is only a title found again below is a key event, not a post."""

    def only_line(s: Segment) -> str | None:
        lines = [ln for b in s.blocks for ln in b if not _DROP_RE.match(ln)]
        return lines[0] if len(lines) == 1 else None

    while segments:
        line = only_line(segments[0])
        later = {b[0] for s in segments[1:] for b in s.blocks[:2] if b}
        later |= {ln for s in segments[1:] for b in s.blocks[:2] for ln in b[:2]}
        if line is None or line not in later:
            break
        key_titles.add(line)
        segments = segments[1:]
    return segments


def _opens_post(line: str) -> bool:
    """The first post's time line: a time of day alone (the header's stamp has the full date,
    and the key-events list puts a title after each time)."""
    return is_time_line(line) and parse_when(line).year is None


def _header(head: list[list[str]], page: Page):
    """Title, people, the header's day, the key events' titles, and the day the blog began
    (its "First published" line, else the date in its URL)."""
    title, bylines, day, key_titles = None, [], None, set()
    start = None
    in_key_events = False
    for line in (ln for block in head for ln in block):
        if _KEY_EVENTS_RE.match(line):
            in_key_events = True
            continue
        if in_key_events:
            key_titles.add(_strip_time(line))
            continue
        when = parse_when(line)
        if when.day is not None and when.year is not None and _FIRST_RE.match(line):
            start, _ = complete_date(when, page, None)
        elif day is None and when.day is not None and when.year is not None:
            day, _ = complete_date(when, page, None)
        elif _NOW_EARLIER_RE.search(line) or common.byline_line(line) is not None:
            bylines = _people(line)
        elif title is None and is_title(line) and not _DROP_RE.match(line):
            title = line
    start = start or page.date_hint
    return title, bylines, day or start, key_titles, start


def _people(line: str) -> list[Byline]:
    """'Andrew Sparrow (now) and Rachel Hall (earlier)' -> two people."""
    return people_in_byline(_NOW_EARLIER_RE.sub("", line))[0]


def _strip_time(line: str) -> str:
    return re.sub(
        r"^(\d+[hmd]\s+ago\s*)?(\d{1,2}[.:]\d{2}\s*(GMT|BST|[A-Z]{2,4})?\s*)?", "", line
    ).strip()


def _post(segment: Segment, page: Page, clock: Clock, key_titles: set[str]) -> Draft:
    draft = common.timed_draft(segment.stamps, page, clock)
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


def _read_records(page: Page, text: str) -> Drafted:
    """Records: a post per "Update:" (or per repeated field when there is no Update line);
    its time from whatever its Update and Date fields say together."""
    drafts: list[Draft] = []
    stamps: list[list[str]] = []  # per draft: the values of its Update and Date fields
    seen: set[str] = set()
    field_name = None
    title = None
    for raw in text.splitlines():
        line = raw.strip()
        record = _RECORD_RE.match(line)
        if record:
            field_name = record["field"].lower().replace(" ", "")
            value = record["value"].strip()
            if field_name == "update" or not drafts or field_name in seen:
                drafts.append(Draft())
                stamps.append([])
                seen = set()
            seen.add(field_name)
            _record_field(drafts[-1], field_name, value, stamps[-1])
        elif not drafts:
            if title is None and line and is_title(line):
                title = line
        elif line and field_name == "content":
            drafts[-1].body.append(line)
    clock = Clock(page.date_hint, page.date_hint is None)
    for draft, values in zip(drafts, stamps, strict=True):
        when = parse_when(" ".join(v for v in values if not v.isdigit()))
        if when.has_time or when.day is not None:
            draft.published, draft.inferred = clock.place(when, page)
            draft.carried = clock.carried
    anchor_oldest(drafts, page.date_hint)
    return Drafted(drafts, title)


def _record_field(draft: Draft, name: str, value: str, stamps: list[str]) -> None:
    if name == "update" and value:
        draft.key = f"update-{value}"
        if value.isdigit():
            draft.number = int(value)
        stamps.append(value)
    elif name == "date" and value:
        stamps.append(value)
    elif name == "title":
        draft.title = value or None
    elif name == "content" and value:
        draft.body.append(value)
    elif name == "keyevent" and value.lower() in ("true", "yes", "1"):
        draft.labels.append("Key event")
    elif name in ("author", "byline") and value:
        draft.bylines.extend(_people(value))
