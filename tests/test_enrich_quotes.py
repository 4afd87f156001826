from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

import pytest
from enrich_helpers import quotes_in

from sitroom.enrich.quotes import quote_spans
from sitroom.records import Byline

WHEN = datetime(2025, 2, 17, 12, 0, tzinfo=UTC)


_quotes = partial(quotes_in, kind="live", published=WHEN)


def _inner(text: str) -> list[str]:
    return [text[a:b] for a, b, _, _ in quote_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "we are ready" today.', ["we are ready"]),
        ("He said “we are ready” today.", ["we are ready"]),
        ("He said ‘we are ready’ today.", ["we are ready"]),
        ("He said 'we are ready' today.", ["we are ready"]),
        ("Il a dit « nous sommes prêts » hier.", ["nous sommes prêts"]),
    ],
)
def test_every_quote_mark_style(text: str, expected: list[str]) -> None:
    assert _inner(text) == expected


def test_apostrophes_are_not_quotes() -> None:
    assert _inner("Ukraine's army and the leaders' meeting don't end in the '90s.") == []


def test_nested_single_quote_stays_inside_double() -> None:
    assert _inner("“They call it the ‘red line’ now,” she said.") == [
        "They call it the ‘red line’ now,"
    ]


def test_quote_running_over_paragraphs() -> None:
    text = "“The first part goes on\n\n“and the second part ends here,” she said."
    assert _inner(text) == ["The first part goes on", "and the second part ends here,"]


def test_quote_after_and_before_the_verb(registry, nlp) -> None:
    quotes = _quotes(
        "Sergei Lavrov said: “The West has lost its way.”\n\n"
        "“We will answer in kind,” Lavrov told reporters.",
        registry,
        nlp,
    )
    direct = [q for q in quotes if q.kind == "direct"]
    assert [q.text for q in direct] == ["The West has lost its way.", "We will answer in kind,"]
    assert [q.speaker for q in direct] == ["Sergei Lavrov", "Sergei Lavrov"]


def test_name_colon_lead(registry, nlp) -> None:
    quotes = _quotes("Kaja Kallas: “Europe must act now.”", registry, nlp)
    assert [(q.text, q.speaker) for q in quotes if q.kind == "direct"] == [
        ("Europe must act now.", "Kaja Kallas")
    ]


def test_multi_sentence_quote_and_floating_follow_up(registry, nlp) -> None:
    quotes = _quotes(
        "“We are not naive. We know what is at stake,” said Mark Rutte.\n\n"
        "“Our support will not end.”",
        registry,
        nlp,
    )
    direct = [q for q in quotes if q.kind == "direct"]
    assert [q.speaker for q in direct] == ["Mark Rutte", "Mark Rutte"]


def test_reported_speech_content_clause(registry, nlp) -> None:
    quotes = _quotes(
        "Keir Starmer says that the UK is ready to send troops to Ukraine.\n\n"
        "Friedrich Merz told the BBC the plan was premature.",
        registry,
        nlp,
    )
    indirect = [(q.text, q.speaker) for q in quotes if q.kind == "indirect"]
    assert ("the UK is ready to send troops to Ukraine", "Keir Starmer") in indirect
    assert ("the plan was premature", "Friedrich Merz") in indirect


def test_according_to(registry, nlp) -> None:
    quotes = _quotes(
        "According to the Kremlin, the talks will take place in Riyadh next week.", registry, nlp
    )
    assert [(q.text, q.speaker, q.kind) for q in quotes] == [
        ("the talks will take place in Riyadh next week", "Kremlin", "indirect")
    ]


def test_pronoun_takes_the_last_subject_not_the_last_name(registry, nlp) -> None:
    quotes = _quotes(
        "Pete Hegseth spoke after meeting Vladimir Putin's envoy.\n\n"
        "He says Donald Trump has ended the war.\n\n"
        "“The fighting must stop,” he says.",
        registry,
        nlp,
    )
    assert {q.speaker for q in quotes} == {"Pete Hegseth"}


def test_title_names_the_speaker(registry, nlp) -> None:
    quotes = _quotes(
        "“Europe is not at the table,” he said.", registry, nlp, title="No seat for Europe - Lavrov"
    )
    assert [(q.speaker, q.kind) for q in quotes] == [("Sergei Lavrov", "direct")]


def test_abstains_without_an_antecedent(registry, nlp) -> None:
    quotes = _quotes(
        "“This is a dark day,” she said.", registry, nlp, bylines=[Byline("A Reporter")]
    )
    assert [q.text for q in quotes] == ["This is a dark day,"]
    assert quotes[0].speaker is None


def test_role_phrase_speaker_resolves_by_date(registry, nlp) -> None:
    quotes = _quotes("The Nato chief said the alliance stands united.", registry, nlp)
    assert [(q.speaker, q.kind) for q in quotes] == [("Mark Rutte", "indirect")]


def test_block_quote_after_a_colon_lead(registry, nlp) -> None:
    quotes = _quotes(
        "In a statement, Kaja Kallas said:\n\n"
        "Europe stands with Ukraine today and tomorrow.\n\n"
        "Our support will continue for as long as it takes.\n\n"
        "She later met ministers, officials said.",
        registry,
        nlp,
    )
    direct = [(q.text, q.speaker) for q in quotes if q.kind == "direct"]
    assert direct == [
        ("Europe stands with Ukraine today and tomorrow.", "Kaja Kallas"),
        ("Our support will continue for as long as it takes.", "Kaja Kallas"),
    ]


def test_parenthetical_attribution(registry, nlp) -> None:
    quotes = _quotes(
        "Antony Blinken spoke in Berlin.\n\nThe situation, he said, is completely under control.",
        registry,
        nlp,
    )
    assert [(q.text, q.speaker) for q in quotes] == [
        ("The situation, he said, is completely under control", "Antony Blinken")
    ]


def test_participle_attribution_has_its_own_speaker(registry, nlp) -> None:
    quotes = _quotes(
        "Liz Truss says an invasion is likely, despite Sergei Lavrov saying talks are possible.",
        registry,
        nlp,
    )
    indirect = {(q.text, q.speaker) for q in quotes if q.kind == "indirect"}
    assert ("an invasion is likely", "Liz Truss") in indirect
    assert ("talks are possible", "Sergei Lavrov") in indirect


def test_headline_line_names_its_speaker(registry, nlp) -> None:
    quotes = _quotes("Watch: Europe must spend more on defence - Starmer", registry, nlp)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Europe must spend more on defence", "Keir Starmer")
    ]


def test_they_after_two_named_people_takes_the_first(registry, nlp) -> None:
    quotes = _quotes(
        "Keir Starmer and Emmanuel Macron held a call in which they agreed that Europe must "
        "spend more.",
        registry,
        nlp,
    )
    assert [(q.text, q.speaker) for q in quotes if q.kind == "indirect"] == [
        ("Europe must spend more", "Keir Starmer")
    ]


def test_place_in_a_description_is_not_the_speaker(registry, nlp) -> None:
    quotes = _quotes(
        "“We had ten minutes to leave,” one resident of Marlowe Bridge told local radio.",
        registry,
        nlp,
    )
    assert len(quotes) == 1
    assert quotes[0].speaker != "Marlowe Bridge"


def test_content_before_the_attribution_stops_at_it(registry, nlp) -> None:
    quotes = _quotes(
        "The river has risen by two metres, the town's flood office says, and a bridge is shut.",
        registry,
        nlp,
    )
    assert [q.text for q in quotes if q.kind == "indirect"] == ["The river has risen by two metres"]
