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

from sitroom.read.live_text import read_live_text
from sitroom.read.page import Page
from sitroom.records import Byline, Document

_MARKS_RE = re.compile(r"^\s*(live reporting|all times stated are uk)\s*$", re.IGNORECASE | re.M)
_EDITED_BY_RE = re.compile(r"^\s*edited by\s+(?P<names>.+?)\s*$", re.IGNORECASE | re.M)


def recognise(page: Page) -> bool:
    head = "\n".join(page.visible.splitlines()[:80])
    return bool(_MARKS_RE.search(head)) and "published at" not in page.visible[:200_000]


def read(page: Page) -> Document:
    text = page.visible
    doc = read_live_text(
        text,
        source=page.source,
        date_hint=page.date_hint,
        now=page.now,
        retrieved=page.retrieved,
        untimed=True,
    )
    edited = _EDITED_BY_RE.search("\n".join(text.splitlines()[:80]))
    if edited:
        names = re.split(r",\s*|\s+and\s+", edited["names"])
        doc.bylines = [Byline(name=n.strip(), role="Editor") for n in names if n.strip()]
    doc.outlet = "BBC"
    return doc
