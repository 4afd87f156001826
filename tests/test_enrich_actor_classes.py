"""Actors on text the rules were not fitted to (issue 8, build 4): sentences written for
the test."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from sitroom.enrich.actors import (
    ActorRegistry,
    DocContext,
    _name_part,
    _person_after_weekday,
    _plausible_name,
)
from sitroom.enrich.pipeline import enrich_document
from sitroom.records import Byline, Document, Post

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def registry() -> ActorRegistry:
    return ActorRegistry.load()


def _mentions(body: str, registry, bylines=()) -> list[tuple[str, str, str]]:
    post = Post(key="p1", position=1, title=None, body=body, published=None, bylines=list(bylines))
    doc = Document(source="t", kind="article", format="t", posts=[post])
    ctx = DocContext(registry)
    found = enrich_document(doc, registry, context=ctx)["p1"].mentions
    return [(m.surface, m.actor, ctx.actor(m.actor).type) for m in found]


def test_places_are_never_people(registry) -> None:
    found = _mentions("Officials in Kherson said the ferry to Luhansk was cancelled.", registry)
    assert not [m for m in found if m[0] in ("Kherson", "Luhansk") and m[2] == "person"]


def test_byline_journalist_is_an_author_not_an_actor(registry) -> None:
    found = _mentions(
        "Greta Holm reports from Bergen. The harbour master, Lars Dahl, closed the port.",
        registry,
        bylines=[Byline("Greta Holm")],
    )
    assert [m[1] for m in found] == ["Lars Dahl"]


def test_surname_merged_with_the_full_name(registry) -> None:
    found = _mentions(
        "The harbour master, Lars Dahl, closed the port. Dahl later reopened it.", registry
    )
    assert [m[:2] for m in found] == [("Lars Dahl", "Lars Dahl"), ("Dahl", "Lars Dahl")]


def test_alias_fitting_two_people_is_never_merged(registry) -> None:
    found = _mentions(
        "Tom Varga and Paul Varga both spoke. Varga said the vote was fair.", registry
    )
    assert ("Varga", "Tom Varga") not in [m[:2] for m in found]
    assert ("Varga", "Paul Varga") not in [m[:2] for m in found]
    assert not [m for m in found if m[0] == "Varga"]


def test_a_lone_place_name_the_tagger_calls_a_person_is_no_actor(registry) -> None:
    found = _mentions("Kherson came under fire again overnight.", registry)
    assert [m for m in found if m[0] == "Kherson"] == []
    # a surname that is also a town somewhere stays the person met before
    found = _mentions(
        "Senator Maria Lopez spoke first. Later Lopez said the bill would pass.", registry
    )
    assert [m[:2] for m in found] == [
        ("Senator Maria Lopez", "Maria Lopez"),
        ("Lopez", "Maria Lopez"),
    ]


def test_journalists_credited_in_the_text_are_authors(registry) -> None:
    found = _mentions(
        "Additional reporting by Priya Nair in Delhi. The minister, Arjun Rao, resigned.", registry
    )
    assert [m[1] for m in found] == ["Arjun Rao"]
    found = _mentions(
        "Reporting by Karl Svensson and Ines Moreau; editing by Lisa Brandt.\n"
        "Police chief Hugo Stark said the road was shut.",
        registry,
    )
    assert [m[1] for m in found] == ["Hugo Stark"]
    found = _mentions("By Jane Okoro and Sam Hale\nBy Friday, Omar Haddad had resigned.", registry)
    assert [m[1] for m in found] == ["Omar Haddad"]
    found = _mentions(
        "Tom Ellis reports from the border. Guards there say Clara Weiss left.", registry
    )
    assert [m[1] for m in found] == ["Clara Weiss"]


def test_a_registry_surname_fitting_two_people_names_neither(registry) -> None:
    found = _mentions(
        "President Joe Biden spoke with Hunter Biden. Biden said he was proud.", registry
    )
    assert [m[:2] for m in found if m[0] == "Biden"] == []
    # a misspelt first name is the same person, not a second one
    found = _mentions(
        "President Vladimir Putin spoke. Valdimir Putin, as one caption had it, smiled. "
        "Putin said nothing more.",
        registry,
    )
    assert ("Putin", "Vladimir Putin") in [m[:2] for m in found]


def test_fragments_of_lists_are_never_actors(registry) -> None:
    ctx = DocContext(registry)
    assert ctx.learn_org("war, anti-Trump, pro-Europe") is None
    assert ctx.learn_person("Lee; Park") is None
    assert ctx.learn_org("Harbour Authority") == "Harbour Authority"
    assert ctx.learn_person("Aine O&#x2019;Dea") == "Aine O&#x2019;Dea"  # an escaped apostrophe
    assert ctx.learn_person("x201C;We") is None  # half an escaped quotation mark
    assert ctx.actor("war, anti-Trump, pro-Europe") is None


@pytest.mark.parametrize(
    ("headline", "name", "surname"),
    [
        ("Greta Holm Explained Why.", "Greta Holm", "Holm"),
        ("Tom Varga Refuses To Resign.", "Tom Varga", "Varga"),
        ("Paul Hardy Wins Again.", "Paul Hardy", "Hardy"),
    ],
)
def test_a_headline_verb_is_no_part_of_a_name(registry, headline, name, surname) -> None:
    # A title-cased headline runs the tagger's person into the verb after it; learned whole,
    # "Tom Varga Refuses To Resign" would be a second person sharing "Varga" and leave the
    # later lone surname with no one.
    found = _mentions(
        f"{headline}\n\n{name} spoke on Monday. {surname} said the vote was fair.", registry
    )
    assert {m[1] for m in found if m[2] == "person"} == {name}
    assert (surname, name) in [m[:2] for m in found]


def test_a_name_with_a_word_of_punctuation_is_a_fragment(registry) -> None:
    ctx = DocContext(registry)
    assert ctx.learn_person("Weak - Varga") is None
    assert ctx.learn_person("Tom Varga") == "Tom Varga"
    assert ctx.learn_person("Jean-Luc Varga") == "Jean-Luc Varga"


def test_a_name_after_an_employers_possessive_is_a_person(registry) -> None:
    # the tagger reads "Harbour Radio’ Sean Tully" as one organisation: the employer's
    # possessive ends it, and the name after it is the person ("Tully asked" names him)
    found = _mentions(
        "The mayor told Harbour Radio’ Sean Tully that the wall was safe. Later Tully said the"
        " mayor was wrong.",
        registry,
    )
    assert ("Sean Tully", "Sean Tully", "person") in found
    assert ("Tully", "Sean Tully", "person") in found


def test_an_entity_running_over_a_spaced_dash_ends_before_it(registry) -> None:
    found = _mentions(
        "The levy would raise only $2 billion a year, according to the Harbour Policy Center -"
        " half a percentage point of the port's income.",
        registry,
    )
    assert [m[:2] for m in found if "Center" in m[0]] == [
        ("the Harbour Policy Center", "Harbour Policy Center")
    ]


@pytest.mark.parametrize(
    ("words", "tags", "pos", "name"),
    [
        # the tagger's reading of a real headline: the modal taken for a second name
        (
            ["Varga", "May", "Not", "Have", "Voted"],
            ["NNP", "NNP", "RB", "VB", "VBN"],
            ["PROPN", "PROPN", "PART", "AUX", "VERB"],
            "Varga",
        ),
        (["Holm", "Will", "Run"], ["NNP", "NNP", "VB"], ["PROPN", "PROPN", "VERB"], "Holm"),
        # "May" before a verb of the third person is a name
        (
            ["Theresa", "May", "Says"],
            ["NNP", "NNP", "VBZ"],
            ["PROPN", "PROPN", "VERB"],
            "Theresa May",
        ),
        # a headline's capitalised linking word between two words ends the name
        (
            ["Kovacs", "To", "Farmers", "Worried"],
            ["NNP", "NNP", "NNP", "NNP"],
            ["PROPN", "ADP", "PROPN", "PROPN"],
            "Kovacs",
        ),
        (
            ["Anna", "Varga", "For", "Voters"],
            ["NNP", "NNP", "IN", "NNPS"],
            ["PROPN", "PROPN", "ADP", "PROPN"],
            "Anna Varga",
        ),
        # at the name's edge the same word can be a name ("said Al From")
        (["Al", "From"], ["NNP", "NNP"], ["PROPN", "PROPN"], "Al From"),
    ],
)
def test_a_headline_modal_is_no_part_of_a_name(words, tags, pos, name) -> None:
    doc = Doc(spacy.blank("en").vocab, words=words, tags=tags, pos=pos)
    part = _name_part(doc[0 : len(words)])
    assert part is not None and part.text == name


def test_a_lone_name_met_before_the_full_name_is_that_person(registry) -> None:
    found = _mentions(
        "Holm Will Run Again.\n\nGreta Holm spoke on Monday. Holm said the vote was fair.",
        registry,
    )
    assert [m[:2] for m in found] == [
        ("Holm", "Greta Holm"),
        ("Greta Holm", "Greta Holm"),
        ("Holm", "Greta Holm"),
    ]


def test_a_lone_name_that_fits_two_people_met_later_stays_apart(registry) -> None:
    found = _mentions("Hardy Wins Again.\n\nTom Hardy and Paul Hardy spoke on Monday.", registry)
    assert [m[:2] for m in found][0] == ("Hardy", "Hardy")


@pytest.mark.parametrize(
    ("words", "name"),
    [
        (["Sunday", "Ana", "Ruiz"], "Ana Ruiz"),  # the last word is used again below
        (["Saturday", "Dr.", "Ella", "Marsh"], "Dr. Ella Marsh"),  # a title
        (["Friday", "Harbour", "Council"], None),  # nothing says a person
        (["Sunday", "March", "5"], None),  # a date
    ],
)
def test_a_name_the_tagger_ran_into_a_weekday_is_a_person(words, name) -> None:
    # as the tagger reads "On Sunday Ana Ruiz said ...": one date entity
    all_words = ["On", *words, "said", ".", "Ruiz", "agreed", "."]
    tags = [
        "IN",
        *["NNP" if w[0].isalpha() else "CD" for w in words],
        "VBD",
        ".",
        "NNP",
        "VBD",
        ".",
    ]
    pos = [
        "ADP",
        *["PROPN" if w[0].isalpha() else "NUM" for w in words],
        "VERB",
        "PUNCT",
        "PROPN",
        "VERB",
        "PUNCT",
    ]
    ents = ["O", "B-DATE", *["I-DATE"] * (len(words) - 1), "O", "O", "O", "O", "O"]
    doc = Doc(spacy.blank("en").vocab, words=all_words, tags=tags, pos=pos, ents=ents)
    found = _person_after_weekday(doc.ents[0])
    assert (found.text if found is not None else None) == name


def test_a_name_after_a_weekday_is_the_persons_mention(registry) -> None:
    found = _mentions(
        "On Sunday Ana Ruiz said the port would reopen. Ruiz added that ferries would run.",
        registry,
    )
    assert [m[:2] for m in found] == [("Ana Ruiz", "Ana Ruiz"), ("Ruiz", "Ana Ruiz")]


@pytest.mark.parametrize(
    "body",
    [
        # the tagger reads the lone surname as a place (a city's name) or as a person
        # whose name is also a large city's
        "The envoy Maria Preston arrived on Monday.\n\nPreston said talks would resume.",
        "Harbour chief Olav Bradford spoke. Bradford said the port was shut.",
        "Mayor Tom Lincoln opened the bridge. Lincoln said it had cost too much.",
    ],
)
def test_a_surname_that_is_also_a_city_is_the_person_met(body, registry) -> None:
    found = _mentions(body, registry)
    full = found[0][1]
    surname = full.split()[-1]
    assert [m[:2] for m in found if m[0] == surname] == [(surname, full)]


def test_a_city_after_a_preposition_of_place_stays_a_place(registry) -> None:
    found = _mentions(
        "The envoy Maria Preston arrived on Monday. Officials in Preston closed the roads.",
        registry,
    )
    assert [m[0] for m in found] == ["The envoy Maria Preston"]


def test_a_place_is_no_first_name(registry) -> None:
    # "Georgia" is the first name of a person met, and a country: only a surname is taken
    found = _mentions("Georgia Meloni spoke. Georgia said the border was calm.", registry)
    assert [m[0] for m in found] == ["Georgia Meloni"]


def test_a_name_with_a_quotation_mark_left_open_is_no_actor(registry) -> None:
    found = _mentions(
        "The minister, Lena Holm, is suing the county for its “Harbour Bill,” which lets "
        "owners decide who may moor where. Holm said the county had gone too far.",
        registry,
    )
    assert [m for m in found if "“" in m[0] or "”" in m[0]] == []
    assert ("Holm", "Lena Holm") in [m[:2] for m in found]


def test_a_nickname_in_quotes_is_part_of_a_name() -> None:
    assert _plausible_name("Jesús “Chuy” García")
    assert not _plausible_name("its “Harbour Bill")
    assert not _plausible_name('">Holm')
