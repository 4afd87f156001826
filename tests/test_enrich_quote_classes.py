"""One test per error class of issue 8 (who said what on unseen text), each with sentences
written for the test."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import spacy
from enrich_helpers import quotes_in as _quotes
from spacy.tokens import Doc

from sitroom.enrich import ranker
from sitroom.enrich.quotes import _complement, _subject, quote_spans
from sitroom.records import Quote

pytestmark = pytest.mark.slow
WHEN = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)


def _direct(quotes: list[Quote]) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in quotes if q.kind == "direct"]


def _indirect(quotes: list[Quote]) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in quotes if q.kind == "indirect"]


# --- scare quotes, nicknames, markup ------------------------------------------------------


def test_markup_attribute_values_are_not_quotes() -> None:
    text = '<post id="881" author="@harbourwatch" when="2019-04-02">Ferry cancelled again</post>'
    assert [text[a:b] for a, b, _, _ in quote_spans(text)] == []


def test_single_word_in_quotes_without_a_cue_is_a_term(registry, nlp) -> None:
    quotes = _quotes(
        "The council calls the new levy a “contribution”, and critics call that spin.\n\n"
        "“We will not pay it,” said Maria Lopez, a shop owner.",
        registry,
        nlp,
    )
    assert [text for text, _ in _direct(quotes)] == ["We will not pay it,"]


def test_titles_of_works_are_not_quotes(registry, nlp) -> None:
    quotes = _quotes(
        "Speaking on “Morning Harbour Live”, Maria Lopez said the plan was “a step too far”.",
        registry,
        nlp,
    )
    assert [text for text, _ in _direct(quotes)] == ["a step too far"]


@pytest.mark.parametrize(
    "lead",
    [
        "Greta Holm, who once hosted the quiz show “The Gauntlet”, said",
        "In her memoir “Undertow”, Greta Holm wrote that the mill shaped her, and she said",
        "Greta Holm, a contestant on the cooking series “The Simmer”, said",
    ],
)
def test_a_capitalised_quotation_after_a_noun_for_a_work_is_its_title(
    registry, nlp, lead: str
) -> None:
    quotes = _quotes(f"{lead} the town “deserves better”.", registry, nlp)
    assert [text for text, _ in _direct(quotes)] == ["deserves better"]


def test_a_quotation_after_a_noun_for_a_work_with_a_comma_between_is_speech(registry, nlp) -> None:
    quotes = _quotes(
        "Asked about the show, Greta Holm said: “We never expected it to last.”", registry, nlp
    )
    assert _direct(quotes) == [("We never expected it to last.", "Greta Holm")]


def test_a_closing_mark_without_its_opener_does_not_start_a_quote() -> None:
    text = 'The plan was “very costly." The mayor left early. Then "we will see" he said.'
    assert [text[a:b] for a, b, _, _ in quote_spans(text)] == ["very costly.", "we will see"]


# --- quotes whose speaker stands after a dash, or in the quote before ---------------------


def test_speaker_after_a_dash(registry, nlp) -> None:
    quotes = _quotes(
        "“The river has never been this low.” ― Tomas Berg\n\n"
        "“We will not retreat” - Defence Minister Jane Okafor, Daily Courier",
        registry,
        nlp,
    )
    assert [s for _, s in _direct(quotes)] == ["Tomas Berg", "Defence Minister Jane Okafor"]


def test_credits_after_dashes_run_on_in_one_paragraph(registry, nlp) -> None:
    # Readers' comments printed one after another: each credit names the quotation before it,
    # never the next one.
    quotes = _quotes(
        "We asked readers about the floods. “Nobody came to pump out the cellar.” ― Ilse Vahl "
        "“The insurers have stopped answering the phone.” ― Rui M. Costa "
        "“Next year we move away.” ― Petra Lind",
        registry,
        nlp,
    )
    assert _direct(quotes) == [
        ("Nobody came to pump out the cellar.", "Ilse Vahl"),
        ("The insurers have stopped answering the phone.", "Rui M. Costa"),
        ("Next year we move away.", "Petra Lind"),
    ]


def test_a_credit_after_the_quotation_is_read_from_its_words(registry, nlp, monkeypatch) -> None:
    # The small parser often hangs the name of a long credit on the quotation's clause and
    # leaves "said" with no subject; the credit's words still say who spoke.
    from sitroom.enrich import quotes as quotes_module

    monkeypatch.setattr(quotes_module, "_subject", lambda verb: None)
    text = (
        "“Nobody thinks the budget is in good shape,” Ilse Vahl, a senior outside adviser to "
        "the mayor, said at a housing event in Leeds. “We will need a second loan.”\n\n"
        "“The tunnel will open in May,” said Tomas Berg.\n\n"
        "“Is the tunnel safe?” Ruth Okafor asked Tomas Berg.\n\n"
        "“The levy is fair,” Anna Lee-Marsh, the treasurer, said."
    )
    with ranker.disabled():
        quotes = _quotes(text, registry, nlp)
    assert [s for _, s in _direct(quotes)] == [
        "Ilse Vahl",
        "Ilse Vahl",
        "Tomas Berg",
        "Ruth Okafor",
        "Anna Lee-Marsh",
    ]


def test_a_quote_after_one_the_ranker_attributed_follows_it(registry, nlp) -> None:
    # The rules find no speaker for the second quotation (its credit has no verb); the
    # ranker names Berg. The third, with no cue of its own, goes on with Berg, not with
    # the speaker of the paragraph before.
    quotes = _quotes(
        "“The tunnel is safe,” said Maria Lopez.\n\n"
        "Tomas Berg, the harbour pilot, disagreed at length on Friday. “Nobody has checked "
        "the pumps in years,” Berg, visibly angry, at the meeting. “We need an inspection "
        "first.”",
        registry,
        nlp,
    )
    assert [s for _, s in _direct(quotes)] == ["Maria Lopez", "Tomas Berg", "Tomas Berg"]


def test_a_quoted_transcript_turn_is_its_labels_words(registry, nlp) -> None:
    quotes = _quotes(
        "Senator Ann Vahl and the host Tom Birch met on Sunday. The transcript follows.\n"
        '"BIRCH: Do you really see those two as equivalent?\n'
        '"VAHL: Well, look, the mayor has been out there saying some tough stuff about me."',
        registry,
        nlp,
    )
    assert [s for _, s in _direct(quotes)] == ["Tom Birch", "Ann Vahl"]


def test_a_credit_in_the_paragraph_below_the_quotation(registry, nlp) -> None:
    quotes = _quotes(
        "Readers wrote in about the tunnel tax.\n\n"
        "“The whole idea of a tunnel tax is something we hear about all the time, and it "
        "needs to stop.”\n\n-Ilse Vahl, Leeds.",
        registry,
        nlp,
    )
    assert [s for _, s in _direct(quotes)] == ["Ilse Vahl"]


def test_a_quotation_opened_by_a_colon_is_the_clause_subjects(registry, nlp) -> None:
    # the nearer speech verb ("suggested") belongs to a clause about someone else
    quotes = _quotes(
        "When Tomas Berg suggested that the town would be sued, Maria Lopez fired back: "
        "“If they sue us in a court in Leeds, they are going to lose.”\n\n"
        # the verb of saying before the colon, not a verb inside its object
        "Asked again, Ilse Vahl explained what the council expects from the builders: "
        "“We have to see the pumps working first.”",
        registry,
        nlp,
    )
    assert [s for _, s in _direct(quotes)] == ["Maria Lopez", "Ilse Vahl"]


def test_second_quote_of_a_paragraph_keeps_the_speaker(registry, nlp) -> None:
    quotes = _quotes(
        "“The budget is a disgrace,” Ellen Marsh said. “You look at the schools, you think: "
        "‘Who cares about them?’ Nobody in this building does.”",
        registry,
        nlp,
    )
    assert [s for _, s in _direct(quotes)] == ["Ellen Marsh", "Ellen Marsh"]


def test_quoted_paragraph_after_a_colon_lead(registry, nlp) -> None:
    with ranker.disabled():  # the rules alone; a lead without a subject names nobody
        quotes = _quotes(
            "Senator Joan Pell spoke to the crowd on Friday. Pell continued:\n\n"
            "“The questions asked tonight show why voters do not trust the media.”\n\n"
            "When the old mayor died, Governor Tom Reyes released the following statement:\n\n"
            "“Maria and I offer our condolences to the family.”\n\n"
            "Here is the statement in full:\n\n“We regret the error.”",
            registry,
            nlp,
        )
    assert [s for _, s in _direct(quotes)] == ["Joan Pell", "Tom Reyes", None]


def test_a_quotation_introduced_by_that_is_also_reported_speech(registry, nlp) -> None:
    quotes = _quotes(
        "Mayor Ann Ruiz vowed that “every family will have a home by winter.”\n\n"
        "“The rent is too high,” Ruiz said.",
        registry,
        nlp,
    )
    assert _direct(quotes) == [
        ("every family will have a home by winter.", "Ann Ruiz"),
        ("The rent is too high,", "Ann Ruiz"),
    ]
    assert _indirect(quotes) == [("“every family will have a home by winter.”", "Ann Ruiz")]


def test_a_finding_shown_is_reported(registry, nlp) -> None:
    quotes = _quotes(
        "A survey by the Harbour Institute shows that most tenants cannot afford a move.",
        registry,
        nlp,
    )
    assert [text for text, _ in _indirect(quotes)] == ["most tenants cannot afford a move"]


def test_speech_acts_reported_through_a_clause(registry, nlp) -> None:
    quotes = _quotes(
        "Mayor Ann Ruiz rallied supporters by warning that the bridge would close in May.\n\n"
        "Tom Reyes, the head of the watchdog, charged that the council hid the documents.\n\n"
        "Ruiz said that the audit, while late, had been done properly.\n\n"
        "Reyes said the plan was costly, although the council disagreed.\n\n"
        "Ruiz said exports would grow this year, while imports would fall.",
        registry,
        nlp,
    )
    # "although" opens the writer's aside; "while" weighs one part of the content against
    # another (polnear's annotators keep it in the content about twice as often as not)
    assert _indirect(quotes) == [
        ("the bridge would close in May", "Ann Ruiz"),
        ("the council hid the documents", "Tom Reyes"),
        ("the audit, while late, had been done properly", "Ann Ruiz"),
        ("the plan was costly", "Tom Reyes"),
        ("exports would grow this year, while imports would fall", "Ann Ruiz"),
    ]


def test_a_quote_that_ends_open_is_followed_by_its_speaker(registry, nlp) -> None:
    quotes = _quotes(
        "Governor Tom Reyes met Mayor Ann Ruiz.\n\n"
        "“You know, it happens, right?” Ruiz went on, as if she had not heard him.\n\n"
        "“What does that mean?” Mr. Reyes asked, repeating a charge that the mayor had "
        "failed the city for years.",
        registry,
        nlp,
    )
    assert _direct(quotes) == [
        ("You know, it happens, right?", "Ann Ruiz"),
        ("What does that mean?", "Tom Reyes"),
    ]


# --- possessive and employer phrases; names in clauses about the subject -------------------


def test_spokesperson_not_the_employer(registry, nlp) -> None:
    quotes = _quotes(
        "A Harbourline spokesman, Peter Vance, said the ferries would run again on Monday.",
        registry,
        nlp,
    )
    assert _indirect(quotes) == [("the ferries would run again on Monday", "Peter Vance")]


def test_owner_in_a_possessive_is_not_the_speaker(registry, nlp) -> None:
    quotes = _quotes(
        "“The attacks draw us together,” Ms. Ruiz's spokesman, Peter Vance, wrote on Twitter.\n\n"
        "Mayor Ruiz's campaign manager, Tom Reyes, said the race was close.\n\n"
        "Mr. Hale's spokesman said the vote would go ahead.",
        registry,
        nlp,
    )
    assert _direct(quotes) == [("The attacks draw us together,", "Peter Vance")]
    # the spokesman is someone of Hale's: the phrase itself names the source
    assert _indirect(quotes) == [
        ("the race was close", "Tom Reyes"),
        ("the vote would go ahead", "Mr. Hale's spokesman"),
    ]


def test_the_campaign_of_a_person_speaks_as_itself(registry, nlp) -> None:
    quotes = _quotes(
        "Mayor Ann Ruiz spoke on Monday. Ms. Ruiz's campaign has said for months that it "
        "sees no reason to change course.",
        registry,
        nlp,
    )
    assert _indirect(quotes) == [("it sees no reason to change course", "Ms. Ruiz's campaign")]


def test_a_wire_credit_in_the_dateline_is_not_the_speaker(registry, nlp) -> None:
    quotes = _quotes(
        "WASHINGTON (AP) — Tom Reyes said on Monday that the bridge would close.",
        registry,
        nlp,
    )
    assert _indirect(quotes) == [("the bridge would close", "Tom Reyes")]


def test_name_in_a_relative_clause_is_not_the_speaker(registry, nlp) -> None:
    quotes = _quotes(
        "Anna Kowalski met the mayor on Tuesday.\n\n"
        "Dunmore, who once worked as an aide to Anna Kowalski, said the budget was too small.",
        registry,
        nlp,
    )
    speakers = [s for _, s in _indirect(quotes)]
    assert speakers and "Anna Kowalski" not in speakers


def test_questions_and_findings_are_reports(registry, nlp) -> None:
    quotes = _quotes(
        "Maria Lopez asked whether the council had read the report.\n\n"
        "The audit office found that the scheme had cost twice its budget.",
        registry,
        nlp,
    )
    texts = [t for t, _ in _indirect(quotes)]
    assert "whether the council had read the report" in texts
    assert "the scheme had cost twice its budget" in texts


# --- span boundaries --------------------------------------------------------------------


def test_report_stops_before_the_speakers_next_act(registry, nlp) -> None:
    quotes = _quotes(
        "Maria Lopez said the bridge would reopen in May but did not say who would pay.",
        registry,
        nlp,
    )
    assert ("the bridge would reopen in May", "Maria Lopez") in _indirect(quotes)


def test_report_keeps_a_coordinated_clause_of_its_own(registry, nlp) -> None:
    quotes = _quotes(
        "Maria Lopez says the council will vote on Friday, and it is considering a new tax.",
        registry,
        nlp,
    )
    texts = [t for t, _ in _indirect(quotes)]
    assert any(t.endswith("considering a new tax") for t in texts), texts


# --- organisations, groups and nested sources -------------------------------------------


def test_a_group_that_speaks_as_one_is_the_source(registry, nlp) -> None:
    quotes = _quotes(
        "Toll opponents argued that the new fee would hurt small firms.", registry, nlp
    )
    assert _indirect(quotes) == [("the new fee would hurt small firms", "Toll opponents")]


# --- speech cues ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Maria Lopez accused the council of wasting public money.",
            ("accused the council of wasting public money", "Maria Lopez"),
        ),
        (
            "Maria Lopez termed the plan a disaster for the harbour.",
            ("termed the plan a disaster for the harbour", "Maria Lopez"),
        ),
        (
            "Maria Lopez described the deal as a betrayal of the workers.",
            ("described the deal as a betrayal of the workers", "Maria Lopez"),
        ),
        (
            "Maria Lopez hinted that she might stand for mayor next year.",
            ("she might stand for mayor next year", "Maria Lopez"),
        ),
        (
            "Maria Lopez insisted that the figures were correct.",
            ("the figures were correct", "Maria Lopez"),
        ),
        (
            "Maria Lopez wrote that the bridge had been neglected for years.",
            ("the bridge had been neglected for years", "Maria Lopez"),
        ),
        (
            "Maria Lopez told reporters the strike would go ahead.",
            ("the strike would go ahead", "Maria Lopez"),
        ),
        (
            "The port will reopen on Monday, according to the harbour authority.",
            ("The port will reopen on Monday", "harbour authority"),
        ),
        (
            "Prices will rise again in spring, Reuters reports.",
            ("Prices will rise again in spring", "Reuters"),
        ),
    ],
)
def test_speech_cues(text: str, expected: tuple[str, str], registry, nlp) -> None:
    assert expected in _indirect(_quotes(text, registry, nlp))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "As the Financial Times reported, the ferry will stop running if the fund runs dry.",
            [("the ferry will stop running if the fund runs dry", "Financial Times")],
        ),
        (
            "As Maria Lopez told reporters on Friday, the strike has cost the port a fortune.",
            [("the strike has cost the port a fortune", "Maria Lopez")],
        ),
        (
            "As one economist put it, the town is spending money it does not have.",
            [("the town is spending money it does not have", "economist")],
        ),
        (
            "The dam will not hold another winter, as Maria Lopez warned in March.",
            [("The dam will not hold another winter", "Maria Lopez")],
        ),
        (
            "As the Financial Times reported, the council was refusing to call it a failure:\n"
            "“The council is still reluctant to call the closure a failure.”",
            [("the council was refusing to call it a failure", "Financial Times")],
        ),
        # no attribution: "as expected", the writer's own "as we reported", a described object
        ("As expected, the ferry stopped running in May.", []),
        ("As we reported on Monday, the ferry stopped running.", []),
        ("As Maria Lopez described the plan, the audience fell silent.", []),
    ],
)
def test_attribution_set_with_as(text: str, expected: list[tuple[str, str]], registry, nlp) -> None:
    assert _indirect(_quotes(text, registry, nlp)) == expected


def test_a_line_led_by_a_person_and_a_colon_reports_them(registry, nlp) -> None:
    quotes = _quotes(
        "Mayor Ellen Marsh: the harbour tunnel will open before the summer\n\n"
        "Ellen Marsh was interviewed by the Courier on Friday.\n"
        "MARSH: I think the council has lost its way and voters know it.\n"
        "COURIER: Will you stand again next year?\n\n"
        # labels, topics and credits are not speakers
        "Poll: Marsh and Vahl hold narrow leads in the east\n\n"
        "Harbour strike: workers walk out for a third day\n\n"
        "Ilse Vahl: Harbour correspondent, reporting from the quay",
        registry,
        nlp,
    )
    assert _indirect(quotes) == [
        ("the harbour tunnel will open before the summer", "Ellen Marsh"),
        ("I think the council has lost its way and voters know it", "Ellen Marsh"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Court documents from the 2019 trial show the company paid the fine in March.",
            ("the company paid the fine in March", "Court documents from the 2019 trial"),
        ),
        (
            "Flight logs indicate the jet landed in Geneva twice that week.",
            ("the jet landed in Geneva twice that week", "Flight logs"),
        ),
    ],
)
def test_records_that_show_something_are_its_source(
    text: str, expected: tuple[str, str], registry, nlp
) -> None:
    assert _indirect(_quotes(text, registry, nlp)) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Maria Lopez won the seat by talking about how she would reopen the library.",
            [("how she would reopen the library", "Maria Lopez")],
        ),
        (
            "Tomas Berg spoke about what the closure means for the harbour.",
            [("what the closure means for the harbour", "Tomas Berg")],
        ),
        # a noun of saying with no owner reports the topic and names no one
        (
            "There are questions about whether the treasurer knew of the loan.",
            [("whether the treasurer knew of the loan", None)],
        ),
        # a topic that is no question clause, or a verb that is no verb of saying
        ("Tomas Berg spoke about the closure of the harbour.", []),
        ("The outcome depends on how the vote goes in March.", []),
    ],
)
def test_the_topic_of_what_was_said(
    text: str, expected: list[tuple[str, str | None]], registry, nlp
) -> None:
    assert _indirect(_quotes(text, registry, nlp)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Maria Lopez believes that the harbour tunnel is unsafe.",
            [("the harbour tunnel is unsafe", "Maria Lopez")],
        ),
        (
            "Engineers fear that the old dam will not survive another winter.",
            [("the old dam will not survive another winter", "Engineers")],
        ),
        # no "that", the writer's "I", an impersonal passive: no report
        ("Maria Lopez thinks the council is wrong about the tunnel.", []),
        ("I believe that the council is wrong about the tunnel.", []),
        ("It is widely expected that the council will approve the plan.", []),
    ],
)
def test_a_belief_is_reported_with_that(
    text: str, expected: list[tuple[str, str]], registry, nlp
) -> None:
    assert _indirect(_quotes(text, registry, nlp)) == expected


def test_two_coordinated_reports_are_two(registry, nlp) -> None:
    quotes = _quotes(
        "Even so, three-quarters of the voters said they were very worried about the "
        "direction of the town's economy, and more than 4 in 10 said billionaire Maria Lopez "
        "would be best at handling the economy.\n\n"
        "Tomas Berg said the tunnel was safe, and it will open in May.",
        registry,
        nlp,
    )
    reports = [t for t, _ in _indirect(quotes)]
    # the first report ends where the second begins, even where the parser takes that
    # "said" for a modifier of the noun after it
    assert reports[0] == "they were very worried about the direction of the town's economy"
    assert not any("4 in 10 said" in t for t in reports)
    # a clause of its own with no verb of saying is still what was said
    assert reports[-1] == "the tunnel was safe, and it will open in May"


def test_a_that_clause_after_a_phrase_of_place_is_still_the_content(registry, nlp) -> None:
    # The parser hangs "that ..." on the noun of the phrase before it ("at a breakfast
    # spot"); the clause is still what was told. A relative clause is not.
    quotes = _quotes(
        "Maria Lopez is telling customers at a breakfast spot that the council has cancelled the "
        "ferry."
        "\n\nMaria Lopez spoke at the hall that the town rebuilt last year."
        "\n\nAsked about reports that the ferry had sunk, Tomas Berg laughed.",
        registry,
        nlp,
    )
    reports = [(q.text, q.speaker, q.cue) for q in quotes if q.kind == "indirect"]
    assert reports[0] == ("the council has cancelled the ferry", "Maria Lopez", "telling")
    # what the reports said is the reports' content, not what was asked
    assert [r[2] for r in reports[1:]] == ["reports"]


def test_nested_source_is_the_one_quoted(registry, nlp) -> None:
    quotes = _quotes(
        "State television quoted the energy ministry as saying that gas supplies were secure.",
        registry,
        nlp,
    )
    assert _indirect(quotes) == [("gas supplies were secure", "energy ministry")]


# --- pronouns -----------------------------------------------------------------------------


def test_she_is_not_given_to_a_man(registry, nlp) -> None:
    quotes = _quotes(
        "Laura Brandt met Thomas Weller in Bonn. Weller spoke first.\n\n"
        "“We have a deal,” she said.",
        registry,
        nlp,
    )
    assert _direct(quotes) == [("We have a deal,", "Laura Brandt")]


def test_he_is_the_subject_not_the_last_name(registry, nlp) -> None:
    quotes = _quotes(
        "Thomas Weller thanked Laura Brandt and her team for their work.\n\n"
        "“It was not easy,” he said.",
        registry,
        nlp,
    )
    assert _direct(quotes) == [("It was not easy,", "Thomas Weller")]


def test_they_is_not_one_person(registry, nlp) -> None:
    quotes = _quotes(
        "Thomas Weller left the meeting early.\n\n“We are disappointed,” they said.",
        registry,
        nlp,
    )
    assert _direct(quotes)[0][1] != "Thomas Weller"


def test_report_in_a_subordinate_clause_ends_with_that_clause(registry, nlp) -> None:
    quotes = _quotes(
        "Even as Maria Lopez has said that the harbour will stay open, the council "
        "continues to plan its closure.",
        registry,
        nlp,
    )
    assert ("the harbour will stay open", "Maria Lopez") in _indirect(quotes)


# --- fourth round: sources named only by a common noun, employers, mixed quotation --------


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“The evidence is overwhelming,” the prosecutor told the jury.", "prosecutor"),
        ("“We saw smoke over the runway,” the pilot said.", "pilot"),
        ("“Bread costs twice what it did,” a shopkeeper in the old market said.", "shopkeeper"),
        ("“No one is above the law,” the judge wrote in her ruling.", "judge"),
    ],
)
def test_the_subject_of_a_verb_of_saying_names_the_source(registry, nlp, text, speaker) -> None:
    # None of these nouns is in a word list: saying is what tells that they are sources.
    assert [s for _, s in _direct(_quotes(text, registry, nlp))] == [speaker]


def test_a_thing_that_suggests_is_not_a_source(registry, nlp) -> None:
    quotes = _quotes("The early figures suggest that turnout fell sharply.", registry, nlp)
    assert _indirect(quotes) == [("turnout fell sharply", None)]


@pytest.mark.parametrize(
    "text",
    [
        "Senator Ruth Hollis missed the vote. Her spokesman said the senator was ill.",
        "Senator Ruth Hollis missed the vote. “She is unwell,” her spokesman said.",
    ],
)
def test_a_pronoun_owner_is_not_the_speaker(registry, nlp, text) -> None:
    quotes = _quotes(text, registry, nlp)
    assert quotes and all(q.speaker and "Hollis" not in q.speaker for q in quotes)
    assert {q.speaker.lower() for q in quotes if q.speaker} == {"her spokesman"}


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        (
            "Clinton defended the plan, to which Rivera interjected: “That is not true.”",
            None,
            "Rivera",
        ),
        (
            "Mayor Ana Ortiz pointed out that the bridge had been closed twice before.",
            "the bridge had been closed twice before",
            "Ana Ortiz",
        ),
        (
            "Mayor Ana Ortiz joked that the city's potholes had their own postcode.",
            "the city's potholes had their own postcode",
            "Ana Ortiz",
        ),
        (
            "Minister Paul Reyes implied that the election could be delayed.",
            "the election could be delayed",
            "Paul Reyes",
        ),
    ],
)
def test_more_verbs_of_saying(registry, nlp, text, content, speaker) -> None:
    quotes = _quotes(text, registry, nlp)
    if content is None:
        assert _direct(quotes) == [("That is not true.", speaker)]
    else:
        assert _indirect(quotes) == [(content, speaker)]


def test_a_verb_phrase_report_keeps_the_closing_mark(registry, nlp) -> None:
    quotes = _quotes("Premier Ana Ortiz termed the strike “an act of sabotage”.", registry, nlp)
    assert [t for t, _ in _indirect(quotes)] == ["termed the strike “an act of sabotage”"]


def test_a_backshifted_conjunct_stays_in_the_report(registry, nlp) -> None:
    quotes = _quotes(
        "Ms. Novak said she hoped to win the seat back, and then would push for a new budget.",
        registry,
        nlp,
    )
    assert [t for t, _ in _indirect(quotes)] == [
        "she hoped to win the seat back, and then would push for a new budget"
    ]


def test_mixed_quotation_is_both_a_report_and_a_quote(registry, nlp) -> None:
    # The reported clause is mostly the quotation, but its subject and verb are the
    # writer's words: both the report and the quoted words are kept.
    quotes = _quotes(
        "Later that day Ms. Novak said she has “complete confidence in my campaign team.”",
        registry,
        nlp,
    )
    assert _direct(quotes) == [("complete confidence in my campaign team.", "Novak")]
    assert [t for t, _ in _indirect(quotes)] == [
        "she has “complete confidence in my campaign team.”"
    ]


def test_a_name_in_apposition_wins_over_the_role_holder(registry, nlp) -> None:
    # The registry knows who holds "Nato chief" on the date; the text names someone else
    # (a fictional holder), and the text wins, for the pronoun after it too.
    quotes = _quotes(
        "The Nato chief, Anders Berg, dismissed the report. Asked about the drills, he told"
        " reporters they would “change nothing”.",
        registry,
        nlp,
    )
    assert {q.speaker for q in quotes} == {"Anders Berg"}


def test_a_role_in_apposition_to_a_name_is_not_its_employer(registry, nlp) -> None:
    quotes = _quotes(
        "Mayor Ana Ortiz spoke first. “The figures are wrong,” said Tomas Vidal, Ortiz's"
        " spokesman.",
        registry,
        nlp,
    )
    assert _direct(quotes) == [("The figures are wrong,", "Tomas Vidal")]


@pytest.mark.parametrize(
    "text",
    [
        "Her successor, Tom Hale, takes office on Monday; he has promised to cut taxes.",
        "The new mayor takes office on Monday, and she has promised to reopen the library.",
    ],
)
def test_an_attribution_with_a_content_of_its_own_does_not_report_the_clause_before(
    registry, nlp, text
) -> None:
    quotes = _quotes(text, registry, nlp)
    assert not any("takes office" in t for t, _ in _indirect(quotes))


def test_a_clause_before_its_attribution_to_an_addressee_is_still_reported(registry, nlp) -> None:
    quotes = _quotes("The ceasefire is holding, Minister Ana Ortiz told reporters.", registry, nlp)
    assert _indirect(quotes) == [("The ceasefire is holding", "Ana Ortiz")]


def test_who_is_accused_is_not_who_accuses(registry, nlp) -> None:
    quotes = _quotes("Karl Brandt is accused of stealing funds from the charity.", registry, nlp)
    assert not any(q.speaker == "Karl Brandt" for q in quotes)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Mayor Ana Ortiz was warned by Paul Reyes that the dam was unsafe.", "Paul Reyes"),
        ("Residents were told by officials that the bridge would close.", "officials"),
    ],
)
def test_a_passive_report_is_said_by_its_agent(registry, nlp, text, speaker) -> None:
    assert [s for _, s in _indirect(_quotes(text, registry, nlp))] == [speaker]


def test_a_quoted_question_is_the_askers(registry, nlp) -> None:
    quotes = _quotes(
        "Ana Ortiz was asked by moderator Jane Cole whether the plan would “add another costly"
        " programme to the budget.”",
        registry,
        nlp,
    )
    assert _direct(quotes) == [("add another costly programme to the budget.", "Jane Cole")]


def test_a_double_hyphen_ends_the_words_naming_a_finding(registry, nlp) -> None:
    quotes = _quotes(
        "Instead, the study -- which covers 58 companies -- says the rules are too weak.",
        registry,
        nlp,
    )
    assert ("the rules are too weak", "study") in _indirect(quotes)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("The ministry released a statement saying the border would stay closed.", "ministry"),
        ("A statement by the ministry said the border would stay closed.", "ministry"),
        ("A letter signed by 40 senators urged the president to “act now”.", "senators"),
        (
            "An email sent by Senator Ruth Hollis on Tuesday warned of “a desperate fight”.",
            "Ruth Hollis",
        ),
    ],
)
def test_a_statement_speaks_for_who_issued_it(registry, nlp, text, speaker) -> None:
    quotes = _quotes(text, registry, nlp)
    assert quotes and {q.speaker for q in quotes} == {speaker}


def test_a_statement_with_no_issuer_named_is_its_own_source(registry, nlp) -> None:
    quotes = _quotes("The statement said the border would stay closed.", registry, nlp)
    assert _indirect(quotes) == [("the border would stay closed", "statement")]


@pytest.mark.parametrize(
    "text",
    [
        "Weber, 49, told The Harbour Times. “I found myself wanting answers.”",
        "Weber, 49, spoke to The Harbour Times on Monday. “I found myself wanting answers.”",
    ],
)
def test_who_was_spoken_to_is_never_the_speaker(registry, nlp, text) -> None:
    quotes = _quotes(text, registry, nlp)
    assert [t for t, _ in _direct(quotes)] == ["I found myself wanting answers."]
    assert all(s != "Harbour Times" for _, s in _direct(quotes))


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Senator Ruth Hollis spoke first. A Hollis aide said the campaign would appeal.",
            "Hollis aide",
        ),
        (
            "Senator Ruth Hollis spoke first. A longtime Hollis supporter said the rally was a"
            " success.",
            "longtime Hollis supporter",
        ),
    ],
)
def test_a_name_before_a_common_noun_says_whose_the_speaker_is(
    registry, nlp, text, speaker
) -> None:
    assert [s for _, s in _indirect(_quotes(text, registry, nlp))] == [speaker]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Minister Ana Ortiz said the war was over.", "the war was over"),
        ("Minister Ana Ortiz said the deal was off.", "the deal was off"),
        ("Minister Ana Ortiz said the plan was dead, however.", "the plan was dead"),
    ],
)
def test_an_adverb_that_completes_the_clause_stays_in_it(registry, nlp, text, content) -> None:
    assert [t for t, _ in _indirect(_quotes(text, registry, nlp))] == [content]


def test_a_credit_whose_apposition_holds_a_comma_names_the_speaker(registry, nlp) -> None:
    # ", now 77 and retired in Portland, Maine, said": the credit itself names him, with its
    # verb as the cue, not a guess from the paragraph before
    text = (
        "Jonas Pell, a ferry captain, was freed in 1990.\n\n"
        "“If they had kept me, I would have spent years in a cell,” Mr. Pell, now 77 and retired"
        " in Portland, Maine, said by telephone this week."
    )
    quotes = [q for q in _quotes(text, registry, nlp) if q.kind == "direct"]
    assert [(q.speaker, q.cue) for q in quotes] == [("Jonas Pell", "said")]


@pytest.mark.parametrize(
    "text",
    [
        "Councillor Ada Rusk was asked about the flood defences by Omar Reyes. Rusk, exasperated,"
        " finally responded: “What difference does it make now?” Her critics cited it for weeks.",
        "Councillor Ada Rusk was asked about the flood defences. “What difference does it make"
        " now?” Her critics repeated it for weeks.",
    ],
)
def test_a_clause_about_the_words_is_not_their_credit(registry, nlp, text) -> None:
    # "cited it", "repeated it": the quotation is the clause's object, said by someone else
    assert [s for _, s in _direct(_quotes(text, registry, nlp))] == ["Ada Rusk"]


def test_as_someone_put_it_is_still_a_credit(registry, nlp) -> None:
    text = "The main test is a “lawful source of income,” as a Home Office memo put it."
    assert [s for _, s in _direct(_quotes(text, registry, nlp))] == ["Home Office"]


def test_a_quoted_question_run_into_the_sentence_is_not_what_is_reported(nlp) -> None:
    # '"Is it over?" Dahl said critics seem tired': the parser sometimes runs the quoted
    # question into the next sentence and hangs it on "said" as a second clause; "X said
    # <clause>" reports the clause after the verb. (Parsed by hand: the small model does
    # this on long real pages, not on one written sentence.)
    words = ['"', "Is", "it", "over", "?", '"', "Dahl", "said", "critics", "seem", "tired", "."]
    heads = [7, 7, 1, 1, 1, 7, 7, 7, 9, 7, 9, 7]
    deps = ["punct", "ccomp", "nsubj", "acomp", "punct", "punct", "nsubj", "ROOT", "nsubj",
            "ccomp", "acomp", "punct"]  # fmt: skip
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps)
    assert _complement(doc[7]).text == "seem"
    # with no subject before the verb ('"Is it over?" said critics ...') nothing changes
    no_subject = Doc(nlp.vocab, words=words, heads=heads, deps=[*deps[:6], "dep", *deps[7:]])
    assert _complement(no_subject[7]).text == "Is"


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        # a speech noun with its source: a possessive, the verb that voiced it
        (
            "Lars Dahl's complaint that the harbour was unsafe was ignored.",
            "the harbour was unsafe",
            "Lars Dahl",
        ),
        (
            "Harbour officials raised concerns that the sea wall would not hold.",
            "the sea wall would not hold",
            "Harbour officials",
        ),
        (
            "Nina Okafor, a councillor, made the argument that the ferry should run at night.",
            "the ferry should run at night",
            "Nina Okafor",
        ),
    ],
)
def test_a_speech_noun_reports_its_that_clause(registry, nlp, text, content, speaker) -> None:
    assert (content, speaker) in _indirect(_quotes(text, registry, nlp))


def test_a_speech_noun_with_no_source_still_reports_what_was_said(registry, nlp) -> None:
    # "the 2019 admission that ...": what was admitted is reported, though no one is named
    quotes = _quotes("The 2019 admission that he had misled the council ended it.", registry, nlp)
    assert [t for t, _ in _indirect(quotes)] == ["he had misled the council"]
    # "the fact that ..." is no speech noun
    assert _indirect(_quotes("The fact that the wall cracked ended it.", registry, nlp)) == []


@pytest.mark.parametrize(
    "text",
    [
        "Harbour master Lars Dahl told Governor Okafor agreement with the dockers was still"
        " possible.",
        "    • Mayor Lars Dahl told President Nina Okafor agreement with the dockers was still"
        " possible",
    ],
)
def test_a_subject_read_as_the_object_of_told_is_part_of_the_report(registry, nlp, text) -> None:
    # the parser makes "Governor Okafor agreement with the dockers" one object of "told",
    # leaving "was still possible" with no subject; the addressee is not reported
    reports = [t for t, _ in _indirect(_quotes(text, registry, nlp))]
    assert reports == ["agreement with the dockers was still possible"]


def test_a_report_between_quotations_moves_the_speaker_on(registry, nlp) -> None:
    text = (
        "“Major changes now are dangerous,” Lars Dahl wrote. “They are not a good idea.”\n\n"
        "Nina Okafor argued in her email that the incident shows why the rules must change.\n\n"
        "“Is it wise to give the chair such power over the whole council?”"
    )
    assert [s for _, s in _direct(_quotes(text, registry, nlp))] == [
        "Lars Dahl",
        "Lars Dahl",
        "Nina Okafor",
    ]


def test_a_participle_of_saying_after_a_report_goes_on_with_the_reporter(registry, nlp) -> None:
    # "stating" hangs on the reported clause ("Reyes represents ..."), but Dahl is stating
    text = (
        "Lars Dahl said last week that Tom Reyes represents “harbour values,” stating during the"
        " debate that they are “socially liberal and focused around money.”"
    )
    quotes = _quotes(text, registry, nlp)
    assert {s for _, s in _direct(quotes)} == {"Lars Dahl"}
    assert {s for _, s in _indirect(quotes)} == {"Lars Dahl"}


def test_a_participle_after_an_added_credit_stays_with_its_speaker(registry, nlp) -> None:
    text = (
        "Tom Reyes cannot say that “from his perspective,” Lars Dahl added, saying it should be"
        " “up to the council to move forward or not.”"
    )
    quotes = _quotes(text, registry, nlp)
    assert ("up to the council to move forward or not.", "Lars Dahl") in _direct(quotes)


def test_the_agent_of_a_passive_asks_about_the_topic(registry, nlp) -> None:
    text = (
        "The mayor spent his talking points early. When pressed by Nina Okafor about how he"
        " would actually reopen the port, his best response was to promise a study."
    )
    with ranker.disabled():  # the rule itself names her, not the ranker's guess
        quotes = _quotes(text, registry, nlp)
    assert _indirect(quotes) == [("how he would actually reopen the port", "Nina Okafor")]


@pytest.mark.parametrize(
    "text",
    [
        "According to the Harbour Gazette, those documents reveal the council has asked"
        " shipping firms for money.",
        "In fact, port records show the council has asked shipping firms for money, according"
        " to the Harbour Gazette.",
    ],
)
def test_records_a_named_source_cites_speak_for_that_source(registry, nlp, text) -> None:
    assert _indirect(_quotes(text, registry, nlp)) == [
        ("the council has asked shipping firms for money", "Harbour Gazette")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "“It is a two-person race in the harbour,” said Lars Dahl, editor of the Harbour"
        " Times.\n\nNina Okafor, a historian, agreed. “Mainstream councillors are running out"
        " of time to find an alternative.”",
        "“It is a two-person race in the harbour,” said Lars Dahl, editor of the Harbour"
        " Times.\n\nNina Okafor disagreed. “Mainstream councillors have plenty of time.”",
        # a long subject before a short predicate
        "“It is a two-person race in the harbour,” said Lars Dahl, editor of the Harbour"
        " Times.\n\nNina Okafor, the communications director for the Harbour Workers Union"
        " said in a statement. “Mainstream councillors have plenty of time.”",
    ],
)
def test_a_sentence_of_saying_just_before_a_quotation_names_its_speaker(
    registry, nlp, text
) -> None:
    assert [s for _, s in _direct(_quotes(text, registry, nlp))] == ["Lars Dahl", "Nina Okafor"]


def test_a_sentence_with_words_of_its_own_does_not_name_the_next_quotation(registry, nlp) -> None:
    text = (
        "“We will reopen it soon,” Lars Dahl said.\n\nNina Okafor said the port was shut."
        " “It stays shut until spring.”"
    )
    # "said the port was shut" reports her words; the quotation after goes on with her
    # through the report, not through this rule's cue
    quotes = [q for q in _quotes(text, registry, nlp) if q.kind == "direct"]
    assert quotes[-1].speaker == "Nina Okafor" and quotes[-1].cue is None


@pytest.mark.parametrize(
    "text",
    [
        "Ines Varga was blunt about the budget, saying the council must cut its spending.",
        "Ines Varga dodged the question, pointing to her record and saying the council must "
        "cut its spending.",
    ],
)
def test_a_participle_of_saying_takes_the_subject_up_its_chain_of_verbs(
    registry, nlp, text: str
) -> None:
    quotes = _quotes(text, registry, nlp)
    assert _indirect(quotes) == [("the council must cut its spending", "Ines Varga")]


def test_a_share_of_respondents_read_as_a_number_is_who_says(registry, nlp) -> None:
    quotes = _quotes("About 5 in 10 say they expect the ferry to close.", registry, nlp)
    assert _indirect(quotes) == [("they expect the ferry to close", "About 5 in 10")]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Mira Toth, the harbour master, says the ferry talks were “very useful” and has "
            "criticised the council for the delays, claiming it has left the island cut off.",
            "it has left the island cut off",
        ),
        (
            "Mira Toth says that the port has been “very open” and says the figures it publishes "
            "can be checked by anyone.",
            "the figures it publishes can be checked by anyone",
        ),
    ],
)
def test_a_verb_parsed_into_the_reported_clause_goes_on_with_the_reporter(
    registry, nlp, text: str, content: str
) -> None:
    quotes = _quotes(text, registry, nlp)
    assert (content, "Mira Toth") in _indirect(quotes)


# --- quotation marks typed inconsistently ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        (  # a straight opening mark closed by a curly one
            'The plan was "too costly,” said Ana Ruiz. "We will vote against it.”',
            ["too costly,", "We will vote against it."],
        ),
        (  # an opening curly mark turned the wrong way at the end of a quotation
            "“It is unusual,“ said Ana Ruiz, a lawyer. “It is hard to do well.”",
            ["It is unusual,", "It is hard to do well."],
        ),
    ],
)
def test_a_quotation_ends_at_a_closing_mark_of_another_style(text: str, spans: list[str]) -> None:
    assert [text[a:b] for a, b, _, _ in quote_spans(text)] == spans


def test_a_dash_credit_the_reader_turned_into_a_bullet_names_the_speaker(registry, nlp) -> None:
    text = (
        "The fact-checkers looked at three claims.\n\n"
        "“The idea that I would close the clinic is just not accurate.”\n\n"
        "• Leo Marsh.\n\n"
        "Marsh exaggerates when he says he built it."
    )
    quotes = _quotes(text, registry, nlp)
    assert _direct(quotes) == [
        ("The idea that I would close the clinic is just not accurate.", "Leo Marsh")
    ]


def test_the_name_of_a_work_hands_no_speaker_to_the_next_quotation(registry, nlp) -> None:
    text = (
        "Ivo Brandt was joined on Monday by Lena Kurz, star of the baking show “Proof.” "
        "Kurz praised Brandt’s leadership after the flood.\n"
        "“We need someone who gets things done and brings people together.”"
    )
    # The rules alone: no speaker is remembered from the title (before, the quotation went
    # on with whoever the title "Proof." was given to). Who said it is the ranker's guess.
    with ranker.disabled():
        quotes = _quotes(text, registry, nlp)
    assert _direct(quotes) == [
        ("We need someone who gets things done and brings people together.", None)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ana Ruiz’s response was that the council had never asked for the money.",
            ("the council had never asked for the money", "Ana Ruiz"),
        ),
        (
            "A common refrain in the harbour is that the ferry will never return.",
            ("the ferry will never return", None),
        ),
    ],
)
def test_a_speech_noun_that_is_the_subject_of_a_copula_reports_its_clause(
    registry, nlp, text: str, expected: tuple[str, str | None]
) -> None:
    assert _indirect(_quotes(text, registry, nlp)) == [expected]


def test_a_noun_of_reasons_before_a_copula_reports_nothing(registry, nlp) -> None:
    assert _indirect(_quotes("The reason is that the ferry was too old.", registry, nlp)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Volodymyr Zelensky often meets foreign leaders. An aide said on Wednesday that "
            "Zelensky will meet any candidate.",
            ("Zelensky will meet any candidate", "aide"),
        ),
        (
            "The harbour board met on Monday. A senior aide said Volodymyr Zelensky would "
            "travel again.",
            ("Volodymyr Zelensky would travel again", "senior aide"),
        ),
    ],
)
def test_a_newcomer_introduced_by_description_is_not_who_the_sentence_is_about(
    registry, nlp, text: str, expected: tuple[str, str]
) -> None:
    assert _indirect(_quotes(text, registry, nlp)) == [expected]


def test_who_conveys_a_message_is_its_source(registry, nlp) -> None:
    quotes = _quotes(
        "Some harbour pilots are trying to convey the message that nothing has fundamentally "
        "changed.",
        registry,
        nlp,
    )
    assert _indirect(quotes) == [("nothing has fundamentally changed", "harbour pilots")]


def test_a_dateline_paragraph_is_no_part_of_the_next_sentence(registry, nlp) -> None:
    text = (
        "HARBOURTOWN (AP) — The Latest on the ferry strike (all times local):\n\n"
        "9:34 p.m.\n\n"
        "Ana Ruiz has delivered a defence of the “harbour values,” saying the town embodied "
        "the “heart and soul of the coast.”"
    )
    quotes = _quotes(text, registry, nlp)
    assert {speaker for _, speaker in _direct(quotes) + _indirect(quotes)} == {"Ana Ruiz"}
    assert [s.text.strip() for s in nlp(text).sents][1] == "9:34 p.m."


def _parsed(words: list[str], heads: list[int], deps: list[str], pos: list[str], tags: list[str]):
    """A Doc as the parser read it (for parses too rare to write a sentence for)."""
    return Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos, tags=tags)


def test_a_participle_on_a_noun_that_cannot_speak_goes_with_who_acts() -> None:
    # the parser's reading of "Ruiz made an attempt, writing that it failed": the
    # participle hung on the noun "attempt"
    doc = _parsed(
        ["Ruiz", "made", "an", "attempt", ",", "writing", "that", "it", "failed"],
        [1, 1, 3, 1, 3, 3, 8, 8, 5],
        ["nsubj", "ROOT", "det", "dobj", "punct", "acl", "mark", "nsubj", "ccomp"],
        ["PROPN", "VERB", "DET", "NOUN", "PUNCT", "VERB", "SCONJ", "PRON", "VERB"],
        ["NNP", "VBD", "DT", "NN", ",", "VBG", "IN", "PRP", "VBD"],
    )
    found = _subject(doc[5])
    assert found is not None and found.text == "Ruiz"


def test_a_participle_on_a_noun_that_can_speak_goes_with_the_noun() -> None:
    doc = _parsed(
        ["with", "the", "minister", "saying", "it", "failed"],
        [0, 2, 0, 2, 5, 3],
        ["ROOT", "det", "pobj", "acl", "nsubj", "ccomp"],
        ["ADP", "DET", "NOUN", "VERB", "PRON", "VERB"],
        ["IN", "DT", "NN", "VBG", "PRP", "VBD"],
    )
    found = _subject(doc[3])
    assert found is not None and found.text == "minister"


def test_the_subject_of_a_relative_clause_is_not_who_a_description_means(registry, nlp) -> None:
    quotes = _quotes(
        "Sarah Collins is launching her campaign in the harbour town, where Tom Varga leads "
        "comfortably.\n\nThe candidate is telling reporters that the ferry will return.",
        registry,
        nlp,
    )
    assert _indirect(quotes) == [("the ferry will return", "Sarah Collins")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Since last November, according to the harbour board, the ferry has carried more "
            "than 400 cars a day.",
            [
                (
                    "Since last November, according to the harbour board, the ferry has carried "
                    "more than 400 cars a day",
                    "harbour board",
                )
            ],
        ),
        (
            "“Is this a priority for the two of them?” Ana Ruiz said at a press conference, "
            "according to the Harbour Gazette.",
            [],
        ),
    ],
)
def test_according_to_inside_a_clause_reports_the_whole_clause(
    registry, nlp, text: str, expected: list[tuple[str, str]]
) -> None:
    assert _indirect(_quotes(text, registry, nlp)) == expected


def test_a_comparative_count_is_no_part_of_the_group_that_speaks(registry, nlp) -> None:
    quotes = _quotes("More than 20 residents said the council had ignored them.", registry, nlp)
    assert [q.speaker_surface for q in quotes if q.kind == "indirect"] == ["residents"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            # a verb of saying in the clause, and a relative clause on the source
            "The militia has repeatedly called for attacks on ferries, according to the Harbour "
            "Security Forum, which tracks threats to shipping.",
            [
                (
                    "The militia has repeatedly called for attacks on ferries",
                    "Harbour Security Forum",
                )
            ],
        ),
        (
            # an attribution with a quotation of its own is relayed, not reported
            "“Why should we pay?” Ana Ruiz asked reporters, according to the Harbour Gazette.",
            [],
        ),
    ],
)
def test_according_to_after_a_clause_that_speaks_of_its_own_reports_it(
    registry, nlp, text: str, expected: list[tuple[str, str]]
) -> None:
    assert _indirect(_quotes(text, registry, nlp)) == expected


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "Ferry traffic fell 3.5 percent in March, according to data released on Friday by "
            "the port's regulators.",
            "data released on Friday by the port's regulators",
        ),
        (
            "In the north the mayor leads by 9 points, according to the latest Harbour Times "
            "polling average.",
            "latest Harbour Times polling average",
        ),
    ],
)
def test_a_cited_source_that_is_no_actor_is_named_by_its_phrase(
    registry, nlp, text: str, source: str
) -> None:
    # Before, the source resolved to no one and the ranker guessed a person from the
    # context; the text names the source, so the phrase is the answer.
    quotes = _quotes("Ana Ruiz, the mayor, opened the new pier.\n\n" + text, registry, nlp)
    assert [q.speaker for q in quotes if q.kind == "indirect"] == [source]


def test_a_percentage_of_a_group_is_who_says(registry, nlp) -> None:
    quotes = _quotes("In the poll, 85% of Democrats said they backed the levy.", registry, nlp)
    assert _indirect(quotes) == [("they backed the levy", "85% of Democrats")]


def test_a_name_hung_on_the_organisation_after_a_role_is_the_role_holder(registry, nlp) -> None:
    quotes = _quotes(
        "Karl Weber opened the meeting.\n\n"
        "The director of the European Centre, Ina Kirsch, said the talks had stalled.",
        registry,
        nlp,
    )
    assert _indirect(quotes) == [("the talks had stalled", "Ina Kirsch")]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Some say the levy will drive shipping firms away.", "Some"),
        ("Others argued that the levy was unfair.", "Others"),
        ("Many of the ferry's regular passengers say they will stop using it.",
         "Many of the ferry's regular passengers"),
    ],
)  # fmt: skip
def test_an_unnamed_part_of_a_group_is_named_by_its_words(
    registry, nlp, text: str, source: str
) -> None:
    # never a person from the context ("Ana Ruiz" before them)
    quotes = _quotes("Ana Ruiz, the mayor, opened the new pier.\n\n" + text, registry, nlp)
    assert [q.speaker for q in quotes if q.kind == "indirect"] == [source]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Senate Democrats argued that the levy was flawed.", "Senate Democrats"),
        ("House Republicans said the levy would pass.", "House Republicans"),
        # an organisation's own name stays the organisation
        ("United Dock Workers said the levy would pass.", "United Dock Workers"),
    ],
)
def test_a_group_named_after_its_institution_speaks_as_the_group(
    registry, nlp, text: str, source: str
) -> None:
    quotes = _quotes(text, registry, nlp)
    assert [q.speaker for q in quotes if q.kind == "indirect"] == [source]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Data show that ferry use has fallen since the levy.", "Data"),
        ("Census data suggest that ferry use has fallen since the levy.", "Census data"),
    ],
)
def test_data_speak_by_their_phrase(registry, nlp, text: str, source: str) -> None:
    # the lemmatizer reads "data" as "datum": the word lists still know it
    quotes = _quotes("Ana Ruiz, the mayor, opened the new pier.\n\n" + text, registry, nlp)
    assert [q.speaker for q in quotes if q.kind == "indirect"] == [source]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "There is anxiety among harbour workers that the port will close in May.",
            [("the port will close in May", "harbour workers")],
        ),
        (
            "Ana Ruiz expressed hope that the ferry would run again by May.",
            [("the ferry would run again by May", "Ana Ruiz")],
        ),
        # a belief no one holds in the text is no one's report
        ("The levy raises fears that the ferry would stop.", []),
        ("It was an idea that had been floated before.", []),
    ],
)
def test_a_belief_noun_with_a_holder_reports_its_that_clause(
    registry, nlp, text: str, expected: list[tuple[str, str]]
) -> None:
    assert _indirect(_quotes(text, registry, nlp)) == expected


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Ana Ruiz and Tom Varga argued. “That is simply false,” Varga shot back.", "shot"),
        ("Ana Ruiz spoke first. “That is false,” Tom Varga hit back on Monday.", "hit"),
        ("Ana Ruiz spoke first. Moments later Tom Varga chimed in, “That is false.”", "chimed"),
    ],
)
def test_a_verb_with_a_particle_of_reply_is_a_verb_of_saying(registry, nlp, text, cue) -> None:
    quotes = _quotes(text, registry, nlp)
    assert [(q.speaker, q.cue) for q in quotes] == [("Tom Varga", cue)]


def test_speaking_out_against_something_reports_no_words(registry, nlp) -> None:
    quotes = _quotes(
        "Tom Varga has spent months speaking out against the new levy on fishing boats.",
        registry,
        nlp,
    )
    assert quotes == []
