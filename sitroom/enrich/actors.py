"""Actors: a registry of real people and organisations with dated roles, plus what one
document teaches about its own cast (titles and appositives, surnames of full names met
earlier). Principle: a wrong merge is worse than a missed mention, so every ambiguous
alias resolves to nothing rather than to a guess."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import Literal

import yaml
from spacy.tokens import Doc, Span, Token

from sitroom.enrich.places import lookup as lookup_place
from sitroom.records import Actor, Mention, Role, TextField

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "actors.yaml"

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
# Honorifics that are not part of a canonical personal name.
_HONORIFICS = {
    "sir",
    "dame",
    "lord",
    "lady",
    "prof",
    "professor",
    "dr",
    "mr",
    "mrs",
    "ms",
    "general",
    "gen",
}
# Words that make a capitalised phrase in front of a name an office, not part of the name.
_ROLE_WORDS = {
    "president",
    "minister",
    "secretary",
    "chancellor",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chief",
    "head",
    "leader",
    "ambassador",
    "envoy",
    "commander",
    "general",
    "adviser",
    "advisor",
    "aide",
    "mayor",
    "governor",
    "director",
    "chairman",
    "chair",
    "correspondent",
    "editor",
    "analyst",
    "professor",
    "prof",
    "pm",
    "premier",
    "king",
    "queen",
    "prince",
    "senator",
    "mp",
    "official",
    "diplomat",
    "expert",
    "representative",
    "deputy",
    "foreign",
    "defence",
    "defense",
    "prime",
    "vice",
    "reporter",
    "chairwoman",
}


def norm(surface: str) -> str:
    """Lookup key of a surface form: case, apostrophe style, spacing and a leading 'the' do
    not change who is meant."""
    text = " ".join(surface.translate(_APOSTROPHES).split()).casefold()
    text = re.sub(r"^the ", "", text)
    return re.sub(r"'s$", "", text).strip(" ,.")


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value  # type: ignore[return-value]
    return date.fromisoformat(str(value))


def _day(when: datetime | date | None) -> date | None:
    if isinstance(when, datetime):
        return when.date()
    return when


@dataclass
class RoleDef:
    """One office with its holders over time."""

    title: str
    aliases: list[str]
    generic: list[str]
    holders: list[Role]

    def holder_at(self, when: datetime | date | None) -> str | None:
        day = _day(when)
        if day is None:
            # Without a date only an office that one person has held is unambiguous.
            names = {r.holder for r in self.holders}
            return next(iter(names)) if len(names) == 1 else None
        for role in self.holders:
            if (role.start is None or role.start <= day) and (role.end is None or day < role.end):
                return role.holder
        return None


@dataclass
class ActorRegistry:
    """Known actors and offices; `lookup` never picks between two candidates."""

    _actors: dict[str, Actor] = field(default_factory=dict)
    _alias_index: dict[str, set[str]] = field(default_factory=dict)
    _roles: list[RoleDef] = field(default_factory=list)
    _role_index: dict[str, list[RoleDef]] = field(default_factory=dict)
    _generic_index: dict[str, list[RoleDef]] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = None
    _surfaces: dict[str, str] = field(default_factory=dict)  # norm -> a registry spelling
    _spellings: dict[str, set[str]] = field(default_factory=dict)  # norm -> every spelling

    @classmethod
    def load(cls, extra_files: Sequence[Path] = ()) -> ActorRegistry:
        registry = cls()
        for path in [SHIPPED, *extra_files]:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
            registry._add_data(data)
        return registry

    def _add_data(self, data: dict) -> None:
        for row in data.get("actors") or []:
            self.add_actor(
                Actor(
                    name=row["name"],
                    type=row.get("type", "person"),
                    aliases=list(row.get("aliases") or []),
                    description=row.get("description"),
                )
            )
        for row in data.get("roles") or []:
            holders = [
                Role(
                    title=row["title"],
                    holder=h["name"],
                    start=_as_date(h.get("start")),
                    end=_as_date(h.get("end")),
                    aliases=list(row.get("aliases") or []),
                )
                for h in row.get("holders") or []
            ]
            self.add_role(
                RoleDef(
                    row["title"],
                    list(row.get("aliases") or []),
                    list(row.get("generic") or []),
                    holders,
                )
            )

    def add_actor(self, actor: Actor) -> None:
        known = self._actors.get(actor.name)
        if known is not None:
            known.aliases.extend(a for a in actor.aliases if a not in known.aliases)
        else:
            self._actors[actor.name] = actor
        for surface in [actor.name, *actor.aliases]:
            self._alias_index.setdefault(norm(surface), set()).add(actor.name)
            self._remember_spelling(surface)
        self._pattern = None

    def add_role(self, role: RoleDef) -> None:
        self._roles.append(role)
        for surface in [role.title, *role.aliases]:
            self._role_index.setdefault(norm(surface), []).append(role)
            self._remember_spelling(surface)
        for surface in role.generic:
            self._generic_index.setdefault(norm(surface), []).append(role)
            self._remember_spelling(surface)
        for holder in role.holders:
            if holder.holder not in self._actors:
                self.add_actor(Actor(name=holder.holder, type="person"))
        self._pattern = None

    def _remember_spelling(self, surface: str) -> None:
        self._surfaces.setdefault(norm(surface), surface)
        self._spellings.setdefault(norm(surface), set()).add(surface)

    def spelling_ok(self, text: str) -> bool:
        """Whether `text` is written with the capitals of one of the registry's spellings."""
        return any(_case_ok(s, text) for s in self._spellings.get(norm(text), {text}))

    def actors(self) -> list[Actor]:
        return list(self._actors.values())

    def get(self, name: str) -> Actor | None:
        return self._actors.get(name)

    def roles(self) -> list[RoleDef]:
        return list(self._roles)

    def candidates(self, surface: str) -> set[str]:
        return set(self._alias_index.get(norm(surface), set()))

    def holder(self, role_phrase: str, when: datetime | date | None) -> str | None:
        """Who held the office named by `role_phrase` at `when` (None if unknown/ambiguous)."""
        key = norm(role_phrase)
        holders = {r.holder_at(when) for r in self._role_index.get(key, [])}
        holders.discard(None)
        return holders.pop() if len(holders) == 1 else None

    def generic_holders(self, role_phrase: str, when: datetime | date | None) -> set[str]:
        """Every holder at `when` of an office a generic phrase ("the president") may name."""
        out = {r.holder_at(when) for r in self._generic_index.get(norm(role_phrase), [])}
        out.discard(None)
        return out  # type: ignore[return-value]

    def lookup(self, surface: str, when: datetime | date | None = None) -> Actor | None:
        """The one actor a surface form names at `when`; None when unknown or ambiguous."""
        names = self.candidates(surface)
        if not names:
            held = self.holder(surface, when)
            names = {held} if held else set()
        if len(names) != 1:
            return None
        return self._actors.get(names.pop())

    def pattern(self) -> re.Pattern[str]:
        """One regex over every registry surface form, longest first."""
        if self._pattern is None:
            surfaces = sorted(set(self._surfaces.values()), key=len, reverse=True)
            parts = [_surface_regex(s) for s in surfaces if len(norm(s)) >= 2]
            self._pattern = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.I)
        return self._pattern


