"""Figures and places from text we write ourselves; the seed gold bar for figures."""

from __future__ import annotations

import pytest

from sitroom.enrich.figures import extract_figures
from sitroom.enrich.nlp import get_nlp
from sitroom.enrich.places import extract_places, lookup

pytestmark = pytest.mark.slow  # every test parses with spaCy


def figures(text: str):
    return [(f.text, f.value, f.unit, f.approx) for f in extract_figures(get_nlp()(text), "body")]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "The army moved about 6,500 troops to the border.",
            [("about 6,500 troops", 6500, "troops", True)],
        ),
        ("The fund is worth £1.2bn this year.", [("£1.2bn", 1.2e9, "gbp", False)]),
        ("It pledged $40 billion in aid.", [("$40 billion", 4e10, "usd", False)]),
        ("Turnout was 56.5% in the north.", [("56.5%", 56.5, "percent", False)]),
        ("Unemployment rose to 7 per cent.", [("7 per cent", 7, "percent", False)]),
        ("Police closed two bridges overnight.", [("two bridges", 2, "bridges", False)]),
        (
            "Tens of thousands of people fled the city.",
            [("Tens of thousands of people", 10000, "people", True)],
        ),
        ("A 45-year-old man was arrested.", [("45-year-old", 45, "years", False)]),
        ("They held a 90-minute call.", [("90-minute", 90, "minutes", False)]),
        ("The convoy is 64km long.", [("64km", 64, "km", False)]),
    ],
)
def test_figure_shapes(text, expected):
    found = figures(text)
    assert [(t, v, u) for t, v, u, _ in found] == [(t, v, u) for t, v, u, _ in expected]
    assert [a for *_, a in found] == [a for *_, a in expected]


@pytest.mark.parametrize(
    "text",
    [
        "The talks began on 14 February 2022 at 09:30.",
        "Russia annexed Crimea in 2014.",
        "He was the 41st president.",
        "The Nord Stream 2 pipeline was halted.",
        "It was the first meeting since March.",
    ],
)
def test_dates_times_years_ordinals_and_names_are_not_figures(text):
    assert figures(text) == []


def test_figure_spans_are_verbatim_and_name_what_is_counted():
    text = "Officials say some 30,000 soldiers near the northern border are on alert."
    sdoc = get_nlp()(text)
    [fig] = extract_figures(sdoc, "body")
    assert text[fig.start : fig.end] == fig.text
    assert fig.counted.startswith("soldiers near the northern border")


def test_places_are_geocoded_offline():
    text = "Convoys left Kiev for Odesa while the UK and France met in Brussels."
    places = extract_places(get_nlp()(text), "body")
    names = {p.canonical for p in places}
    assert {"Odesa", "United Kingdom", "France", "Brussels"} <= names
    for p in places:
        assert text[p.start : p.end] == p.name
        assert p.lat is not None and p.lon is not None
    assert lookup("Kiev").canonical == "Kyiv"  # spelling variants from the gazetteer
    assert lookup("the US").canonical == "United States"


def test_nationality_adjective_is_not_a_place():
    places = extract_places(get_nlp()("Ukrainian and French officials met."), "body")
    assert places == []


def test_seed_figures_bar(gold_dir, seeds_dir):
    from sitroom.eval import EvalContext
    from sitroom.eval.figures import score

    result = score(EvalContext(gold_dir=gold_dir, corpus_dir=seeds_dir))
    assert result["p"] >= 0.90 and result["r"] >= 0.90, result
