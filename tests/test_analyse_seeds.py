"""The analysis on the seed pages and the bundled demo, pinned: disputes with the right sides,
indicators with the right sign, series of one quantity, and no stale answer."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sitroom.analyse import analyse_documents
from sitroom.cli import app
from sitroom.data import sample_path

pytestmark = pytest.mark.slow

PULL_BACK = ("pulling back", "returning to their bases", "withdrawing some troops")


@pytest.fixture(scope="module")
def seeds(shared_dir):
    from sitroom.eval import EvalContext

    ctx = EvalContext(shared_dir / "gold", shared_dir / "corpus" / "seeds")
    docs = sorted(p.name for p in (shared_dir / "corpus" / "seeds").glob("*.txt"))
    return analyse_documents([(ctx.document(d), ctx.enrichment(d)) for d in docs])


def test_pull_back_reports_are_de_escalation_never_build_up(seeds):
    by_claim = {c.id: c for c in seeds.claims}
    pull_back = [e for e in seeds.events if e.actor and any(p in e.text for p in PULL_BACK)]
    assert len(pull_back) >= 4
    for e in pull_back:
        assert e.indicator == "withdrawal_announced" and e.weight < 0, e
        assert "troop_buildup" not in by_claim[e.claim_id].signals[:1]
    # No sentence that reports the pull-back counts as a build-up or mobilisation.
    pull_back_claims = [c for c in seeds.claims if any(p in c.text for p in PULL_BACK)]
    assert not [
        e
        for e in seeds.events
        if e.claim_id in {c.id for c in pull_back_claims}
        and e.indicator in ("troop_buildup", "mobilisation")
    ]


def test_no_denial_or_warning_scores_as_the_event(seeds):
    by_claim = {c.id: c for c in seeds.claims}
    for e in seeds.events:
        claim = by_claim[e.claim_id]
        if claim.kind in ("denial", "warning", "accusation"):
            assert e.indicator == claim.kind and e.about == claim.signals[0], e
        if claim.stance == "rejects":
            assert e.indicator == "denial" and e.weight == 0, e
    assert any(e.indicator == "denial" and e.about == "withdrawal_announced" for e in seeds.events)
    assert any(e.indicator == "warning" and e.about == "attack" for e in seeds.events)


def test_every_point_lists_its_contributions(seeds):
    assert seeds.indicators and seeds.hourly
    for point in seeds.indicators + seeds.hourly:
        assert point.events and point.contributions
        assert point.index == pytest.approx(sum(point.contributions.values()), abs=0.01)


def test_every_quantity_series_on_the_seeds_is_one_quantity(seeds):
    listed = sorted((q.unit, q.counted, tuple(p[1] for p in q.points)) for q in seeds.quantities)
    # The Russian force near Ukraine's border is one series, though one figure names whose
    # troops and the other does not; the troops exercising in Belarus are another.
    assert listed == [
        ("troops", "troops (Belarus)", (30000.0, 30000.0)),
        ("troops", "troops (Russian, Ukraine)", (100000.0, 130000.0)),
    ]


def test_seed_disputes_put_actors_on_their_sides(seeds):
    def sides(d):
        return {s.actor for s in d.asserts}, {s.actor for s in d.denies}

    withdrawal = [d for d in seeds.disputes if d.signal == "withdrawal_announced"]
    assert withdrawal
    pro, con = sides(withdrawal[0])
    # "media reports that some Russian troops were returning": the media assert it too
    assert pro <= {"Russia", "Moscow", "Russian Ministry of Defence", "media"}
    assert {"Jens Stoltenberg", "Volodymyr Zelensky"} <= con
    cyber = [d for d in seeds.disputes if d.signal == "cyber_attack"]
    assert cyber and "Moscow" in sides(cyber[0])[1]
    for d in seeds.disputes:
        assert d.proposition and d.reason and d.reason != ""
        for side in d.asserts + d.denies:
            assert all(conf >= 0.6 for _, _, _, conf in side.stances)


def test_demo_disputes_and_indicators(tmp_path):
    db = str(tmp_path / "demo.db")
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(sample_path()), "--db", db]).exit_code == 0
    disputes = json.loads(runner.invoke(app, ["disputes", "--json", "--db", db]).stdout)
    assert [
        ({s["actor"] for s in d["asserts"]}, {s["actor"] for s in d["denies"]}) for d in disputes
    ] == [({"Norvania's interior ministry", "Norvania"}, {"Kestria's foreign ministry"})]
    assert "floodgates" in disputes[0]["proposition"] and disputes[0]["reason"] == "denial"
    points = json.loads(runner.invoke(app, ["indicators", "--json", "--db", db]).stdout)
    assert [(p["bucket"], p["contributions"]) for p in points] == [
        ("2025-06-13", {"citizens_leave": 2.0}),
        ("2025-06-14", {"heavy_equipment": 1.5, "accusation": 0.5}),
    ]


def test_stale_analysis_sequence_gives_the_fresh_answer(tmp_path):
    db = str(tmp_path / "stale.db")
    runner = CliRunner()
    ingest = runner.invoke(app, ["ingest", str(sample_path()), "--no-enrich", "--db", db])
    assert ingest.exit_code == 0
    before = json.loads(runner.invoke(app, ["disputes", "--json", "--db", db]).stdout)
    assert before == []
    assert runner.invoke(app, ["enrich", "--db", db]).exit_code == 0
    after = json.loads(runner.invoke(app, ["disputes", "--json", "--db", db]).stdout)
    assert len(after) == 1 and after[0]["denies"][0]["actor"] == "Kestria's foreign ministry"


def test_seed_dispute_scores_gate(shared_dir):
    """Eval gate: measured with `sitroom eval ../shared/gold --corpus ../shared/corpus/seeds
    --tasks disputes --json` (recall 1.0, precision 0.875, side recall 0.8077, side precision
    1.0); pinned 0.01 below."""
    from sitroom.eval import run_eval

    scores = run_eval(shared_dir / "gold", shared_dir / "corpus" / "seeds", tasks=["disputes"])[
        "disputes"
    ]
    assert scores["recall"] >= 0.99 and scores["precision"] >= 0.865, scores
    assert scores["side_recall"] >= 0.797 and scores["side_precision"] >= 0.99, scores


def test_troops_offered_or_sent_to_a_partner_are_no_build_up(seeds):
    """Peacekeepers or troops a government offers to send are a deployment, never the
    adversary's build-up (on the seed posts that speak of sending troops)."""
    by_claim = {c.id: c for c in seeds.claims}
    sending = [c for c in seeds.claims if "send troops" in c.text or "peacekeep" in c.text]
    assert len(sending) >= 3
    for e in seeds.events:
        if e.claim_id in {c.id for c in sending}:
            assert e.indicator != "troop_buildup", e
            assert "troop_buildup" not in by_claim[e.claim_id].signals[:1]
