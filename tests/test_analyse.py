"""Claims, disputes, indicators: on text we write, and the withdrawal dispute on the seeds."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from sitroom.analyse import analyse_documents
from sitroom.analyse.catalogue import load_catalogue, signals_in
from sitroom.analyse.claims import claim_modality
from sitroom.analyse.indicators import indicator_index
from sitroom.analyse.matching import compare
from sitroom.cli import app
from sitroom.records import MODALITIES, Claim, Event

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text, cue, modality, negated",
    [
        ("troops are returning to their bases", "said", "asserted", False),
        ("we have not seen any withdrawal", "said", "observed", True),
        ("the report is false", "denied", "denied", True),
        ("an attack could come within days", "warned", "predicted", False),
        ("if they cross the border, sanctions will follow", "said", "hypothetical", False),
        ("is the ceasefire holding?", "asked", "questioned", False),
        ("the exercises have ended", "announced", "announced", False),
    ],
)
def test_modality(text, cue, modality, negated):
    assert claim_modality(text, cue) == (modality, negated)


def claim(
    cid: str,
    text: str,
    actor: str,
    negated: bool = False,
    modality: str = "asserted",
    figures=(),
    signals=None,
) -> Claim:
    return Claim(
        id=cid,
        text=text,
        actor=actor,
        modality=modality,
        negated=negated,
        post_id=cid,
        source="s",
        time=T0,
        signals=signals if signals is not None else [s.id for s in signals_in(text)],
        figures=list(figures),
    )


def test_negation_and_figure_contradictions_with_reasons():
    a = claim("a", "troops are withdrawing from the border", "Ministry")
    b = claim(
        "b", "there is no withdrawal of troops", "Alliance", negated=True, modality="observed"
    )
    link = compare(a, b, 0.8)
    assert (link.label, link.reason) == ("contradicts", "observed versus announced")
    c = claim(
        "c", "about 130,000 troops are near the border", "Officials", figures=[(130000, "troops")]
    )
    d = claim(
        "d", "some 100,000 troops are near the border", "Analysts", figures=[(100000, "troops")]
    )
    assert compare(c, d, 0.9).reason == "different figure for the same quantity"
    e = claim("e", "the new bridge opens in spring", "Mayor")
    assert compare(a, e, 0.05).label == "unrelated"


def test_indicator_weights_come_from_the_catalogue_and_points_keep_their_events():
    weights = {i.id: i.weight for i in load_catalogue()}
    events = [
        Event(
            "troop_buildup",
            "MOBILIZE",
            weights["troop_buildup"],
            None,
            T0,
            None,
            "observed",
            "more troops",
            "p1",
            "s",
        ),
        Event(
            "troop_buildup",
            "MOBILIZE",
            weights["troop_buildup"],
            None,
            T0,
            None,
            "observed",
            "and more",
            "p1",
            "s",
        ),
        Event(
            "talks_scheduled",
            "CONSULT",
            weights["talks_scheduled"],
            None,
            T0 + timedelta(days=1),
            None,
            "asserted",
            "talks",
            "p2",
            "s",
        ),
    ]
    points = indicator_index(events)
    assert [p.bucket for p in points] == ["2024-03-01", "2024-03-02"]
    assert points[0].index == weights["troop_buildup"]  # once per post and signal
    assert points[0].events == [0, 1] and points[1].index == weights["talks_scheduled"] < 0


@pytest.fixture(scope="module")
def seed_analysis(shared_dir):
    from sitroom.eval import EvalContext

    ctx = EvalContext(shared_dir / "gold", shared_dir / "corpus" / "seeds")
    docs = sorted(p.name for p in (shared_dir / "corpus" / "seeds").glob("*.txt"))
    return analyse_documents([(ctx.document(d), ctx.enrichment(d)) for d in docs])


def test_seed_withdrawal_dispute_with_both_sides_cited(seed_analysis):
    russia = {"russia", "moscow", "russian ministry of defence", "igor konashenkov"}
    deniers = {"jens stoltenberg", "nato", "volodymyr zelensky", "dmytro kuleba", "liz truss"}
    found = [
        d
        for d in seed_analysis.disputes
        if d.signal == "withdrawal_announced"
        and {s.actor.lower() for s in d.asserts} & russia
        and {s.actor.lower() for s in d.denies} & deniers
    ]
    assert found, [
        (d.topic, [s.actor for s in d.asserts], [s.actor for s in d.denies])
        for d in seed_analysis.disputes
    ]
    for side in found[0].asserts + found[0].denies:
        assert side.posts and side.claims


@pytest.mark.slow
def test_claimset_contradiction_bar():
    from sitroom.eval.claims import score

    result = score()
    assert result["pairs"] >= 73
    # measured: contradiction P 0.931 R 0.794 F1 0.857, stance accuracy 0.7679 (73 pairs, 22
    # of them hard pairs written for the stance work); pinned 0.01 below
    assert result["contradiction"]["f1"] >= 0.847, result
    assert result["stance_accuracy"] >= 0.757, result


@pytest.mark.slow
def test_cli_json(tmp_path):
    from sitroom.data import sample_path

    db = str(tmp_path / "a.db")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(sample_path()), "--db", db]).exit_code == 0
    disputes = json.loads(runner.invoke(app, ["disputes", "--json", "--db", db]).stdout)
    # The sample page has one dispute: Norvania says Kestria opened the dam, Kestria denies it.
    [dispute] = disputes
    assert dispute["topic"] == "Kestrian forces opened the floodgates of the Halden dam"
    asserting = {s["actor"] for s in dispute["asserts"]}
    denying = {s["actor"] for s in dispute["denies"]}
    assert "Norvania's interior ministry" in asserting and "Kestria's foreign ministry" in denying
    assert not asserting & denying
    points = json.loads(runner.invoke(app, ["indicators", "--json", "--db", db]).stdout)
    # every post of the sample is dated 13 or 14 June 2025 (BST): the evacuation of the
    # villages ("have begun evacuating", 21:40 UTC on the 13th, found on its lemma) and the
    # armour moved and the accusation on the 14th
    assert [p["bucket"] for p in points] == ["2025-06-13", "2025-06-14"]
    assert all("contributions" in p for p in points)
    drill = json.loads(
        runner.invoke(
            app, ["indicators", "--bucket", points[0]["bucket"], "--json", "--db", db]
        ).stdout
    )
    assert drill["events"] and all(e["post_id"] for e in drill["events"])
    claims = json.loads(runner.invoke(app, ["claims", "--json", "--db", db]).stdout)
    assert claims and {c["modality"] for c in claims} <= set(MODALITIES)
    weights = json.loads(runner.invoke(app, ["indicators", "--weights", "--json"]).stdout)
    assert {w["id"] for w in weights} >= {"troop_buildup", "withdrawal_announced", "cyber_attack"}


@pytest.mark.slow
def test_analysis_is_saved_in_the_store_and_reused_until_the_record_changes(tmp_path):
    from sitroom.analyse import analyse_store, analysis_key
    from sitroom.data import sample_path
    from sitroom.enrich.sync import enrich_store
    from sitroom.read import read_path
    from sitroom.store import open_store

    with open_store(tmp_path / "s.db") as store:
        store.ingest_document(read_path(sample_path()))
        enrich_store(store)
        first = analyse_store(store)
        assert store.saved_analysis(analysis_key(store)) is not None
        again = analyse_store(store)
        assert [d.topic for d in again.disputes] == [d.topic for d in first.disputes]
        assert [(p.bucket, p.index) for p in again.indicators] == [
            (p.bucket, p.index) for p in first.indicators
        ]
        assert {c.id: (c.subject, c.predicate) for c in again.claims} == {
            c.id: (c.subject, c.predicate) for c in first.claims
        }
        rows = store.conn.execute("SELECT count(*) FROM claims").fetchone()[0]
        assert rows == len({c.id for c in first.claims})
        assert store.saved_analysis("another key") is None


@pytest.mark.slow
def test_claims_carry_a_proposition_in_the_positive_and_a_stance():
    from sitroom.analyse.claims import read_claims

    c = claim(
        "p", "the army has not withdrawn its tanks from the border", "Officials", negated=True
    )
    read_claims([c])
    assert (c.subject, c.predicate, c.object) == ("the army", "withdraw", "its tanks")
    assert (c.stance, c.stance_reason, c.kind) == ("rejects", "negation", "denial")


def test_the_topic_of_what_was_said_is_no_claim():
    # "argue over whether the threat is real" names what was talked about; nobody asserts
    # that the threat is real, so it is no claim and joins no dispute
    from sitroom.analyse.claims import extract_claims
    from sitroom.records import Document, Post, PostEnrichment, Quote

    body = (
        "Residents argue over whether the flood threat is real. "
        "The mayor said the flood defences would hold all winter."
    )
    topic, said = "whether the flood threat is real", "the flood defences would hold all winter"
    quotes = [
        Quote(text, "indirect", who, "body", body.index(text), body.index(text) + len(text))
        for text, who in ((topic, "Residents"), (said, "Mayor Ann Vahl"))
    ]
    doc = Document("t", "article", "article-text", posts=[Post("p1", 1, None, body, T0)])
    claims = extract_claims(doc, {"p1": PostEnrichment("p1", quotes=quotes)})
    assert [(c.text, c.actor) for c in claims] == [(said, "Mayor Ann Vahl")]
