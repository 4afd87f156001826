"""A post as a reader assembles it, before it becomes a record's Post."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sitroom.records import Byline, Media, Post


@dataclass
class Draft:
    """A post as a reader assembles it: its parts as they are found, its text a list of
    paragraphs."""

    title: str | None = None
    published: datetime | None = None
    inferred: bool = False
    labels: list[str] = field(default_factory=list)
    bylines: list[Byline] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    body: list[str] = field(default_factory=list)  # paragraphs
    dateline: str | None = None
    key: str | None = None
    number: int | None = None  # the page's own number for the post, when it gives one
    carried: bool = False  # its time had no date: the day was carried from the posts above

    def to_post(self, key: str, position: int) -> Post:
        """The record's Post of this draft, its paragraphs one text."""
        return Post(
            key=key,
            position=position,
            title=self.title,
            body="\n\n".join(self.body),
            published=self.published,
            time_inferred=self.inferred,
            labels=self.labels,
            bylines=self.bylines,
            media=self.media,
            dateline=self.dateline,
        )
