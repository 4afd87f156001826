"""Places resolved in the story's context (issue 8, build 5): ambiguous names in sentences
written for the test."""

from __future__ import annotations

import pytest

from sitroom.enrich.nlp import get_nlp
from sitroom.enrich.places import extract_places, resolve

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def _places(text: str, nlp, context: set[str] | None = None) -> list[tuple[str, str, str | None]]:
    return [(p.name, p.kind, p.country_code) for p in extract_places(nlp(text), "body", context)]


def test_a_us_state_is_the_state_not_a_foreign_town(nlp) -> None:
    assert ("Florida", "region", "US") in _places("The governor toured Florida on Monday.", nlp)


def test_an_ambiguous_small_town_follows_the_story_or_stays_unplaced(nlp) -> None:
    found = _places("She left Ohio for a week in Palm Beach.", nlp)
    assert ("Ohio", "region", "US") in found
    assert not [p for p in found if p[0] == "Palm Beach" and p[2] != "US"]


def test_context_carries_across_the_texts_of_a_story(nlp) -> None:
    context: set[str] = set()
    _places("Protests spread across France.", nlp, context)
    assert context == {"FR"}
    assert ("Paris", "city", "FR") in _places("Crowds gathered in Paris.", nlp, context)


def test_names_the_gazetteer_does_not_know_stay_unplaced() -> None:
    assert resolve("Mirograd", {"UA"}) is None
    assert resolve("Sorrel River") is None
