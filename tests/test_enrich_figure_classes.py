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
