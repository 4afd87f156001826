"""The learned speaker ranker (sitroom/enrich/ranker.py): its model file, which quotes it
may touch, and the features it sees, on sentences written for these tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from enrich_helpers import one_post

from sitroom.enrich import ranker
from sitroom.enrich.pipeline import enrich_document
from sitroom.records import Quote

WHEN = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)


def _q(speaker: str | None, surface: str | None, cue: str | None, conf: float) -> Quote:
    return Quote("words", "direct", speaker, "body", 0, 5, surface, cue, conf)


def test_shipped_model_covers_every_feature() -> None:
    data = json.loads(ranker.MODEL_FILE.read_text(encoding="utf-8"))
    assert set(data["weights"]) == set(ranker.FEATURES)
    assert data["seed"] == 0 and 0 < data["threshold"] < 1
    model = ranker.load_model()
    assert model is not None and model.threshold == data["threshold"]


def test_probability_is_a_logistic_of_the_weighted_sum() -> None:
    model = ranker.Model({"is_rule": 2.0, "rank": -1.0}, 0.5, 0.5)
    assert model.probability({"is_rule": 1.0, "rank": 0.5}) == pytest.approx(
        1 / (1 + 2.718281828459045**-2.0)
    )
    assert model.probability({"is_rule": 0.0, "rank": 0.0}) == pytest.approx(0.6224593)


def test_only_quotes_the_rules_left_without_a_speaker_are_ranked() -> None:
    assert ranker.eligible(_q(None, None, None, 0.0))
    assert ranker.eligible(_q(None, "it", "condemned", 0.0))
    assert not ranker.eligible(_q("Ann Ruiz", "she", "said", 0.7))  # a pronoun resolved
    assert not ranker.eligible(_q("Ann Ruiz", None, None, 0.6))  # continues the last speaker
    assert not ranker.eligible(_q("Ann Ruiz", "Ruiz", "said", 1.0))  # a speech verb's subject


def test_window_is_two_paragraphs_back_to_the_quotes_paragraph_end() -> None:
    text = "One.\n\nTwo.\n\nThree.\n\n“Four,” she said. Five.\n\nSix."
    q = Quote("Four,", "direct", None, "body", text.index("Four"), text.index("Four") + 5)
    lo, para, hi = ranker._window(text, q)
    assert text[lo:para] == "Two.\n\nThree.\n\n"
    assert text[para:hi] == "“Four,” she said. Five."


@pytest.mark.slow
def test_candidates_and_their_features(registry, nlp) -> None:
    body = (
        "Mayor Ann Ruiz met Governor Tom Reyes at the bridge on Monday.\n\n"
        "“We will build it by spring.”"
    )
    doc = one_post(body, published=WHEN)
    with ranker.collecting() as rows:
        enrich_document(doc, registry, nlp)
    assert [r["text"] for r in rows] == ["We will build it by spring."]
    cands = rows[0]["candidates"]
    assert set(cands) == {"Ann Ruiz", "Tom Reyes"}
    ruiz, reyes = cands["Ann Ruiz"], cands["Tom Reyes"]
    assert ruiz["subject"] == 1.0 and reyes["subject"] == 0.0
    assert reyes["nearest_before"] == 1.0 and ruiz["nearest_before"] == 0.0
    assert ruiz["previous_paragraph"] == 1.0 and ruiz["same_paragraph"] == 0.0
    assert reyes["rank"] == 1.0 and ruiz["rank"] == 0.5
    assert ruiz["person"] == 1.0 and ruiz["org"] == 0.0


@pytest.mark.slow
def test_a_quote_the_rules_cannot_attribute_goes_to_the_speaker_just_named(registry, nlp) -> None:
    body = (
        "Governor Tom Reyes spoke to flood victims at the bridge on Monday.\n\n"
        "“We will build it again by spring.”"
    )
    doc = one_post(body, published=WHEN)
    with ranker.disabled():
        rules = enrich_document(doc, registry, nlp)["p1"].quotes
    assert [(q.text, q.speaker) for q in rules] == [("We will build it again by spring.", None)]
    ranked = enrich_document(doc, registry, nlp)["p1"].quotes
    assert [(q.text, q.speaker) for q in ranked] == [
        ("We will build it again by spring.", "Tom Reyes")
    ]
    assert 0 < ranked[0].confidence <= 0.7


def test_a_candidate_the_pronoun_rules_out_is_never_chosen() -> None:
    model = ranker.Model({"rank": 5.0}, 0.0, 0.1)
    q = _q(None, "they", "said", 0.0)
    one_person = {f: 0.0 for f in ranker.FEATURES} | {"rank": 1.0, "number_clash": 1.0}
    group = {f: 0.0 for f in ranker.FEATURES} | {"rank": 0.5}
    ranker._choose(q, {"Thomas Weller": one_person, "Harbour Council": group}, model)
    assert q.speaker == "Harbour Council"
    q = _q(None, "they", "said", 0.0)
    ranker._choose(q, {"Thomas Weller": one_person}, model)
    assert q.speaker is None


def test_a_name_the_rules_could_not_place_limits_the_ranker() -> None:
    """ "Berg said" in a story with two Bergs: the rules abstain, and the ranker may only
    choose someone named Berg, however close another person stands."""
    from sitroom.enrich.ranker import CLASHES, Model, _choose

    model = Model({"is_prev_speaker": 4.0, "rank": 1.0}, bias=0.0, threshold=0.5)

    def feats(prev: float, rank: float) -> dict[str, float]:
        return {"is_prev_speaker": prev, "rank": rank, **{c: 0.0 for c in CLASHES}}

    cands = {
        "Lena Ortiz": feats(1.0, 1.0),
        "Tom Berg": feats(0.0, 0.5),
        "Ana Berg": feats(0.0, 0.4),
    }

    def chosen(surface: str) -> str | None:
        q = Quote("the vote is lost", "direct", None, "body", 0, 16, speaker_surface=surface)
        _choose(q, dict(cands), model)
        return q.speaker

    assert chosen("Berg") == "Tom Berg"
    assert chosen("Officials") == "Lena Ortiz"  # a common noun, not a name
    assert chosen("he") == "Lena Ortiz"
    assert chosen("Exit") is None  # a name no candidate bears: the ranker abstains


def test_a_quote_whose_sentence_names_its_speaker_does_not_go_on_with_the_ranked_one() -> None:
    text = "“We will win,” he said. Reyes called her a “con artist” for months."
    ranked = Quote("We will win,", "direct", "Ana Ruiz", "body", 1, 13, "he", "said", 0.4)
    start = text.index("con artist")
    own = Quote("con artist", "direct", "Tom Reyes", "body", start, start + 10, "Reyes", None, 0.6)
    assert not ranker._goes_on(ranked, own, text)
    # no words of its own: it goes on with the quote before
    bare = Quote("con artist", "direct", "Tom Reyes", "body", start, start + 10, None, None, 0.6)
    assert ranker._goes_on(ranked, bare, text)