def _surface_regex(surface: str) -> str:
    out = []
    for ch in surface.translate(_APOSTROPHES):
        if ch == "'":
            out.append("['’‘]")
        elif ch == " ":
            out.append(r"\s+")
        else:
            out.append(re.escape(ch))
    body = "".join(out)
    # "the X" aliases also match a bare "X"
    if surface.lower().startswith("the "):
        body = "(?:the\\s+)?" + body[len("the\\s+") :]
    return body


def _case_ok(alias: str, text: str) -> bool:
    """A capitalised word of the alias must be capitalised in the text (so "nato" in a URL
    or "trump" as a verb are not names), lowercase alias words may be either."""
    alias_words = alias.translate(_APOSTROPHES).split()
    text_words = text.translate(_APOSTROPHES).split()
    if alias_words and alias_words[0].lower() == "the" and len(text_words) < len(alias_words):
        alias_words = alias_words[1:]
    for a, t in zip(alias_words, text_words, strict=False):
        if a[:1].isupper() and not t[:1].isupper():
            return False
    return True


@dataclass
class DocContext:
    """What one document has taught so far: who was named, by what, in what order."""

    registry: ActorRegistry
    learned: dict[str, Actor] = field(default_factory=dict)
    learned_roles: dict[str, str] = field(default_factory=dict)  # norm(role phrase) -> name
    seen: list[str] = field(default_factory=list)  # actor names in order of mention

    def actor(self, name: str) -> Actor | None:
        return self.learned.get(name) or self.registry.get(name)

    def mentioned_actors(self) -> list[Actor]:
        """Every actor the document named, in order of last mention."""
        return [a for n in self.seen if (a := self.actor(n)) is not None]

    def learned_role_records(self) -> list[Role]:
        """Descriptions the document used for one person ("the Czech deputy foreign
        minister"), as undated roles of that person."""
        return [
            Role(title=phrase, holder=name) for phrase, name in self.learned_roles.items() if name
        ]

    def note(self, name: str) -> None:
        if name in self.seen:
            self.seen.remove(name)
        self.seen.append(name)

    def merge_early_surnames(self) -> dict[str, str]:
        """Lone names learned before the full name was met ("Holm Will Run Again", then
        "Greta Holm spoke"), mapped to the one full name that has them; they leave the
        document's actors. A lone name that fits two people stays apart."""
        merged: dict[str, str] = {}
        for name, actor in list(self.learned.items()):
            if actor.type != "person" or len(name.split()) != 1 or self.shared_part(name):
                continue
            full = self.by_part(name)
            if full is not None and full != name:
                merged[name] = full
                del self.learned[name]
                if name in self.seen:
                    self.seen.remove(name)
        return merged

    def persons_seen(self) -> list[str]:
        return [n for n in self.seen if (a := self.actor(n)) is not None and a.type == "person"]

    def learn_person(self, name: str) -> str | None:
        """A person the document names; None for a fragment that names no one. Every word
        of a person's name holds a letter: "Weak - Rubio", cut from a chant, is no one, and
        learned as a person it would make "Rubio" fit two people."""
        if not all(any(c.isalpha() for c in word) for word in name.split()):
            return None
        return self._learn(name, "person")

    def learn_org(self, name: str) -> str | None:
        """An organisation the document names; None for a fragment ("war, anti-Trump")."""
        return self._learn(name, "org")

    def _learn(self, name: str, kind: Literal["person", "org"]) -> str | None:
        if not _plausible_name(name):
            return None
        if self.registry.get(name) is None and name not in self.learned:
            self.learned[name] = Actor(name=name, type=kind, learned=True)
        return name

    def learn_role(self, phrase: str, name: str) -> None:
        key = norm(phrase)
        if not key or key in self.learned_roles and self.learned_roles[key] != name:
            # Two people with the same description in one document: it names neither.
            self.learned_roles[key] = ""
            return
        self.learned_roles[key] = name

    def by_part(self, word: str, last_only: bool = False) -> str | None:
        """A lone surname (or first name, unless `last_only`) -> the one full name met
        earlier that has it."""
        key = word.casefold()
        hits = set()
        for name in self.seen:
            actor = self.actor(name)
            if actor is None or actor.type != "person":
                continue
            parts = [p.casefold() for p in name.split()]
            if len(parts) >= 2 and (key == parts[-1] or key == parts[0] and not last_only):
                hits.add(name)
        return hits.pop() if len(hits) == 1 else None

    def shared_part(self, word: str) -> bool:
        """Whether a lone name fits two or more people met so far ("Hardy" after Tom Hardy
        and Paul Hardy): such an alias is never merged with either."""
        key = word.casefold()
        hits = {
            name
            for name in self.seen
            if (a := self.actor(name)) is not None
            and a.type == "person"
            and key in [p.casefold() for p in name.split()[:1] + name.split()[-1:]]
            and len(name.split()) >= 2
        }
        people: list[str] = []
        for name in sorted(hits):
            if not any(_same_spelled(name, other) for other in people):
                people.append(name)
        return len(people) >= 2

    def resolve(self, surface: str, when: datetime | date | None) -> tuple[str | None, str]:
        """(actor name, how) for a surface form, using document knowledge first."""
        key = norm(surface)
        if key in self.learned_roles:
            return (self.learned_roles[key] or None), "role"
        names = self.registry.candidates(surface)
        if len(names) > 1:
            # An ambiguous alias is settled only by a full name the document has already used.
            seen = [n for n in names if n in self.seen]
            return (seen[0], "alias") if len(seen) == 1 else (None, "alias")
        if len(names) == 1:
            name = names.pop()
            via = "name" if norm(name) == key else "alias"
            if via == "alias" and len(key.split()) == 1:
                # A registry surname yields to a different full name the document uses, and
                # names no one when it fits two people met ("Biden" after Hunter Biden).
                local = self.by_part(surface)
                if local is not None and local != name:
                    return local, "surname"
                if local is None and self.shared_part(surface):
                    return None, "alias"
            return name, via
        held = self.registry.holder(surface, when)
        if held:
            return held, "role"
        generic = self.registry.generic_holders(surface, when)
        if generic:
            seen = [n for n in generic if n in self.seen]
            return (seen[0], "role") if len(seen) == 1 else (None, "role")
        if key in {n.casefold() for n in self.learned}:
            return next(n for n in self.learned if n.casefold() == key), "name"
        return None, "name"


