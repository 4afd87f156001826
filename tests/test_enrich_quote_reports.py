"""What is and is not reported speech (issue 8, quotes): groups picked out by what they
answered, relative clauses inside reported content, verbs that only judge a target.
Sentences written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from enrich_helpers import quotes_in

from sitroom.enrich.pipeline import enrich_document
from sitroom.records import Document, Post

pytestmark = pytest.mark.slow
WHEN = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)


def _reports(body: str, registry, nlp) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in quotes_in(body, registry, nlp) if q.kind == "indirect"]


def test_a_group_picked_out_by_its_answer_is_not_a_report(registry, nlp) -> None:
    reports = _reports(
        "Those who said the economy was their top issue split evenly. Voters who say health "
        "care matters most backed Mary Lane, and residents who told pollsters they felt "
        "unsafe stayed home.",
        registry,
        nlp,
    )
    assert reports == []


def test_one_who_said_with_a_comma_still_reports(registry, nlp) -> None:
    reports = _reports("Tom Berg, who said the plan was dead, left early.", registry, nlp)
    assert reports == [("the plan was dead", "Tom Berg")]


def test_a_relative_clause_inside_reported_content_stays_in_it(registry, nlp) -> None:
    reports = _reports(
        "Officials who said the dam would hold were wrong, Mary Lane said.", registry, nlp
    )
    assert reports == [("Officials who said the dam would hold were wrong", "Mary Lane")]


def test_verbs_that_only_judge_a_target_are_not_reports(registry, nlp) -> None:
    reports = _reports(
        "Mary Lane criticised the council's flood plan. Tom Berg condemned the attack on "
        "the depot and dismissed the story as gossip.",
        registry,
        nlp,
    )
    assert reports == []


def test_an_accusation_is_still_a_report(registry, nlp) -> None:
    reports = _reports("Mary Lane accused the council of hiding the flood maps.", registry, nlp)
    assert [speaker for _, speaker in reports] == ["Mary Lane"]


def test_an_embedded_post_is_not_a_block_quotation_of_the_lead(registry, nlp) -> None:
    post = Post(
        key="p1",
        position=1,
        title=None,
        body=(
            "Mary Lane and Tom Berg called for the dam to be inspected:\n\n"
            '<post author="@marylane" id="17">The dam must be inspected this week.</post>\n\n'
            '<post author="@tomberg" id="18">Inspect it now, before the rain.</post>'
        ),
        published=WHEN,
    )
    doc = Document(source="test", kind="article", format="test", posts=[post])
    quotes = enrich_document(doc, registry, nlp)["p1"].quotes
    assert not [q for q in quotes if "<post" in q.text or "</post>" in q.text]
