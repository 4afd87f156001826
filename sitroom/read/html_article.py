"""Article pages as HTML, through trafilatura's main-text and metadata extraction."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sitroom.read.errors import ReadError
from sitroom.read.names import people_in_byline
from sitroom.read.page import Page
from sitroom.records import Byline, Document, Post


def read_article_html(page: Page) -> Document:
    """An article page; with no date on it, the source's own date or the reference point,
    marked inferred."""
    import trafilatura  # lazy: a heavy extractor only HTML articles need

    text, source, date_hint = page.text, page.source, page.date_hint
    extracted = trafilatura.bare_extraction(
        text,
        url=source if source.startswith("http") else None,
        with_metadata=True,
        include_comments=False,
        favor_precision=True,
    )
    if extracted is None:
        raise ReadError(f"{source}: found no article text in this HTML page")
    data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    body_text = data.get("text") or ""
    paragraphs = [p.strip() for p in re.split(r"\n+", body_text) if p.strip()]
    title = data.get("title")
    # The extracted text often repeats the headline and the "By ..." line: they are not body.
    while paragraphs and (
        paragraphs[0] == title
        or re.match(r"^By [A-Z][\w.'-]+( [A-Z][\w.'-]+){0,3}$", paragraphs[0])
    ):
        paragraphs.pop(0)
    if not paragraphs:
        raise ReadError(f"{source}: found no article text in this HTML page")
    published = None
    inferred = False
    if data.get("date"):
        try:
            day = date.fromisoformat(str(data["date"])[:10])
            published = datetime(day.year, day.month, day.day, tzinfo=UTC)
        except ValueError:
            published = None
    if published is None:
        day = date_hint or page.reference.date()
        published, inferred = datetime(day.year, day.month, day.day, tzinfo=UTC), True
    # "A; B and C, CNN": three people, and the outlet is not one of them.
    bylines: list[Byline] = []
    byline_outlet = None
    for chunk in (a.strip() for a in (data.get("author") or "").split(";")):
        if chunk:
            people, found = people_in_byline(chunk)
            bylines.extend(people)
            byline_outlet = byline_outlet or found
    return Document(
        source=source,
        kind="article",
        format="article-html",
        title=title,
        published=published,
        time_inferred=inferred,
        bylines=bylines,
        posts=[
            Post(
                key="article",
                position=1,
                title=title,
                body="\n\n".join(paragraphs),
                published=published,
                time_inferred=inferred,
                bylines=bylines,
                kind="article",
                url=data.get("url"),
            )
        ],
        outlet=data.get("sitename") or byline_outlet,
    )