# Heads of noun phrases that name an institution or a group acting as one source
# ("Ukraine's government", "the Trump administration", "Nato defence ministers").
_INSTITUTION_NOUNS = {
    "government",
    "administration",
    "ministry",
    "embassy",
    "official",
    "minister",
    "broadcaster",
    "media",
    "army",
    "navy",
    "military",
    "intelligence",
    "authority",
    "parliament",
    "presidency",
    "force",
    "forces",
    "leader",
    "diplomat",
    "prosecutor",
    "court",
    "agency",
    "service",
}
_ONE_PERSON_NOUNS = {"official", "minister", "leader", "diplomat", "prosecutor"}
_GROUP_MODIFIERS = {"NORP", "GPE", "ORG", "PERSON"}


# Two renderings of one name whose other parts are this alike are one person misspelt
# ("Valdimir Putin" beside "Vladimir Putin"), not two people sharing a surname.
_SAME_SPELLING_RATIO = 0.85


def _same_spelled(a: str, b: str) -> bool:
    first_a, first_b = " ".join(a.split()[:-1]).casefold(), " ".join(b.split()[:-1]).casefold()
    if a.split()[-1].casefold() != b.split()[-1].casefold():
        return False
    return SequenceMatcher(None, first_a, first_b).ratio() >= _SAME_SPELLING_RATIO


