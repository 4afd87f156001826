"""Figures on text the rules were not fitted to (issue 8, build 3): sentences written for
the test."""

from __future__ import annotations

import pytest

from sitroom.enrich.figures import extract_figures

pytestmark = pytest.mark.slow


def _figures(text: str, nlp) -> list[tuple]:
    return [
        (f.text, f.value, f.unit, f.value_max, f.bound, f.approx)
        for f in extract_figures(nlp(text), "body")
    ]


def test_durations_and_ranges(nlp) -> None:
    assert _figures("The crossing took four to five hours.", nlp) == [
        ("four to five hours", 4.0, "hours", 5.0, None, False)
    ]
    assert _figures("Rescuers worked for 8-9 hours.", nlp)[0][1:4] == (8.0, "hours", 9.0)
    assert _figures("A 12-minute film opened the show.", nlp)[0][1:3] == (12.0, "minutes")


def test_half_a_million_and_scale_words(nlp) -> None:
    assert _figures("Half a million visitors came to the fair.", nlp)[0][:3] == (
        "Half a million visitors",
        500000.0,
        "visitors",
    )
    assert _figures("The port cost €75m to rebuild.", nlp)[0][1:3] == (75_000_000.0, "eur")


def test_bounds_are_not_approximations(nlp) -> None:
    found = _figures("At least 12 boats sank and more than 300 sailors were rescued.", nlp)
    assert [(f[1], f[4], f[5]) for f in found] == [(12.0, "lower", False), (300.0, "lower", False)]
    assert _figures("Prices may rise by up to 8% next year.", nlp)[0][1:5] == (
        8.0,
        "percent",
        None,
        "upper",
    )


def test_post_ages_and_people_met_in_passing_are_not_figures(nlp) -> None:
    assert _figures("Updated 25 min ago", nlp) == []
    assert _figures("The two leaders shook hands in Oslo.", nlp) == []
    assert _figures("We met at 9 pm.", nlp) == []


def test_halves_and_fractions_of_scales(nlp) -> None:
    assert _figures("The crossing took three and a half hours.", nlp)[0][:3] == (
        "three and a half hours",
        3.5,
        "hours",
    )
    assert _figures("The mine has been shut for two-and-a-half years.", nlp)[0][1:3] == (
        2.5,
        "years",
    )
    assert _figures("Roughly a quarter of a million homes lost power.", nlp)[0][1:3] == (
        250_000.0,
        "homes",
    )
    assert _figures("More than three-quarters of members voted.", nlp)[0][1:5] == (
        0.75,
        "fraction",
        None,
        "lower",
    )
    assert _figures("Hundreds of thousands of fans lined the route.", nlp)[0][1:3] == (
        100_000.0,
        "fans",
    )


def test_scale_letters_are_kept(nlp) -> None:
    assert _figures("The airport will cost £ 480m.", nlp) == [
        ("£ 480m", 480_000_000.0, "gbp", None, None, False)
    ]
    assert _figures("Clinics gave out 1.5m jabs last month.", nlp)[0][1:3] == (
        1_500_000.0,
        "jabs",
    )
    # a metre stays a metre when no plural noun follows
    assert _figures("The sea wall is 12m high.", nlp)[0][1:3] == (12.0, "m")


def test_bounds_take_their_words_and_ceilings(nlp) -> None:
    assert _figures("Up to 2,000 police may be deployed.", nlp)[0][0] == "Up to 2,000 police"
    assert _figures("As many as 90 fishermen are missing.", nlp)[0][4:] == ("upper", False)
    assert _figures("The road was cleared in less than an hour.", nlp) == [
        ("less than an hour", 1.0, "hours", None, "upper", False)
    ]
    # "rather than" and "at" before a number are neither hedge nor bound
    assert (
        _figures("Contacts now go back two days rather than five days.", nlp)[1][0] == "five days"
    )
    assert _figures("Guards were posted at three major ports.", nlp)[0][0] == "three major ports"
    assert _figures("Crews set up the two tents.", nlp) == [
        ("two tents", 2.0, "tents", None, None, False)
    ]


def test_unit_is_the_figures_own_not_a_neighbours(nlp) -> None:
    # an age set off by commas, "aged", "the age of": years, never the sentence's last unit
    found = _figures("Police held 30 people. Maya Ortiz, 19, a nurse, was freed.", nlp)
    assert [(f[1], f[2]) for f in found] == [(30.0, "people"), (19.0, "years")]
    assert _figures("A man aged 64 was injured.", nlp)[0][1:3] == (64.0, "years")
    # the head noun of a partitive, a magnitude
    assert _figures("Some 400 of the 900 miners went on strike.", nlp)[0][1:3] == (400.0, "miners")
    assert _figures("The tremor had a magnitude of 6.1.", nlp)[0][1:3] == (6.1, "magnitude")
    # a duration written as a modifier does not lend its unit to a later bare count
    found = _figures("After a four-day hearing, 240 were convicted.", nlp)
    assert found[1][1:3] == (240.0, "count")
    # the subject of its verb is a count of what the sentence counts
    found = _figures("Rescuers found 60 survivors, and 15 were taken to hospital.", nlp)
    assert [(f[1], f[2]) for f in found] == [(60.0, "survivors"), (15.0, "survivors")]


