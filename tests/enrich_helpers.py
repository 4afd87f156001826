"""Helpers the enrichment tests share (not a test module)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sitroom.enrich.pipeline import enrich_document
from sitroom.records import Document, Post, Quote

WHEN = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)


def one_post(
    body: str,
    title: str | None = None,
    kind: str = "article",
    published: datetime = WHEN,
    **post: Any,
) -> Document:
    """A document of one post, key "p1"."""
    found = Post(key="p1", position=1, title=title, body=body, published=published, **post)
    return Document(source="test", kind=kind, format="test", posts=[found])


def quotes_in(
    body: str,
    registry: Any,
    nlp: Any,
    title: str | None = None,
    kind: str = "article",
    published: datetime = WHEN,
    **post: Any,
) -> list[Quote]:
    """The quotes found in one post (`body`, and `title` if given; `post`: its other fields),
    each checked to be a verbatim slice of its field."""
    doc = one_post(body, title=title, kind=kind, published=published, **post)
    found = doc.posts[0]
    quotes = enrich_document(doc, registry, nlp)["p1"].quotes
    for q in quotes:
        text = found.body if q.field == "body" else found.title
        assert text is not None and text[q.start : q.end] == q.text
    return quotes