_ENTITY_RE = re.compile(r"&(?:#x?[0-9a-fA-F]+|[a-zA-Z]+);")


def _plausible_name(name: str) -> bool:
    """A name, not a fragment of a list, a sentence or markup ("war, anti-Trump, ...",
    'its “Bathroom Bill', '">Sanders'): no comma or semicolon, no quotation mark left open
    (a nickname in quotes is part of a name), no markup, at most eight words."""
    words = name.split()
    bare = _ENTITY_RE.sub("", name)  # "O&#x2019;Neill": a page's escaped apostrophe
    if any(c in bare for c in ",;<>=") or sum(bare.count(c) for c in '"“”') % 2:
        return False
    return bool(words) and len(words) <= 8


def clean_person_name(text: str) -> str:
    text = re.sub(r"['’]s$", "", text.strip())
    text = re.sub(r"^\W+|[^\w.]+$", "", text)
    words = text.split()
    while words and words[0].strip(".").casefold() in _HONORIFICS:
        words = words[1:]
    return " ".join(words)


def clean_org_name(text: str) -> str:
    text = re.sub(r"['’]s$", "", text.strip())
    return re.sub(r"^(?:the)\s+", "", text, flags=re.I)


def _title_before(ent: Span) -> Span | None:
    """The capitalised office phrase right before a name ("Polish Prime Minister")."""
    doc = ent.doc
    i = ent.start
    while i > 0:
        tok = doc[i - 1]
        if tok.is_title or tok.is_upper or tok.lower_ in _ROLE_WORDS or tok.tag_ == "POS":
            if tok.ent_type_ == "PERSON":
                break
            i -= 1
            continue
        if tok.lower_ in {"of", "for", "'s", "’s"} and i - 1 > ent.start - 6:
            i -= 1
            continue
        break
    while i < ent.start and (doc[i].lower_ in {"of", "for", "'s", "’s"} or doc[i].is_punct):
        i += 1
    if i == ent.start:
        return None
    span = doc[i : ent.start]
    if not any(t.lower_ in _ROLE_WORDS for t in span):
        return None
    return span


def _appositive_role(ent: Span) -> Span | None:
    """ "Josep Borrell, the EU's top diplomat," -> the appositive noun phrase."""
    head = ent.root
    for child in head.children:
        if child.dep_ == "appos" and child.i >= ent.end and child.ent_type_ != "PERSON":
            sub = list(child.subtree)
            span = ent.doc[sub[0].i : sub[-1].i + 1]
            if len(span) <= 8 and any(t.lower_ in _ROLE_WORDS for t in span):
                return span
    return None