def test_scores_labels_clock_times_and_seasons_are_not_figures(nlp) -> None:
    assert _figures("United lost 4-1 at home on Saturday.", nlp) == []
    assert _figures("Officers used a Section 35 dispersal order.", nlp) == []
    assert _figures("The march begins just before 2pm.", nlp) == []
    assert _figures("Its budget for 2019-20 was cut.", nlp) == []
    assert _figures("Thousands of workers are on zero-hours contracts.", nlp)[0][2] == "workers"
    assert len(_figures("Thousands of workers are on zero-hours contracts.", nlp)) == 1


def test_scene_props_and_parties_counted_in_passing(nlp) -> None:
    assert _figures("Staff placed the two podiums side by side.", nlp) == []
    assert _figures("The two nations signed a trade pact.", nlp) == []
    assert _figures("The two men left together.", nlp) == []
    # a count of things the story tracks stays
    assert _figures("Hackers hit the two banks again.", nlp)[0][1:3] == (2.0, "banks")


def test_lists_of_ages_and_people_named_before(nlp) -> None:
    found = _figures("Two women, aged 52 and 47, were charged.", nlp)
    assert [(f[1], f[2]) for f in found if f[1] > 2] == [(52.0, "years"), (47.0, "years")]
    assert _figures("Police held four people on Monday; all four were later released.", nlp) == [
        ("four people", 4.0, "people", None, None, False)
    ]


def test_quake_magnitudes_and_hyphenated_counted_nouns(nlp) -> None:
    assert _figures("A 6.4 quake shook the island.", nlp)[0][1:3] == (6.4, "magnitude")
    assert _figures("Hundreds of counter-protesters gathered.", nlp)[0][:3] == (
        "Hundreds of counter-protesters",
        100.0,
        "counter-protesters",
    )
    assert _figures("Police met 40 counter-demonstrators.", nlp)[0][2] == "counter-demonstrators"


def test_ages_in_words_and_men_counted_as_men(nlp) -> None:
    found = _figures("The victims, Ava Lund, six, and Noor Hale, nine, were named.", nlp)
    assert [(f[1], f[2]) for f in found] == [(6.0, "years"), (9.0, "years")]
    assert _figures("Police arrested 14 men overnight.", nlp)[0][1:3] == (14.0, "men")
    assert _figures("Police kept the two groups apart.", nlp) == []


def test_ranges_read_whole_and_money_lends_no_unit(nlp) -> None:
    assert _figures("About 40 to 50 inmates were moved.", nlp) == [
        ("About 40 to 50 inmates", 40.0, "inmates", 50.0, None, True)
    ]
    found = _figures("Profit was flat at £ 12m and the count of visits stayed at 480,000.", nlp)
    assert [(f[1], f[2]) for f in found] == [(12_000_000.0, "gbp"), (480_000.0, "count")]


def test_tallies_shares_areas_temperatures_and_prefixed_dollars(nlp) -> None:
    assert _figures("The death toll climbed to 3,400 overnight.", nlp)[0][:2] == ("3,400", 3400.0)
    assert _figures("One in four homes has no heating.", nlp)[0][:3] == (
        "One in four",
        0.25,
        "fraction",
    )
    assert _figures("Two out of three teachers backed the strike.", nlp)[0][1:3] == (
        0.6667,
        "fraction",
    )
    assert _figures("The blaze covered 120 sq km of scrub.", nlp)[0][1:3] == (120.0, "sq km")
    assert _figures("Inflation rose 0.4 percentage points.", nlp)[0][2] == "percentage points"
    assert _figures("The mercury reached 41C in Lisbon.", nlp)[0][1:3] == (41.0, "celsius")
    assert _figures("The bank lent A$300m to the council.", nlp)[0][1:3] == (300_000_000.0, "aud")
    assert _figures("Investors put US$7bn into the fund.", nlp)[0][1:3] == (7e9, "usd")


def test_ages_after_who_was_and_aged_under(nlp) -> None:
    found = _figures("Police fined 30 drivers. The cyclist, who was 52, was unhurt.", nlp)
    assert found[1][1:3] == (52.0, "years")
    assert _figures("The club admits children aged under 12.", nlp)[0][1:3] == (12.0, "years")
