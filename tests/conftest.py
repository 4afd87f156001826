"""Shared fixtures: the shared corpus, spaCy, and pages built from sentences written here.

Speed: a test is `slow` (left out by `pytest -m "not slow"`) when it loads spaCy or the
embedding model, reads a whole corpus, or takes over 2 s. Tests that take the `nlp` fixture
or a seed-corpus fixture are marked slow here; others carry `@pytest.mark.slow`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sitroom.records import Byline, Document, Post

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SITROOM_SHARED", REPO.parent / "shared"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Fixtures whose tests are slow: they load spaCy or run the pipeline over a corpus.
SLOW_FIXTURES = {"nlp", "seed_analysis", "seed_eval", "seed_result"}

T0 = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)
SOURCE = "https://example.org/live/flood"

# A PostgreSQL database the tests may use (tools/test_postgres.sh starts one); without it the
# PostgreSQL runs of the store and CLI tests are skipped.
TEST_PG = os.environ.get("SITROOM_TEST_PG")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "corpus" / "seeds").is_dir():
        pytest.skip(f"shared corpus not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "seeds"


@pytest.fixture(scope="session")
def gold_dir(shared_dir: Path) -> Path:
    return shared_dir / "gold"


@pytest.fixture()
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture()
def pg_url() -> Iterator[str]:
    """The URL of an empty PostgreSQL schema of its own for one test (dropped after it);
    skips the test when $SITROOM_TEST_PG is not set."""
    if not TEST_PG:
        pytest.skip("no PostgreSQL: set SITROOM_TEST_PG (see tools/test_postgres.sh)")
    import psycopg  # lazy: only the PostgreSQL runs need it

    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(TEST_PG, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in TEST_PG else "?"
    try:
        yield f"{TEST_PG}{separator}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(TEST_PG, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """What `--db` takes for a new, empty record, once per backend: a SQLite file, or a
    PostgreSQL schema of its own (that run skipped where SITROOM_TEST_PG is not set)."""
    if request.param == "sqlite":
        return str(tmp_path / "record.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="session")
def nlp():
    """The spaCy pipeline (loading it takes seconds: tests that use it are slow)."""
    from sitroom.enrich.nlp import get_nlp  # lazy: only slow tests load spaCy

    return get_nlp()


@pytest.fixture(scope="session")
def registry():
    """The shipped actor registry (actors.yaml and its roles)."""
    from sitroom.enrich.actors import ActorRegistry  # lazy: imports spaCy (seconds)

    return ActorRegistry.load()


def build_page(
    n_posts: int,
    source: str = SOURCE,
    *,
    bodies: Sequence[str] = (),
    title: str = "Post number {i} about the river levels",
    start: datetime = T0,
    minutes: int = 10,
    outlet: str | None = "Example News",
    extra: Sequence[Post] = (),
) -> Document:
    """A live page of `n_posts` posts, newest first as live pages list them: post i is
    published `minutes * i` after `start`, every third is labelled Breaking, odd ones carry a
    byline. Bodies cycle through `bodies` (default: a sentence naming i)."""
    posts = [
        Post(
            key=f"{(start + timedelta(minutes=minutes * i)).isoformat()}|post-{i}",
            position=n_posts - i,
            title=title.format(i=i),
            body=bodies[i % len(bodies)]
            if bodies
            else f"The water rose by {i} centimetres overnight in Ostrava.",
            published=start + timedelta(minutes=minutes * i),
            labels=["Breaking"] if i % 3 == 0 else [],
            bylines=[Byline("Ada Lovelace", "Weather correspondent")] if i % 2 else [],
        )
        for i in range(n_posts)
    ]
    posts.sort(key=lambda p: p.position)
    return Document(
        source=source,
        kind="live",
        format="live-text",
        posts=[*extra, *posts],
        outlet=outlet,
    )


def build_live_text(posts: Sequence[tuple[str, str, str]], day: str = "3 June 2024") -> str:
    """A live page in BBC-style plain text, newest first, with a one-bullet Summary.
    posts: (HH:MM, title, body) oldest first."""
    lines = ["Summary", "", "  • The river is rising in the valley", ""]
    for n, (hhmm, title, body) in enumerate(reversed(posts), start=1):
        number = len(posts) - n + 1
        lines += [
            f"  {number}. {title}published at {hhmm} British Summer Time {day}",
            "",
            f"    {body}",
            "",
        ]
    return "\n".join(lines)


@pytest.fixture()
def make_page() -> Callable[..., Document]:
    """`build_page`: a live Document of n invented posts."""
    return build_page


@pytest.fixture()
def live_text() -> Callable[..., str]:
    """`build_live_text`: a plain-text live page from (time, title, body) tuples."""
    return build_live_text
