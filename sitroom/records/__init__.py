"""Typed records passed between the stages: read -> store -> enrich -> analyse -> brief -> serve,
all in this one package (the analysis in records/analysis.py, the briefing in
records/briefing.py; every record is importable from `sitroom.records`).

Readers produce `Document`s made of `Post`s; enrichment produces `Mention`s, `Quote`s,
`Figure`s and `Place`s that point back into a post's text by character span. Every stage
takes and returns these records, never raw SQL rows or parser objects.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Literal

from sitroom.records.analysis import (  # noqa: F401 -- the records package exports them
    MODALITIES,
    Analysis,
    Claim,
    ClaimLink,
    Dispute,
    Event,
    IndicatorPoint,
    QuantitySeries,
    Side,
)
from sitroom.records.briefing import (  # noqa: F401 -- the records package exports them
    ActorQuotes,
    Briefing,
    BriefLine,
    FigureChange,
)

PostKind = Literal["post", "summary", "article", "entry"]
DocumentKind = Literal["live", "article", "feed"]


@dataclass
class Byline:
    name: str
    role: str | None = None


@dataclass
class Media:
    """An image, video or embed attached to a post; its caption is not body text."""

    kind: str  # "image" | "video" | "embed"
    caption: str | None = None
    source: str | None = None  # credit line, e.g. "Getty Images"
    alt: str | None = None


@dataclass
class Post:
    """One post of a live page (or the single body of an article, or one feed entry).

    `key` is the post's identity on its page: the page's own id when the markup has one,
    otherwise derived from what does not change when a post is edited (its first published
    time and title). It never depends on the post's position on the page.
    `body` holds the post's own text: paragraphs separated by a blank line, list items as
    lines starting with "• ". Enrichment spans index into `title` or `body`.
    """

    key: str
    position: int  # 1-based order as the page lists it (newest first on live pages); 0 = summary
    title: str | None
    body: str
    published: datetime | None = None  # timezone-aware, UTC
    time_inferred: bool = False  # the year or the date was not on the page
    labels: list[str] = field(default_factory=list)
    bylines: list[Byline] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    kind: PostKind = "post"
    url: str | None = None
    dateline: str | None = None  # a wire story's "BRUSSELS (AP)", kept apart from the body


@dataclass
class Provenance:
    """What whoever saved or fetched a page knows besides its text (a corpus folder's
    MANIFEST.jsonl, `ingest --url/--retrieved/--outlet`, or the fetch itself)."""

    url: str | None = None  # where the page was taken from
    outlet: str | None = None  # the publisher's name
    retrieved: datetime | None = None  # when the copy was taken (aware UTC): the reference point


@dataclass
class Document:
    """What one read of one page or file gives."""

    source: str  # URL or file path as given by the user
    kind: DocumentKind
    format: str  # reader that produced it, e.g. "live-text", "article-text", "bbc-html", "rss"
    title: str | None = None
    published: datetime | None = None
    bylines: list[Byline] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)  # a live page's Summary bullets
    posts: list[Post] = field(default_factory=list)  # in page order
    warnings: list[str] = field(default_factory=list)
    outlet: str | None = None  # "BBC", "The Guardian", a feed's title, ...
    fetched_at: datetime | None = None
    url: str | None = None  # the page's own URL (the source when fetched; else manifest/markup)
    retrieved: datetime | None = None  # reference point for times the page leaves out
    time_inferred: bool = False  # `published` (an article's date) was not on the page

    def posts_by_time(self) -> list[Post]:
        """Posts in true time order (oldest first); untimed posts keep their page order."""
        timed = [p for p in self.posts if p.published is not None]
        if len(timed) != len(self.posts):
            return list(reversed(self.posts)) if self.kind == "live" else list(self.posts)
        return sorted(self.posts, key=lambda p: (p.published, -p.position))


def make_post_id(source: str, key: str) -> str:
    """A post's stable id: the same page and post identity always give the same id."""
    return hashlib.sha1(f"{source}\x00{key}".encode()).hexdigest()[:16]


# --- enrichment ---------------------------------------------------------------------------

TextField = Literal["title", "body"]


@dataclass
class Role:
    """A dated office: who held `title` between `start` and `end` (either may be open)."""

    title: str  # "Nato secretary general"
    holder: str  # canonical actor name
    start: date | None = None
    end: date | None = None
    aliases: list[str] = field(default_factory=list)  # "Nato chief", "the secretary general"


@dataclass
class Actor:
    name: str  # canonical
    type: Literal["person", "org"]
    aliases: list[str] = field(default_factory=list)
    description: str | None = None
    learned: bool = False  # learned from text rather than from the registry


@dataclass
class Mention:
    surface: str
    actor: str  # canonical name
    field: TextField
    start: int
    end: int
    via: str = "name"  # name | alias | surname | role | pronoun | byline


@dataclass
class Quote:
    text: str  # verbatim: always equals post.<field>[start:end]
    kind: Literal["direct", "indirect"]
    speaker: str | None  # canonical actor name; None = abstained
    field: TextField
    start: int
    end: int
    speaker_surface: str | None = None
    cue: str | None = None  # the speech verb or "according to"
    confidence: float = 1.0


@dataclass
class Figure:
    text: str  # verbatim span
    value: float
    unit: str  # troops, drones, people, gbp, usd, percent, km, ...
    field: TextField
    start: int
    end: int
    approx: bool = False
    counted: str | None = None  # "troops near Ukraine's border"
    value_max: float | None = None  # upper end of a range
    bound: str | None = None  # "lower" (at least 19, more than 700) or "upper" (up to 5%)