def _name_part(ent: Span) -> Span | None:
    """The part of a tagger's person that can be a name. In a title-cased headline the
    tagger runs a name into the words around it ("Ted Cruz Refuses", "Follow Pam Key",
    "Obama Just Pulled Out"): a verb is no part of a name, so the name is the run of words
    between verbs with the most proper nouns, trimmed of function words, and not the object
    of a capitalised linking word ("Kovacs To Farmers"); None when no run has one."""
    cuts = [
        t.i
        for t in ent
        if (
            t.pos_ == "VERB"
            or _headline_modal(t)
            or t.lower_ in _HEADLINE_LINKS
            and ent.start < t.i < ent.end - 1
        )
        and t.text[:1].isupper()
    ]
    if not cuts:
        return ent
    bounds = [ent.start - 1, *cuts, ent.end]
    best: Span | None = None
    best_rank = (False, 0)
    for left, right in itertools.pairwise(bounds):
        i, j = left + 1, right
        while i < j and ent.doc[i].pos_ not in ("PROPN", "NOUN"):
            i += 1
        while j > i and ent.doc[j - 1].pos_ not in ("PROPN", "NOUN"):
            j -= 1
        run = ent.doc[i:j]
        proper = sum(t.pos_ == "PROPN" for t in run)
        # the words after a linking word are its object ("To Farmers"), not the name
        rank = (left < ent.start or ent.doc[left].lower_ not in _HEADLINE_LINKS, proper)
        if proper and (best is None or rank > best_rank):
            best, best_rank = run, rank
    return best


_MODALS = frozenset("may might will would can could shall should must".split())
# Linking words a title-cased headline capitalises ("Obama To Asians", "Clinton For
# President"): written capitalised between two words of a tagger's person, they end the
# name as a verb does. At its edge such a word can be a name ("said Al From"); "de", "van",
# "bin" and the like are parts of names and are not here.
_HEADLINE_LINKS = frozenset(
    "to for about with and on at from after over as by into against amid says is are was".split()
)
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())


def _headline_modal(tok: Token) -> bool:
    """A modal the tagger took for a name in a title-cased headline ("Trump May Not Have
    Suggested", "Ruiz Will Run"): the word before a base-form verb or a negation. ("Theresa
    May Says" has a verb of the third person after it.)"""
    if tok.lower_ not in _MODALS or tok.i + 1 >= len(tok.doc):
        return False
    after = tok.doc[tok.i + 1]
    return after.tag_ == "VB" or after.lower_ in ("not", "never", "n't")


# Titles and given names that tell a person and their gender (read once; quotes.py shares it).
PERSON_NAMES: dict[str, str] = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "data" / "person_names.yaml").read_text("utf-8")
)
_GIVEN_NAMES = frozenset(PERSON_NAMES["female_names"].split() + PERSON_NAMES["male_names"].split())


def _person_after_possessive(ent: Span) -> Span | None:
    """The name after a possessive inside a tagger's organisation ("Fox News’ Sean
    Hannity", "the Post's Anna Berg"): two or three capitalised words after the mark, the
    first a given name or the last one the text uses again on its own ("Hannity pressed")."""
    marks = [t.i for t in ent if t.text in ("'", "’", "'s", "’s")]
    if not marks or marks[-1] == ent.start:
        return None
    rest = ent.doc[marks[-1] + 1 : ent.end]
    if not 2 <= len(rest) <= 3 or not all(t.pos_ == "PROPN" and t.is_title for t in rest):
        return None
    if rest[0].lower_ in _GIVEN_NAMES:
        return rest
    return rest if _used_alone(rest[-1], ent) else None


def _used_alone(surname: Token, ent: Span) -> bool:
    """Whether the text uses a word again outside the entity ("Hannity pressed")."""
    return any(t.text == surname.text and not ent.start <= t.i < ent.end for t in ent.doc)


def _names_a_role_holder(ent: Span) -> bool:
    """An entity in apposition to a singular noun of a person's role ("the spokesman, X,")."""
    root = ent.root
    head = root.head
    return (
        root.dep_ == "appos"
        and head.i < ent.start
        and head.pos_ == "NOUN"
        and head.tag_ == "NN"
        and head.lemma_.lower() in _ROLE_WORDS
    )


