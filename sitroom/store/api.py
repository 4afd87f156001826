"""The store interface: every operation the stages, the CLI and the web app use.

Callers take `store: Store` and never reach past it (no SQL, no connection, no probing with
`hasattr`). `SqliteStore` implements it; another backend implements the same methods and
passes the same contract tests (tests/test_store_contract.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol, Self, TypedDict, Unpack

from sitroom.records import (
    Actor,
    ActorDetail,
    ActorSummary,
    Analysis,
    Claim,
    Document,
    DocumentSummary,
    Ingest,
    IngestResult,
    PostEnrichment,
    PostVersion,
    Role,
    StoredFigure,
    StoredPlace,
    StoredPost,
    StoredQuote,
    Story,
)
from sitroom.store.analysis import RunState


class Listing(TypedDict, total=False):
    """What every listing of what was found in posts can be narrowed to: posts published from
    `since` and before `until`, of sources or outlets whose name contains `source`; at most
    `limit` rows."""

    since: datetime | None
    until: datetime | None
    source: str | None
    limit: int | None


class QuoteFilters(Listing, total=False):
    speaker: str | None  # a canonical name or any alias (or part of a name)
    about: str | None  # words the quote contains
    kind: str | None  # direct | indirect


class FigureFilters(Listing, total=False):
    unit: str | None  # troops, percent, usd, ... in any case


def check_filters(filters: Listing, allowed: type) -> None:
    """A filter the listing does not know is a caller's typo: an error, not ignored."""
    unknown = set(filters) - set(allowed.__optional_keys__)
    if unknown:
        raise TypeError(f"unknown filters: {', '.join(sorted(unknown))}")


@dataclass
class PostQuery:
    """Which posts `Store.posts` returns, and in what order."""

    since: datetime | None = None
    until: datetime | None = None
    label: str | None = None
    author: str | None = None
    source: str | None = None
    text: str | None = None
    kinds: tuple[str, ...] = ("post", "article", "entry")
    include_vanished: bool = True
    limit: int | None = None
    order: Literal["time", "-time"] = "time"
    offset: int = 0  # skip this many (paging: the web API's cursor)


class QueryTooSlow(Exception):
    """A bounded query (search) that ran past its time budget; every backend raises this."""


