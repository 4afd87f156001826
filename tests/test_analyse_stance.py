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


@pytest.mark.slow
@pytest.mark.parametrize(
    "text, signal, stance, reason",
    [
        # Who takes part in talks is its own proposition, narrower than whether talks happen.
        ("the Baltic governments will play no role in the talks", "talks_participation", "rejects", "negation"),
        ("the minister saw no role for the Danes in any negotiations", "talks_participation", "rejects", "not observed"),
        # "no talks about X without X": two negations, so X takes part.
        ("there will be no negotiation about Finland without Finland", "talks_participation", "supports", "negation"),
        # A demand about a position takes a side; about an event it says nothing of what is so.
        ("the Baltic governments must be involved in the peace talks", "talks_participation", "supports", "a demand"),
        ("the republic should join the alliance within a few years", "alliance_membership", "supports", "a demand"),
        ("the army must pull back its brigades from the frontier", "withdrawal_announced", "unclear", "a condition or demand"),
        # A condition is no demand, even about a position.
        ("if the fighting stops, talks should begin", "talks_scheduled", "unclear", "a condition or demand"),
        # "without" negates what it governs, not its head.
        ("the talks should start without preconditions", "talks_scheduled", "supports", "a demand"),
        ("the night passed without an attack on the port", "attack", "rejects", "negation"),
        # Someone else's line, as another reports it: the speaker takes no side.
        ("the ministry's narrative has long been that it is threatening nobody", "threat", "unclear", "reports someone else's position"),
        ("our position is that the republic will join the alliance", "alliance_membership", "supports", "predicted"),
        # Talking about something is not negotiating.
        ("it is premature to talk about sending soldiers to the region", "troop_deployment", "rejects", "judged premature or unlikely"),
        # A verb conjoined without its own subject shares the negation of its head.
        ("the envoy has no plans to either visit the capital or meet with the rebels", "talks_scheduled", "rejects", "negation"),
        ("it isn't certain, and there is still time for diplomacy", "talks_scheduled", "supports", "states it"),
        # Troops offered as peacekeepers are not a build-up.
        ("the coalition will send a peacekeeping force once the fighting stops", "troop_deployment", "supports", "predicted"),
    ],
)  # fmt: skip
def test_propositions_positions_and_reported_lines(text, signal, stance, reason):
    r = _read(text)
    assert (r.signal, r.stance, r.reason) == (signal, stance, reason)


def test_a_link_to_talks_is_not_about_the_talks():
    r = _read("the prisoner releases are not linked to the talks in Oslo")
    assert r.signal is None


def _threat(text: str, subject: str | None, obj: str | None, n: int):
    from sitroom.records import Claim

    return Claim(
        str(n), text, "X", "asserted", False, "p", "s", T0, signals=["threat"],
        subject=subject, object=obj,
    )  # fmt: skip


def test_threats_are_split_by_who_threatens_whom():
    import numpy as np

    from sitroom.analyse.grouping import split_by_direction
    from sitroom.analyse.matching import compare, parties

    claims = [
        _threat("Moravia is no threat to Corvia", "Moravia", "no threat to Corvia", 0),
        _threat("Moravia is a threat to Corvia", "Moravia", "a threat to Corvia", 1),
        _threat("the threat from Moravia grows", "the threat from Moravia", "growing", 2),
        _threat("we are no threat", "we", "no threat", 3),
        _threat("the threat from Corvia is real", "the threat from Corvia", "real", 4),
    ]
    assert parties(claims[0]) == ({"moravia"}, {"corvia"})
    assert parties(claims[2]) == ({"moravia"}, set())
    assert parties(claims[3]) == (set(), set())
    vecs = np.eye(5)
    vecs[3] = vecs[0]  # "we are no threat" is closest to "Moravia is no threat to Corvia"
    parts = split_by_direction(claims, list(range(5)), vecs)
    assert sorted(parts) == [[0, 1, 2, 3], [4]]
    assert compare(claims[0], claims[4], 0.9).label == "unrelated"
    assert compare(claims[0], claims[1], 0.9).label != "unrelated"


def _at(value: float, text: str, post: str, context: str) -> FigureAt:
    start = context.index(text)
    f = fig(value, "troops", text, "troops", start)
    return FigureAt(f, T0, post, "s", context)


def test_a_figure_naming_part_of_a_quantity_joins_the_one_it_fits():
    fuller = "About 40,000 Corvian troops are camped near Tarnow, officials say"
    partial = "Some 45,000 troops remain near Tarnow"
    items = [_at(40_000, "About 40,000 Corvian troops", "p1", fuller),
             _at(45_000, "Some 45,000 troops", "p2", partial)]  # fmt: skip
    (series,) = quantity_series(items)
    assert [p[1] for p in series.points] == [40_000, 45_000]
    # A figure that names no place or owner could be any of them: it joins none.
    unnamed = _at(42_000, "some 42,000 troops", "p3", "some 42,000 troops are on the move")
    (series,) = quantity_series([*items, unnamed])
    assert [p[1] for p in series.points] == [40_000, 45_000]
    # Two fuller quantities it could fit: it joins neither.
    other = "About 41,000 Moravian troops are camped near Tarnow"
    items.append(_at(41_000, "About 41,000 Moravian troops", "p4", other))
    items.append(_at(39_000, "About 39,000 Moravian troops", "p5", other.replace("41", "39")))
    listed = [sorted(p[1] for p in s.points) for s in quantity_series(items)]
    assert listed == [[39_000, 41_000]]


def _said(n: int, actor: str, stance: str, predicate: str, obj: str):
    from sitroom.records import Claim

    return Claim(
        str(n), f"{predicate} {obj}", actor, "asserted", stance == "rejects", f"p{n}", "s", T0,
        subject="they", predicate=predicate, object=obj, stance=stance, stance_reason="x",
        confidence=0.9,
    )  # fmt: skip


def test_without_an_event_two_sides_must_state_one_proposition_alike():
    from sitroom.analyse.disputes import find_disputes

    same = [
        _said(0, "Interior ministry", "supports", "open", "the floodgates of the weir"),
        _said(1, "Foreign ministry", "rejects", "open", "the weir's floodgates"),
    ]
    (dispute,) = find_disputes([same])
    assert [s.actor for s in dispute.asserts] == ["Interior ministry"]
    assert [s.actor for s in dispute.denies] == ["Foreign ministry"]
    # The same verb of different things is no dispute: both may be true.
    unlike = [
        _said(2, "Lobby group", "supports", "be", "ripe for abuse"),
        _said(3, "Senator", "rejects", "be", "worth the paper they are written on"),
    ]
    assert find_disputes([unlike]) == []
