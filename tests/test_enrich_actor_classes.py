"""Actors on text the rules were not fitted to (issue 8, build 4): sentences written for
the test."""

from __future__ import annotations

import pytest

from sitroom.enrich.actors import ActorRegistry, DocContext
from sitroom.enrich.pipeline import enrich_document
from sitroom.records import Byline, Document, Post

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def registry() -> ActorRegistry:
    return ActorRegistry.load()


def _mentions(body: str, registry, bylines=()) -> list[tuple[str, str, str]]:
    post = Post(key="p1", position=1, title=None, body=body, published=None, bylines=list(bylines))
    doc = Document(source="t", kind="article", format="t", posts=[post])
    ctx = DocContext(registry)
    found = enrich_document(doc, registry, context=ctx)["p1"].mentions
    return [(m.surface, m.actor, ctx.actor(m.actor).type) for m in found]


def test_places_are_never_people(registry) -> None:
    found = _mentions("Officials in Kherson said the ferry to Luhansk was cancelled.", registry)
    assert not [m for m in found if m[0] in ("Kherson", "Luhansk") and m[2] == "person"]


def test_byline_journalist_is_an_author_not_an_actor(registry) -> None:
    found = _mentions(
        "Greta Holm reports from Bergen. The harbour master, Lars Dahl, closed the port.",
        registry,
        bylines=[Byline("Greta Holm")],
    )
    assert [m[1] for m in found] == ["Lars Dahl"]


def test_surname_merged_with_the_full_name(registry) -> None:
    found = _mentions(
        "The harbour master, Lars Dahl, closed the port. Dahl later reopened it.", registry
    )
    assert [m[:2] for m in found] == [("Lars Dahl", "Lars Dahl"), ("Dahl", "Lars Dahl")]


def test_alias_fitting_two_people_is_never_merged(registry) -> None:
    found = _mentions(
        "Tom Varga and Paul Varga both spoke. Varga said the vote was fair.", registry
    )
    assert ("Varga", "Tom Varga") not in [m[:2] for m in found]
    assert ("Varga", "Paul Varga") not in [m[:2] for m in found]
    assert not [m for m in found if m[0] == "Varga"]
