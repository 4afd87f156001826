"""Who speaks when no one person does (issue 8, speakers): a share of a group or a finding
named by its whole phrase, a day that is no speaker, a name the learned ranker must respect.
Sentences written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from enrich_helpers import quotes_in as _quotes

from sitroom.records import Quote

pytestmark = pytest.mark.slow
WHEN = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)


def _speakers(quotes: list[Quote], kind: str) -> list[str | None]:
    return [q.speaker for q in quotes if q.kind == kind]


@pytest.mark.parametrize(
    ("body", "source"),
    [
        (
            "About four in 10 Ohio Democratic primary voters say the economy is their top issue.",
            "About four in 10 Ohio Democratic primary voters",
        ),
        (
            "Half of Iowa Republicans said the governor was “too close to the banks.”",
            "Half of Iowa Republicans",
        ),
        (
            "Sixty percent of registered voters say they want a change.",
            "Sixty percent of registered voters",
        ),
        (
            "Nine in 10 Democratic voters say the party is united, and more than 4 in 10 said "
            "the senator would win.",
            "Nine in 10 Democratic voters",
        ),
        ("Two of the delegates said the vote was rigged.", "Two of the delegates"),
        ("Cement makers argue that the levy would ruin them.", "Cement makers"),
        ("Pollsters agree that the race is close.", "Pollsters"),
        (
            "Early results of an entrance poll of Nevada caucus-goers showed that turnout "
            "was down sharply.",
            "Early results of an entrance poll of Nevada caucus-goers",
        ),
        (
            "A Harbour Times/KTV poll of likely voters released Sunday found that Mary Lane "
            "leads by six points.",
            "Harbour Times/KTV poll of likely voters released Sunday",
        ),
        (
            "Recent polling shows that the levy is unpopular.",
            "Recent polling",
        ),
        (
            "A survey of small farmers in Kent, conducted by the union, found that most "
            "expect a poor harvest.",
            "survey of small farmers in Kent",
        ),
    ],
)
def test_a_share_a_group_or_a_finding_is_named_by_its_phrase(
    body: str, source: str, registry, nlp
) -> None:
    quotes = _quotes(body, registry, nlp)
    assert source in _speakers(quotes, "indirect")
    assert all(s == source for s in _speakers(quotes, "direct"))


def test_a_plain_plural_is_no_source(registry, nlp) -> None:
    quotes = _quotes("Signals suggest the talks will fail.", registry, nlp)
    assert _speakers(quotes, "indirect") == [None]


def test_a_spokesman_of_a_named_employer_is_not_the_next_person_named(registry, nlp) -> None:
    quotes = _quotes(
        "“We are looking into the reports,” a Harbourline spokesman said. Lena Ortiz, the "
        "port director, said the ferry would run.",
        registry,
        nlp,
    )
    direct = [q for q in quotes if q.kind == "direct"]
    assert direct[0].speaker != "Lena Ortiz"
    assert "Harbourline" in (direct[0].speaker or "")


def test_a_name_that_runs_over_the_speech_verb_names_no_one(registry, nlp) -> None:
    from sitroom.enrich.actors import DocContext
    from sitroom.enrich.quotes import PostState, SpeakerResolver
    from sitroom.records import Mention

    line = "Berg Says He Never Told Anyone To Leave Town"
    sdoc = nlp(line)
    ctx = DocContext(registry)
    bogus = ctx.learn_org(line)  # a whole title-case headline taken for one organisation
    mentions = [Mention(line, bogus, "body", 0, len(line), "name")]
    resolver = SpeakerResolver(sdoc, mentions, ctx, PostState(), WHEN)
    says = next(t for t in sdoc if t.text == "Says")
    subject = next(c for c in says.children if c.dep_ == "nsubj")
    assert resolver.resolve(subject)[0] != bogus


def test_a_lone_name_that_speaks_is_a_surname(registry, nlp) -> None:
    """ "Jordan said" after Jim Jordan and Jordan Smith were named: news writing calls
    people by their surname, so it is Jim Jordan. With two people of that surname it is
    merged with neither: the name stands as written."""
    from sitroom.enrich.actors import DocContext
    from sitroom.enrich.quotes import PostState, SpeakerResolver

    def speaker(people: list[str]) -> str | None:
        sdoc = nlp("Jordan said the vote was lost.")
        ctx = DocContext(registry)
        for name in people:
            ctx.learn_person(name)
            ctx.note(name)
        resolver = SpeakerResolver(sdoc, [], ctx, PostState(), WHEN)
        return resolver.resolve(sdoc[0])[0]

    assert speaker(["Jim Jordan", "Jordan Smith"]) == "Jim Jordan"
    assert speaker(["Jim Jordan", "Ann Jordan"]) == "Jordan"