_DASHES = {"-", "–", "—", "--"}


def _before_dash(ent: Span) -> Span:
    """A tagger's entity that runs over a dash set between spaces ("the Tax Policy Center -
    half a percentage point"): the name ends before the dash."""
    for tok in ent[1:]:
        if tok.text in _DASHES and tok.i > 0 and ent.doc[tok.i - 1].whitespace_ and tok.whitespace_:
            return Span(ent.doc, ent.start, tok.i, label=ent.label_)
    return ent


def _entity_candidates(
    sdoc: Doc, credits: list[tuple[int, int]]
) -> list[tuple[int, int, str, str | None, str]]:
    """Actor candidates from the tagger's people and organisations."""
    candidates: list[tuple[int, int, str, str | None, str]] = []
    for tagged in sdoc.ents:
        ent = _before_dash(tagged)
        if (lone := _lone_word_not_after_place_preposition(ent)) is not None:
            # "Bolton said", "Nervo wrote": a word the tagger calls a place (or a person
            # whose name is also a city) names a person when it is the surname of exactly
            # one person the text has met; resolved below, else no one
            candidates.append(
                (lone.idx, lone.idx + len(lone.text), "surname_last", None, "surname")
            )
        if ent.label_ == "PERSON" and _is_place_name(ent.text, ent.start and sdoc[ent.start - 1]):
            continue  # "in Kherson", "Luhansk": the tagger's person is a place
        if ent.label_ == "PERSON" and _credited(ent, credits):
            continue  # "Additional reporting by ...": the journalists are authors
        if ent.label_ == "PERSON":
            name = _name_part(ent)
            if name is None:
                continue
            title = _title_before(name)
            start = title.start_char if title is not None else name.start_char
            candidates.append((start, name.end_char, "person", None, "name"))
        elif ent.label_ == "ORG" and (person := _person_after_possessive(ent)) is not None:
            # "Fox News’ Sean Hannity": the tagger's organisation is an employer and its
            # person; the person is the actor named
            candidates.append((person.start_char, person.end_char, "role_holder", None, "name"))
        elif ent.label_ == "ORG" and _names_a_role_holder(ent):
            # "The Kremlin spokesman, Dmitry Orlov,": whatever the tagger says, the name
            # given in apposition to a person's role is a person
            candidates.append((ent.start_char, ent.end_char, "role_holder", None, "name"))
        elif ent.label_ == "ORG":
            candidates.append((ent.start_char, ent.end_char, "org", None, "name"))
        elif ent.label_ == "DATE" and (person := _person_after_weekday(ent)) is not None:
            # resolved from its words, as a name given after a role
            candidates.append((person.start_char, person.end_char, "role_holder", None, "name"))
    return candidates


_PLACE_LABELS = frozenset({"GPE", "LOC", "NORP", "FAC"})


def _lone_word_not_after_place_preposition(ent: Span) -> Token | None:
    """A one-word entity that may be a surname the tagger took for a place: tagged a place,
    or a person whose word is also a place name; never after a preposition of place
    ("in Bolton")."""
    if len(ent) != 1 or ent[0].pos_ != "PROPN" or not ent.text.istitle():
        return None
    if ent.label_ not in _PLACE_LABELS and not (
        ent.label_ == "PERSON" and lookup_place(ent.text) is not None
    ):
        return None
    if ent.start and ent.doc[ent.start - 1].lower_ in _LOCATIVE:
        return None
    return ent[0]


def _person_after_weekday(ent: Span) -> Span | None:
    """The name the tagger ran into a date ("On Sunday Ana Ruiz said" read as one date):
    two or three capitalised words after the weekday, the first a title or a given name, or
    the last one the text uses again on its own ("Ruiz added")."""
    if ent[0].lower_ not in _WEEKDAYS:
        return None
    rest = ent[1:]
    if not 2 <= len(rest) <= 3 or not all(t.pos_ == "PROPN" and t.is_title for t in rest):
        return None
    if rest[0].lower_ in _GIVEN_NAMES or rest[0].lower_.strip(".") in _HONORIFICS:
        return rest
    return rest if _used_alone(rest[-1], ent) else None


