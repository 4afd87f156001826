"""The BBC's older "Live Reporting" layout, as text or HTML.

    Live Reporting
    Edited by Sarah Smith
    All times stated are UK
    Get involved            <- banner text before the coverage

      1. Harbour reopens after storm
        Mara Quist
        BBC News, Portville
        The harbour reopened on Sunday morning.

Posts are numbered, with no time of their own: they take the page's date (a date above the
posts, the source's own date, else the reference point), marked inferred. Bylines, pictures
and body are read as on the current BBC live pages.
"""

from __future__ import annotations

import re

from sitroom.read.live_text import (
    PAGE_FURNITURE_RE,
    POST_NUMBER_RE,
    Block,
    _split_content,
    read_live_text,
)
from sitroom.read.outlets.common import (
    Clock,
    Draft,
    best_when,
    build_document,
    is_title,
    paragraphs,
    timed_segments,
)
from sitroom.read.page import Page
from sitroom.read.times import full_dates
from sitroom.records import Byline, Document

_MARKS_RE = re.compile(r"^\s*(live reporting|all times stated are uk)\s*$", re.IGNORECASE | re.M)
_EDITED_BY_RE = re.compile(r"^\s*edited by\s+(?P<names>.+?)\s*$", re.IGNORECASE | re.M)


def recognise(page: Page) -> bool:
    text = page.visible
    if "published at" in text[:200_000]:
        return False
    head = "\n".join(text.splitlines()[:80])
    if _MARKS_RE.search(head):
        return True
    # The manifest says BBC and the page numbers its posts "1.", "2.", ... with no times.
    numbers = [int(m["n"]) for m in POST_NUMBER_RE.finditer(text)]
    return page.outlet_is("BBC") and numbers[:3] == [1, 2, 3]


def read(page: Page) -> Document:
    text = page.visible
    if not POST_NUMBER_RE.search(text):
        timed = _timed(page, text)
        if timed is not None:
            _editors(timed, text)
            return timed
    doc = read_live_text(
        text,
        source=page.source,
        date_hint=page.date_hint,
        now=page.now,
        retrieved=page.retrieved,
        untimed=True,
    )
    _editors(doc, text)
    doc.outlet = "BBC"
    return doc


def _editors(doc: Document, text: str) -> None:
    edited = _EDITED_BY_RE.search("\n".join(text.splitlines()[:80]))
    if edited:
        names = re.split(r",\s*|\s+and\s+", edited["names"])
        doc.bylines = [Byline(name=n.strip(), role="Editor") for n in names if n.strip()]


def _timed(page: Page, text: str) -> Document | None:
    """The same layout where each post opens with its time of day ("17:36") on a line of
    its own, as the older pages' visible text has it: the day comes from the page (a date
    above the posts, the source's own date, else the reference point), marked inferred."""
    head, segments = timed_segments(paragraphs(text))
    if len(segments) < 2:
        return None
    head_text = "\n".join(ln for block in head for ln in block)
    dated = [d for d in full_dates(head_text) if d <= page.reference.date()]
    day = page.date_hint or (max(dated) if dated else None)
    clock = Clock(day, True)
    drafts = []
    for n, segment in enumerate(segments):
        draft = Draft()
        absolute, _ = best_when(segment.stamps)
        if absolute is not None:
            draft.published, draft.inferred = clock.place(absolute, page)
        lines = [ln for block in segment.blocks for ln in block]
        if lines and is_title(lines[0]):
            draft.title = lines[0]
            segment.blocks[0] = segment.blocks[0][1:]
        blocks = [Block(b, blank_after=True) for b in segment.blocks if b]
        parts = _split_content(blocks, last_post=n == len(segments) - 1)
        draft.bylines, draft.body = parts.bylines, parts.body
        drafts.append(draft)
    title = next(
        (ln for ln in head_text.splitlines() if is_title(ln) and not PAGE_FURNITURE_RE.match(ln)),
        None,
    )
    return build_document(page, drafts, title=title, outlet="BBC")
