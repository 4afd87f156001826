"""What a reader is given: the page's text and what is known about it besides the text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from typing import TypedDict
from urllib.parse import urlsplit

from sitroom.read.html_text import visible_text
from sitroom.read.times import date_from_source

_HTML_RE = re.compile(r"<(!doctype html|html|head|body|article|div|p)\b", re.IGNORECASE)
_FEED_RE = re.compile(r"<(rss|feed|rdf:RDF)\b", re.IGNORECASE)


class PageFacts(TypedDict, total=False):
    """What a text reader may be told of a page besides its text and source (as in Page)."""

    date_hint: date | None
    now: datetime | None
    retrieved: datetime | None


def text_copy(text: str, source: str, facts: PageFacts) -> Page:
    """A page copied as text, as the text readers take it: line ends, byte-order mark and
    no-break spaces made plain, and, unless given, the date its source names as its hint."""
    unknown = set(facts) - set(PageFacts.__optional_keys__)
    if unknown:
        raise TypeError(f"unknown page facts: {', '.join(sorted(unknown))}")
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").replace("\u00a0", " ")
    return Page(
        text=text,
        source=source,
        date_hint=facts.get("date_hint") or date_from_source(source),
        now=facts.get("now"),
        retrieved=facts.get("retrieved"),
    )


@dataclass
class Page:
    text: str
    source: str  # the canonical source: path, URL or "stdin"
    content_type: str | None = None
    date_hint: date | None = None  # --date, or the date the URL or file name carries
    now: datetime | None = None  # the ingest time
    retrieved: datetime | None = None  # when the copy was taken (manifest, fetch, --retrieved)
    url: str | None = None  # the page's own URL when known
    outlet: str | None = None  # the publisher, when the manifest or --outlet names it
    warnings: list[str] = field(default_factory=list)

    @property
    def reference(self) -> datetime:
        """The reference point for times the page leaves out: retrieval, else ingest time."""
        return (self.retrieved or self.now or datetime.now(UTC)).astimezone(UTC)

    @cached_property
    def host(self) -> str:
        for candidate in (self.url, self.source):
            if candidate and candidate.startswith(("http://", "https://")):
                return (urlsplit(candidate).hostname or "").lower()
        return ""

    @cached_property
    def is_feed(self) -> bool:
        ctype = (self.content_type or "").lower()
        head = self.text[:2000].lstrip()
        return ("xml" in ctype and ("rss" in ctype or "atom" in ctype)) or bool(
            _FEED_RE.search(head)
        )

    @cached_property
    def is_html(self) -> bool:
        ctype = (self.content_type or "").lower()
        return "html" in ctype or bool(_HTML_RE.search(self.text[:5000].lstrip()))

    @cached_property
    def visible(self) -> str:
        """The text a person sees: the page itself, or the visible text of its HTML."""
        if not self.is_html:
            return self.text
        return visible_text(self.text)

    @cached_property
    def path(self) -> str:
        for candidate in (self.url, self.source):
            if candidate and candidate.startswith(("http://", "https://")):
                return urlsplit(candidate).path.lower()
        return ""

    def live_url(self, *domains: str) -> bool:
        """The page's URL is on one of `domains` and names a live page ("/live/",
        "/live-news/", "/liveblog/")."""
        return self.host_is(*domains) and bool(
            re.search(r"/live(-news|blog)?/|/liveblog", self.path)
        )

    def outlet_is(self, *names: str) -> bool:
        return (self.outlet or "").strip().lower() in {n.lower() for n in names}

    def host_is(self, *domains: str) -> bool:
        return any(self.host == d or self.host.endswith("." + d) for d in domains)