@dataclass
class Place:
    name: str  # as written
    canonical: str  # gazetteer name
    kind: Literal["country", "city", "region"]
    field: TextField
    start: int
    end: int
    country_code: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass
class PostEnrichment:
    post_key: str
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)


@dataclass
class EnrichStats:
    """What one run of enrichment found, in the versions it saved."""

    documents: int = 0
    versions: int = 0
    mentions: int = 0
    quotes: int = 0
    figures: int = 0
    places: int = 0

    def add(self, by_version: dict[int, PostEnrichment]) -> None:
        """Count one document's saved versions and what was found in them."""
        self.documents += 1
        self.versions += len(by_version)
        for result in by_version.values():
            self.mentions += len(result.mentions)
            self.quotes += len(result.quotes)
            self.figures += len(result.figures)
            self.places += len(result.places)

    def __str__(self) -> str:
        return (
            f"{self.versions} post versions in {self.documents} documents: {self.quotes} quotes, "
            f"{self.mentions} mentions, {self.figures} figures, {self.places} places"
        )


# --- the store's view -----------------------------------------------------------------------


@dataclass
class PostVersion:
    """One version of a post as it was seen; a post's versions are numbered from 1."""

    id: int
    post_id: str
    version: int
    title: str | None
    body: str
    published: datetime | None
    time_inferred: bool
    labels: list[str]
    bylines: list[Byline]
    media: list[Media]
    seen_at: datetime  # when the ingest that found this version ran
    content_hash: str


@dataclass(kw_only=True)
class StoredPost(Post):
    """A post with its latest version, as the store returns it: the `Post` fields plus where
    it lives in the record."""

    id: str
    document_id: int
    source: str  # the document's source (URL or path)
    outlet: str | None
    version: int  # number of the latest version
    version_id: int  # PostVersion.id of the latest version
    first_seen: datetime
    last_seen: datetime
    vanished_at: datetime | None = None  # set when the post is gone from its page

    def as_post(self) -> Post:
        """The post itself, without the store's bookkeeping."""
        return Post(**{f.name: getattr(self, f.name) for f in fields(Post)})


@dataclass
class IngestResult:
    source: str
    document_id: int | None
    new: int = 0
    updated: int = 0  # posts that got a new version
    unchanged: int = 0
    vanished: int = 0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Ingest:
    """One run of the ingest pipeline (`sitroom ingest`, `demo`, or a `follow` poll)."""

    id: int
    started_at: datetime
    argv: str | None  # what asked for it
    status: str  # running | completed | failed (the run itself stopped) | interrupted
    finished_at: datetime | None = None
    ok: int = 0  # inputs read and stored
    failed: int = 0  # inputs that could not be read
    errors: list[str] = field(default_factory=list)  # "source: message" per failed input
    pid: int | None = None  # the process that ran it, on `host`
    host: str | None = None


@dataclass
class DocumentSummary:
    """A document of the record with its post counts, as `Store.documents()` lists it."""

    id: int
    source: str
    outlet: str | None
    kind: DocumentKind
    format: str
    title: str | None
    published: datetime | None
    first_seen: datetime
    last_seen: datetime
    posts: int  # posts other than the summary
    vanished: int  # posts gone from the page
    first_post: datetime | None
    last_post: datetime | None
    url: str | None = None  # where the page was taken from, when known
    retrieved: datetime | None = None  # when the copy was taken, when known
    time_inferred: bool = False  # the page's date was not on it and was inferred


# --- the store's view of enrichment ---------------------------------------------------------


@dataclass
class Cited:
    """Where an enrichment item was found: enough to cite it."""

    post_id: str
    version_id: int
    published: datetime | None
    source: str
    outlet: str | None
    title: str | None
    time_inferred: bool = False  # the year or date of `published` was not on the page


@dataclass(kw_only=True)
class StoredQuote(Cited):
    """A quote with where it was found."""

    quote: Quote


@dataclass(kw_only=True)
class StoredFigure(Cited):
    """A figure with where it was found."""

    figure: Figure


@dataclass
class StoredPlace:
    canonical: str
    kind: str
    country_code: str | None
    lat: float | None
    lon: float | None
    count: int
    names: list[str] = field(default_factory=list)
    posts: list[str] = field(default_factory=list)


@dataclass
class ActorSummary:
    name: str
    type: str
    learned: bool
    mentions: int
    quotes: int
    first_seen: datetime | None
    last_seen: datetime | None


@dataclass
class ActorDetail:
    name: str
    type: str
    learned: bool
    description: str | None
    aliases: list[str]
    roles: list[Role]
    surfaces: list[str]  # every form the posts used for this actor
    mentions: list[tuple[datetime | None, str, str]]  # (time, post id, surface), oldest first
    # Of all its mentions and quotes, also when `mentions` holds one page of them.
    mention_count: int = 0
    quote_count: int = 0
    post_count: int = 0  # posts that mention it


@dataclass
class Story:
    """One developing story of the record: a group of documents (store/stories.py)."""

    id: int
    name: str | None  # the user's name for it, if they gave one
    label: str  # automatic label: its most telling words
    documents: list[int] = field(default_factory=list)  # document ids
    sources: list[str] = field(default_factory=list)
    posts: int = 0
    first_post: datetime | None = None
    last_post: datetime | None = None
    filed: int = 0  # documents filed under it by a user

    @property
    def title(self) -> str:
        return self.name or self.label or f"story {self.id}"