def find_mentions(
    sdoc: Doc, field_name: TextField, when: datetime | date | None, ctx: DocContext
) -> list[Mention]:
    """Every actor mention in one parsed text, updating the document context in text order."""
    text = sdoc.text
    candidates: list[tuple[int, int, str, str | None, str]] = []  # start, end, kind, name, via

    for match in ctx.registry.pattern().finditer(text):
        if not ctx.registry.spelling_ok(match.group(0)):
            continue
        candidates.append((match.start(), match.end(), "registry", None, ""))

    for phrase in ctx.learned_roles:
        if not phrase:
            continue
        for match in re.finditer(
            r"(?<![\w-])(?:the\s+)?" + _surface_regex(phrase) + r"(?![\w-])", text, re.I
        ):
            candidates.append((match.start(), match.end(), "learned_role", None, "role"))

    candidates.extend(_entity_candidates(sdoc, _credit_zones(text)))

    for tok in sdoc:
        if tok.lemma_.lower() not in _INSTITUTION_NOUNS or tok.pos_ != "NOUN":
            continue
        if tok.lemma_.lower() in _ONE_PERSON_NOUNS and tok.tag_ != "NNS":
            continue  # "a foreign ministry official" is a person, described
        mods = [c for c in tok.children if c.dep_ in ("compound", "amod", "poss") and c.i < tok.i]
        if not any(m.pos_ == "PROPN" or m.ent_type_ in _GROUP_MODIFIERS for m in mods):
            continue
        left = min([tok.i, *(m.left_edge.i for m in mods)])
        while left < tok.i and sdoc[left].pos_ in ("DET", "PUNCT", "SPACE", "NUM"):
            left += 1
        if "\n" in sdoc[left : tok.i + 1].text:
            continue
        candidates.append((sdoc[left].idx, tok.idx + len(tok.text), "group", None, "name"))

    in_ents = {t.i for e in sdoc.ents for t in e}
    for tok in sdoc:
        # A lone surname the tagger missed ("Dahl later added"): resolved below only when it
        # fits exactly one person met before it.
        if (
            tok.pos_ in ("PROPN", "NOUN")
            and tok.i not in in_ents
            and tok.text.istitle()
            and len(tok) > 2
        ):
            candidates.append((tok.idx, tok.idx + len(tok.text), "surname", None, "surname"))

    # An "organisation" that ends in a known person's name is a title in front of the name
    # ("Digital Transformation Mykhailo Fedorov"): the name wins.
    person_ends = {
        c[1]
        for c in candidates
        if c[2] == "registry"
        and (a := ctx.registry.lookup(text[c[0] : c[1]])) is not None
        and a.type == "person"
    }
    candidates = [c for c in candidates if not (c[2] == "org" and c[1] in person_ends)]
    # Longest first, then earliest; drop anything overlapping a kept span.
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    kept: list[tuple[int, int, str, str | None, str]] = []
    for cand in candidates:
        if any(cand[0] < k[1] and k[0] < cand[1] for k in kept):
            continue
        kept.append(cand)
    kept.sort(key=lambda c: c[0])

    mentions: list[Mention] = []
    for start, end, kind, _, _ in kept:
        surface = text[start:end]
        name, via = _resolve_candidate(sdoc, surface, start, end, kind, when, ctx)
        if name is None:
            continue
        ctx.note(name)
        mentions.append(Mention(surface, name, field_name, start, end, via))
    return mentions


# A tagger's person or organisation that the gazetteer knows as a country, a region or a
# city of this size is a place, not an actor.
_PLACE_NOT_ACTOR_POPULATION = 100_000


_LOCATIVE = {"in", "from", "near", "to", "at", "into", "outside", "around", "across", "of"}


def _is_place_name(text: str, before: Token | None = None) -> bool:
    """A name the gazetteer knows as a country or region, or as a city where a preposition
    of place comes before it ("officials in Kherson") or the city is large."""
    entry = lookup_place(text)
    if entry is None:
        return False
    if entry.kind != "city" or entry.population >= _PLACE_NOT_ACTOR_POPULATION:
        return True
    return isinstance(before, Token) and before.lower_ in _LOCATIVE


_CREDIT_WORDS = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "data" / "actor_words.yaml").read_text("utf-8")
)
# "Additional reporting by A and B", "Edited by C", a line opened by "By D": credits.
_CREDIT_RE = re.compile(
    r"\b(?i:" + "|".join(re.escape(w) for w in _CREDIT_WORDS["credit_before"]) + r")\s+by\s+"
    r"(?P<names>[^.;:\n(]+)"
    r"|(?:^|\n)[ \t]*By\s+(?P<line>[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|and|&))*)"
)
# "A reports from Kyiv", "B, reporting from the border": the reporter, an author.
_REPORTS_FROM_RE = re.compile(
    r"^,?\s+(?:" + "|".join(re.escape(w) for w in _CREDIT_WORDS["reporter_after"]) + r")\b",
    re.IGNORECASE,
)


