"""Propositions, stance, lemma cues, what a claim counts as, quantity series: on sentences
written for these tests (none is taken from a page)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sitroom.analyse.catalogue import cue_matches, lemma, signals_in
from sitroom.analyse.quantities import FigureAt, quantity_key, quantity_series
from sitroom.records import Figure

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text, signals",
    [
        ("the brigade left the border on Sunday", ["withdrawal_announced"]),
        ("two battalions withdrew overnight", ["withdrawal_announced"]),
        ("he issued a stark warning about the weather", []),  # "war" is not in "warning"
        ("hackers knocked out the website of the port", ["cyber_attack"]),
        ("a cyber-attack hit the railway", ["cyber_attack"]),  # not also a plain attack
        ("the regiment is pulling back to its barracks", ["withdrawal_announced"]),
    ],
)
def test_cues_match_on_lemmas_not_substrings(text, signals):
    assert [s.id for s in signals_in(text)] == signals


def test_lemma_maps_irregular_forms():
    assert lemma("left") == lemma("leave") and lemma("withdrew") == lemma("withdrawal")
    match = cue_matches("the troops left the frontier yesterday")[0]
    assert "the troops left the frontier yesterday"[match.start : match.end] == "left the frontier"


def _read(text: str, cue: str | None = "said"):
    from sitroom.analyse.claims import claim_modality
    from sitroom.analyse.stance import read_claim
    from sitroom.enrich.nlp import get_nlp

    modality, _ = claim_modality(text, cue)
    return read_claim(text, modality, cue, get_nlp()(text))


@pytest.mark.slow
@pytest.mark.parametrize(
    "text, cue, signal, stance, kind",
    [
        (
            "the regiment is pulling back to its barracks",
            "said",
            "withdrawal_announced",
            "supports",
            "event",
        ),
        (
            "we have seen no sign that the battalions have withdrawn",
            "said",
            "withdrawal_announced",
            "rejects",
            "denial",
        ),
        (
            "it is not too late for a negotiated settlement",
            "said",
            "talks_scheduled",
            "supports",
            "event",
        ),
        (
            "the chances of diplomacy are far from exhausted",
            "said",
            "talks_scheduled",
            "supports",
            "event",
        ),
        (
            "its units were massing near the frontier",
            "denied",
            "troop_buildup",
            "rejects",
            "denial",
        ),
        (
            "the ministry denied that its units were massing near the frontier",
            None,
            "troop_buildup",
            "rejects",
            "denial",
        ),
        ("the alliance is not a threat to anyone", "said", "threat", "rejects", "denial"),
        (
            "the rebels could attack the airport within days",
            "warned",
            "attack",
            "supports",
            "warning",
        ),
        ("the militia was behind the attack on the airport", "said", "attack", "supports", "event"),
        (
            "the neighbours blamed the militia for the attack",
            None,
            "attack",
            "supports",
            "accusation",
        ),
        (
            "if the convoy crosses the river there will be a high price",
            "said",
            "threat",
            "unclear",
            "none",
        ),
        (
            "membership of the alliance is off the table for the republic",
            "said",
            "alliance_membership",
            "rejects",
            "denial",
        ),
        (
            "It isn't easy, but there is still room for diplomacy",
            "said",
            "talks_scheduled",
            "supports",
            "event",
        ),
    ],
)
def test_stance_from_the_words_that_govern_the_event(text, cue, signal, stance, kind):
    reading = _read(text, cue)
    assert (reading.signal, reading.stance, reading.kind) == (signal, stance, kind), reading


@pytest.mark.slow
def test_a_question_that_doubts_rejects_weakly_and_paraphrases_agree():
    doubt = _read("How do we know that the general really wants a ceasefire")
    assert doubt.stance == "rejects" and doubt.confidence < 0.7
    one = _read("there is still a window for diplomacy")
    other = _read("it is not too late for a diplomatic solution")
    assert one.stance == other.stance == "supports"
    assert other.confidence < one.confidence  # the double negative is read, less surely


def fig(value: float, unit: str, text: str, counted: str | None, start: int = 0) -> Figure:
    return Figure(
        text=text,
        value=value,
        unit=unit,
        field="body",
        start=start,
        end=start + len(text),
        counted=counted,
    )


def test_quantity_is_unit_counted_and_place():
    near = "Some 120,000 troops are massed near the river border"
    other = "another 20,000 troops are exercising in Moravia"
    a = fig(120_000, "troops", "Some 120,000 troops", "troops", 0)
    b = fig(20_000, "troops", "another 20,000 troops", "troops", 0)
    assert quantity_key(a, near) != quantity_key(b, other)
    assert quantity_key(fig(64e9, "gbp", "£64bn", None), "") != quantity_key(
        fig(4e9, "gbp", "£4bn", None), ""
    )


def test_one_post_with_two_values_of_a_quantity_makes_no_series():
    # Two posts each state how many drones were launched and how many were downed.
    items = [
        FigureAt(fig(120, "drones", "120 drones", "drones"), T0, "p1", "s", "120 drones"),
        FigureAt(fig(70, "drones", "70 drones", "drones"), T0, "p1", "s", "70 drones"),
        FigureAt(fig(90, "drones", "90 drones", "drones"), T0, "p2", "s", "90 drones"),
        FigureAt(fig(60, "drones", "60 drones", "drones"), T0, "p2", "s", "60 drones"),
    ]
    assert quantity_series(items) == []
    items = [
        FigureAt(fig(1_200, "people", "at least 1,200 people", "people"), T0, "p1", "s", "x"),
        FigureAt(fig(1_900, "people", "more than 1,900 people", "people"), T0, "p2", "s", "x"),
    ]
    (series,) = quantity_series(items)
    assert [p[2] for p in series.points] == ["at least 1,200 people", "more than 1,900 people"]
