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


def _story(texts: list[str], nlp) -> list[tuple[str, str, str | None]]:
    context: set[str] = set()
    found = []
    for text in texts:
        found += _places(text, nlp, context)
    return found


def test_a_state_sharing_a_countrys_name_follows_the_story(nlp) -> None:
    assert ("Georgia", "region", "US") in _places("The governor of Georgia spoke in Atlanta.", nlp)
    assert ("Georgia", "country", "GE") in _places("Georgia's parliament met in Tbilisi.", nlp)


def test_a_seat_of_power_sets_the_story_and_a_capital_beats_a_state(nlp) -> None:
    # no Australian town for a US president's weekend: unplaced rather than wrong
    found = _places("The White House said the president would stay in Palm Beach.", nlp)
    assert not [p for p in found if p[0] == "Palm Beach" and p[2] != "US"]
    assert _places("The senator flew back to Washington to vote.", nlp) == [
        ("Washington", "city", "US")
    ]


def test_same_named_cities_follow_the_story(nlp) -> None:
    assert _story(["Heavy snow fell across Scotland.", "Roads around Perth were shut."], nlp) == [
        ("Scotland", "region", "GB"),
        ("Perth", "city", "GB"),
    ]
    assert ("Perth", "city", "AU") in _story(
        ["Bushfires raged across Western Australia.", "Smoke reached Perth by noon."], nlp
    )
    assert ("Tripoli", "city", "LY") in _story(
        ["Militias clashed in Libya.", "Gunfire was heard in Tripoli overnight."], nlp
    )
    assert ("Tripoli", "city", "LB") in _story(
        ["Clashes broke out in Lebanon.", "Gunfire was heard in Tripoli overnight."], nlp
    )
    assert ("Victoria", "region", "AU") in _places(
        "Voters in Victoria went to the polls, with Melbourne leaning Labor.", nlp
    )


def test_a_person_named_like_a_city_stays_a_person(nlp) -> None:
    found = _places("Abraham Lincoln was quoted. Lincoln said the union must hold.", nlp)
    assert not [p for p in found if p[0] == "Lincoln"]


def test_a_world_story_keeps_the_country_and_namesakes_of_one_size_stay_unplaced(nlp) -> None:
    found = _places("Leaders from the US, France and Georgia met at the Nato summit.", nlp)
    assert ("Georgia", "country", "GE") in found
    # Valencia in Spain and in Venezuela are cities of one size: without the story's
    # country, neither
    assert not [
        p
        for p in _places("Firefighters in Valencia worked through the night.", nlp)
        if p[0] == "Valencia"
    ]
    assert ("Valencia", "city", "ES") in _story(
        ["Floods swept through Spain.", "Firefighters in Valencia worked through the night."], nlp
    )
    # a story set in England: its own Washington, not the US capital
    found = _story(["Riots spread across England.", "Shops in Washington were boarded up."], nlp)
    assert ("Washington", "city", "GB") in found
    # a month is no town, even after "in"
    assert _places("The law changed in March.", nlp) == []


def test_a_small_namesake_abroad_stays_unplaced_in_a_story_set_elsewhere(nlp) -> None:
    found = _story(["The president flew to Florida.", "He played golf in Palm Beach."], nlp)
    assert found[0] == ("Florida", "region", "US")
    assert not [p for p in found if p[0] == "Palm Beach" and p[2] != "US"]


def test_a_street_named_after_a_place_is_not_that_place(nlp) -> None:
    found = _places("Crowds gathered on Victoria Street in Bristol.", nlp)
    assert not [p for p in found if p[0] == "Victoria"]