class Store(Protocol):
    """The situation record. Open one with `sitroom.store.open_store(path)`."""

    path: str

    def close(self) -> None: ...

    def readers(self, on: bool = True) -> None:
        """Serve reads from many threads at once (the web server); a backend that is always
        safe to share may do nothing."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    # --- ingests and the read stage's writes ---------------------------------------------

    def begin_ingest(self, argv: str) -> int:
        """Start an `ingests` row; returns its id."""
        ...

    def finish_ingest(
        self, ingest_id: int, ok: int, failed: int, errors: list[str], status: str = "completed"
    ) -> None:
        """Close an `ingests` row; status: completed, failed (the run stopped) or interrupted."""

    def ingests(self, limit: int = 20) -> list[Ingest]:
        """The latest runs, newest first."""
        ...

    def ingest_document(self, doc: Document, *, ingest_id: int | None = None) -> IngestResult:
        """Store one read of one page in one transaction: new posts, new versions of changed
        posts, vanished posts marked."""
        ...

    def source_http_state(self, source: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) kept for a source, for conditional GET."""
        ...

    def set_source_http_state(
        self, source: str, etag: str | None, last_modified: str | None
    ) -> None: ...

    # --- reading posts and documents ------------------------------------------------------

    def posts(self, query: PostQuery | None = None) -> list[StoredPost]: ...

    def count_posts(self, query: PostQuery | None = None) -> int:
        """How many posts `posts(query)` would return without its limit and offset."""
        ...

    def post(self, post_id: str) -> StoredPost | None:
        """A post by id or by an unambiguous prefix of its id."""
        ...

    def post_versions(self, post_id: str) -> list[PostVersion]: ...

    def search(self, text: str, limit: int = 20) -> list[tuple[StoredPost, str, float]]:
        """(post, snippet with [matched] words, rank: lower is better), best first."""
        ...

    def documents(self) -> list[DocumentSummary]: ...

    def document_record(self, document_id: int) -> Document:
        """The document as of its latest read; KeyError when there is none."""
        ...

    def document_post_ids(self, document_id: int) -> dict[str, str]:
        """post key -> post id."""
        ...

    def latest_change_id(self) -> int:
        """The record's change counter: grows with every new post version."""
        ...

    def record_state(self) -> tuple[str, str]:
        """(posts, enrichment): what the record's post versions and vanished posts, and its
        enrichment and actors, are now. Each changes whenever what it describes does (the
        enrichment part also when a post is edited or vanishes, not when a new post comes);
        cheap to ask often (the web server keys its caches on it)."""
        ...

    def post_ids_since(self, change_id: int) -> list[str]: ...

    def exportable_tables(self) -> tuple[str, ...]: ...

    def export_rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of one exportable table; ValueError for any other name."""
        ...

    # --- enrichment -------------------------------------------------------------------------

    def versions_needing_enrichment(self, enricher_version: str) -> dict[int, list[int]]:
        """document id -> latest post version ids not yet enriched by `enricher_version`."""
        ...

    def document_version_ids(self, document_id: int) -> dict[str, int]:
        """post key -> id of the post's latest version."""
        ...

    def save_document_enrichment(
        self,
        document_id: int,
        by_version: dict[int, PostEnrichment],
        enricher_version: str,
        *,
        actors: list[Actor] = ...,
        roles: list[Role] = ...,
    ) -> None: ...

    def enrichment_for_version(self, version_id: int, post_key: str) -> PostEnrichment:
        """What was found in one post version."""
        ...

    def enrichment_for_document(self, document_id: int) -> dict[str, PostEnrichment]:
        """post key -> what was found in the post's latest version."""
        ...

    def quotes(self, **filters: Unpack[QuoteFilters]) -> list[StoredQuote]:
        """Who said what, newest first."""
        ...

    def figures(self, **filters: Unpack[FigureFilters]) -> list[StoredFigure]:
        """Figures stated in posts, oldest first."""
        ...

    def places(self, since: datetime | None = None) -> list[StoredPlace]: ...

    def actors_summary(self, since: datetime | None = None) -> list[ActorSummary]: ...

    def actor_name(self, name: str) -> str | None:
        """The canonical name of the actor a name or alias names; None when none."""
        ...

    def actor_detail(
        self, name: str, *, limit: int | None = None, offset: int = 0
    ) -> ActorDetail | None:
        """One actor with its grouped counts and its mentions (all, or `limit` from `offset`)."""
        ...

    def actor_quotes(self, name: str, limit: int, offset: int = 0) -> list[StoredQuote]:
        """What the actor (canonical name) said, newest first, a page at a time."""
        ...

    # --- stories (store/stories.py) -------------------------------------------------------

    def stories(self) -> list[Story]:
        """Every story with its documents, most recent first."""
        ...

    def story(self, key: str | int) -> Story | None:
        """A story by id, name or label."""
        ...

    def story_assignments(self) -> dict[int, tuple[int, bool]]: ...

    def story_filings(self) -> dict[str, int]: ...

    def file_source(self, source: str, story_name: str) -> int:
        """File a source under a named story (created if new)."""
        ...

    def file_document(self, document_id: int, story_id: int) -> None: ...

    def name_story(self, story_id: int, name: str) -> None: ...

    def merge_stories(self, story_ids: Sequence[int], name: str | None = None) -> int: ...

    def save_story_groups(self, groups: Sequence[tuple[Sequence[int], str]]) -> None: ...

    # --- analysis ---------------------------------------------------------------------------

    def analysis_state(self) -> str:
        """A digest-able description of everything the analysis reads (posts, versions,
        enrichment): it changes whenever any of them does."""
        ...

    def save_analysis(self, analysis: Analysis, key: str) -> None: ...

    def saved_analysis(self, key: str | None) -> Analysis | None:
        """The saved analysis if it was computed at analysis key `key`, else None."""
        ...

    def claim_readings(self, keys: list[str]) -> dict[str, tuple[dict, Any]]:
        """Kept claim readings and embeddings (numpy float32 vectors) by key."""
        ...

    def save_claim_readings(self, readings: dict[str, tuple[dict, Any]]) -> None: ...

    # The incremental analysis runner's state (sitroom/analyse/incremental.py).

    def shared_url(self) -> str | None:
        """A URL other processes (a cluster's workers) may open to write to this record at
        the same time as this one (PostgreSQL), or None where one process writes (SQLite)."""
        ...

    def analysed_posts(self, documents: list[int] | None = None) -> list[Any]:
        """Current posts with what their claims are made from (id, document_id, position,
        published, stamp), by document and position; only those of `documents` if given."""
        ...

    def analysis_marks(self) -> tuple[int, str, int]:
        """(newest post version id, newest enrichment time, posts vanished)."""
        ...

    def documents_changed_since(self, version: int, enriched_at: str) -> list[int]:
        """Documents with a newer post version or a post version enriched since."""
        ...

    def analysis_run_key(self) -> str | None: ...

    def saved_claims(self) -> list[Claim]: ...

    def kept_state(self, prefix: str) -> dict[str, Any]: ...

    def save_analysis_state(self, analysis: Analysis, key: str, run: RunState) -> None: ...