def _credit_zones(text: str) -> list[tuple[int, int]]:
    """Character ranges of a text that credit its journalists."""
    if "by" not in text.lower() and "report" not in text.lower():
        return []
    return [
        m.span("names") if m.group("names") is not None else m.span("line")
        for m in _CREDIT_RE.finditer(text)
    ]


def _credited(ent: Span, credits: list[tuple[int, int]]) -> bool:
    """Whether a person is credited as the text's journalist rather than named in it."""
    if any(start <= ent.start_char and ent.end_char <= end for start, end in credits):
        return True
    if not ent[0].is_sent_start:
        return False
    return bool(_REPORTS_FROM_RE.match(ent.doc.text[ent.end_char : ent.end_char + 40]))


def _resolve_candidate(
    sdoc: Doc,
    surface: str,
    start: int,
    end: int,
    kind: str,
    when: datetime | date | None,
    ctx: DocContext,
) -> tuple[str | None, str]:
    """The actor a candidate span `surface` (= the text at [start, end)) names."""
    if kind in ("registry", "learned_role"):
        return ctx.resolve(surface, when)
    if kind == "surname":
        return ctx.by_part(surface), "surname"
    if kind == "surname_last":
        return ctx.by_part(surface, last_only=True), "surname"
    if kind == "group":
        known, via = ctx.resolve(surface, when)
        return (known, via) if known else (ctx.learn_org(surface), "name")
    if kind == "role_holder":
        name_text = clean_person_name(surface)
        known, via = ctx.resolve(name_text, when)
        return (known, via) if known else (ctx.learn_person(name_text), "name")
    span = sdoc.char_span(start, end, alignment_mode="expand")
    if kind == "org":
        name = clean_org_name(surface)
        if not _plausible_org(name):
            return None, "name"
        if len(name.split()) == 1:
            # The tagger often calls a lone surname an organisation.
            local = ctx.by_part(name)
            if local:
                return local, "surname"
            if ctx.shared_part(name) or _is_place_name(name):
                return None, "name"
        known, via = ctx.resolve(name, when)
        if known:
            return known, via
        return ctx.learn_org(name), "name"
    # person, possibly with an office phrase in front
    tagged = next(
        (e for e in sdoc.ents if e.label_ == "PERSON" and e.start_char < end <= e.end_char), None
    )
    ent = _name_part(_before_dash(tagged)) if tagged is not None else None
    if ent is None or ent.end_char != end or span is None:
        return None, "name"
    title = _title_before(ent)
    name_text = clean_person_name(ent.text)
    if not name_text or not any(c.isupper() for c in name_text):
        return None, "name"
    if len(name_text.split()) == 1:
        local = ctx.by_part(name_text)
        if local:
            return local, "surname"
        if (
            title is None
            and name_text == ent.text.strip()
            and lookup_place(name_text) is not None
            and not ctx.registry.candidates(name_text)
        ):
            # a lone word, with no title, that the gazetteer knows as a place and no name
            # met before has ("Kherson came under fire"): the tagger's person is a place
            return None, "name"
        known, via = ctx.resolve(name_text, when)
        if known:
            return known, via
        if title is not None:
            # "President Macron": the office says who unless the registry has no holder.
            held = ctx.registry.holder(title.text, when)
            if held and held.split()[-1].casefold() == name_text.casefold():
                return held, "role"
        return ctx.learn_person(name_text), "name"
    known, via = ctx.resolve(name_text, when)
    name = known or ctx.learn_person(name_text)
    if name is None:
        return None, "name"
    if title is not None:
        ctx.learn_role(title.text, name)
    appos = _appositive_role(ent)
    if appos is not None:
        ctx.learn_role(appos.text, name)
    return name, "name"


def _plausible_org(name: str) -> bool:
    words = name.split()
    if not words or len(words) > 7 or not name[:1].isupper():
        return False
    if any(ch.isdigit() for ch in name) and len(words) == 1:
        return False
    return not name.isupper() or len(name) <= 6
