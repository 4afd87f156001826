"""Who said what: direct quotes (words inside quotation marks) and reported speech
("X says (that) ..."), each with a speaker resolved to an actor or left None when unsure.

Rules over spaCy's dependency parse, in the style of the Gender Gap Tracker and BBC Citron:
a speech verb's subject is the speaker and its clausal complement the content; direct
quotes take the speaker of the speech verb in their sentence, of an enclosing reported
clause, of a `Name: "..."` lead, or of the previous quote when they float on their own.
Every span is an exact character range of the text it came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import yaml
from spacy.tokens import Doc, Span, Token

from sitroom.enrich.actors import PERSON_NAMES, DocContext, clean_org_name, norm
from sitroom.enrich.ranker import rerank
from sitroom.records import Mention, Quote, TextField

_WORDS_FILE = Path(__file__).resolve().parent.parent / "data" / "quote_words.yaml"
_WORDS = yaml.safe_load(_WORDS_FILE.read_text(encoding="utf-8"))


def _words(key: str) -> frozenset[str]:
    """One word list of sitroom/data/quote_words.yaml (each list says what it stands for)."""
    return frozenset(str(_WORDS[key]).split())


# The lemmatizer reads "data" and "media" as plurals of "datum" and "medium"; the noun lists
# name words as news writes them, and are matched against lemmas.
_LEMMA_OF = {"data": "datum", "media": "medium"}


def _nouns(key: str) -> frozenset[str]:
    """A noun list of quote_words.yaml, with the lemmas its words are read as."""
    words = _words(key)
    return words | {_LEMMA_OF[w] for w in words if w in _LEMMA_OF}


SPEECH_VERBS = _words("speech_verbs")
_PHRASAL_SPEECH_VERBS = frozenset(w.strip() for w in str(_WORDS["phrasal_speech_verbs"]).split(","))
REPORT_VERBS = _words("report_verbs")
_NAMING_VERBS = _words("naming_verbs")
_EVIDENTIAL_VERBS = _words("evidential_verbs")
_BELIEF_VERBS = _words("belief_verbs")
_TITLE_SMALL_WORDS = _words("title_small_words")
_WORK_NOUNS = _nouns("work_nouns")
_NAMES = PERSON_NAMES
_FEMALE_TITLES = frozenset(_NAMES["female_titles"].split())
_MALE_TITLES = frozenset(_NAMES["male_titles"].split())
_FEMALE_NAMES = frozenset(_NAMES["female_names"].split())
_MALE_NAMES = frozenset(_NAMES["male_names"].split())
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_PERSON_NOUNS = _nouns("person_nouns")


def _speech_verb(tok: Token) -> bool:
    """Whether a word is a verb of saying: one of the list, or a verb whose particle makes
    it one ("shot back", "chimed in")."""
    lemma = tok.lemma_.lower()
    if lemma in SPEECH_VERBS:
        return True
    nxt = tok.nbor() if tok.i + 1 < len(tok.doc) else None
    return (
        nxt is not None and nxt.head.i == tok.i and f"{lemma} {nxt.lower_}" in _PHRASAL_SPEECH_VERBS
    )


_SOURCE_NOUNS = _PERSON_NOUNS | _nouns("source_nouns") | _nouns("group_source_nouns")
_CARRIER_NOUNS = _nouns("carrier_nouns")
_ENTOURAGE = _nouns("entourage_nouns")
_COLLECTIVE = _nouns("collective_nouns")
_SHARE_NOUNS = _nouns("share_nouns")
_FINDING_NOUNS = _nouns("finding_nouns")
_QUANTIFIERS = _words("quantifier_sources")
_AGENT_PLURALS = tuple(_words("agent_plural_endings"))
_GROUP_PRONOUNS = {"they", "it", "we"}
# Punctuation that ends the words naming a source ("the study -- which notes ...": "--" is
# a dash typed without the dash key)
_PHRASE_BREAKS = {",", ";", "(", ")", "—", "–", "--"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}

_OPEN_CLOSE = {"“": "”", "«": "»", "‘": "’", "„": "“"}


@dataclass
class PostState:
    """Speaker memory within one post (title then body)."""

    last_speaker: str | None = None
    last_person: str | None = None
    last_org: str | None = None
    last_subject: str | None = None  # last person who was the subject of a clause
    title_speaker: str | None = None
    byline: str | None = None


@dataclass
class _Span:
    start: int  # content start (after the opening mark)
    end: int  # content end (before the closing mark)
    open_at: int  # index of the opening mark
    close_at: int | None  # index of the closing mark, None when the quote runs on
    speaker: str | None = None
    surface: str | None = None
    cue: str | None = None
    conf: float = 0.0
    cue_lemma: str | None = None  # lemma of the speech verb that attributed it


_LAST_TEXT: tuple[Doc | None, str] = (None, "")


def _text_of(sdoc: Doc) -> str:
    """`sdoc.text`, which spaCy rebuilds from the tokens on every access, read once per
    parse (the last one is kept; one tuple, so threads never see a mismatched pair)."""
    global _LAST_TEXT
    held = _LAST_TEXT
    if held[0] is sdoc:
        return held[1]
    text = sdoc.text
    _LAST_TEXT = (sdoc, text)
    return text


def quote_spans(text: str) -> list[tuple[int, int, int, int | None]]:
    """(content start, content end, open mark, close mark) of every quotation in `text`.

    A quotation that is not closed before its paragraph ends runs to the paragraph's end (the
    next paragraph reopens it), the newspaper convention for multi-paragraph quotes."""
    out: list[tuple[int, int, int, int | None]] = []
    pos = 0
    for para in re.split(r"(\n+)", text):
        if para and not para.startswith("\n"):
            out.extend(
                (a + pos, b + pos, o + pos, None if c is None else c + pos)
                for a, b, o, c in _para_spans(para)
            )
        pos += len(para)
    tags = [(m.start(), m.end()) for m in _MARKUP_TAG.finditer(text)]
    if tags:
        # attribute values of markup kept in the text (<tweet id="..." author="...">)
        out = [q for q in out if not any(a <= q[2] < b for a, b in tags)]
    return out


# A markup tag left in copied text: "<tweet id=\"1\" author=\"@x\">", "</tweet>".
_MARKUP_TAG = re.compile(
    r"</?[A-Za-z][\w-]*(?:\s+[\w-]+=(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s>]+))*\s*/?>"
)


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _para_spans(para: str) -> list[tuple[int, int, int, int | None]]:
    spans = []
    i = 0
    n = len(para)
    while i < n:
        ch = para[i]
        prev = para[i - 1] if i else " "
        nxt = para[i + 1] if i + 1 < n else " "
        close_at: int | None = None
        if ch in ("“", "«", "„"):
            close_at = _find_close(para, i + 1, _OPEN_CLOSE[ch], ch)
        elif ch == '"':
            if (_is_word(prev) or prev in ".,!?;:") and nxt.isspace():
                # a closing mark glued to the word before it, whose opener was lost: pairing
                # it with the next mark would quote the writer's own words between two quotes
                i += 1
                continue
            close_at = _find_straight_close(para, i + 1, '"')
        elif ch in ("‘", "'") and not _is_word(prev) and (_is_word(nxt) or nxt in "…."):
            close_at = _find_single_close(para, i + 1, ch)
            if close_at is None:
                i += 1
                continue  # an apostrophe ('90s, 'em) rather than a quotation
        else:
            i += 1
            continue
        end = close_at if close_at is not None else n
        a, b = i + 1, end
        while a < b and para[a].isspace():
            a += 1
        while b > a and para[b - 1].isspace():
            b -= 1
        if b > a and any(c.isalnum() for c in para[a:b]):
            spans.append((a, b, i, close_at))
        i = end + 1
    return spans


def _find_close(para: str, start: int, closer: str, opener: str) -> int | None:
    j = para.find(closer, start)
    if opener == "„" and j < 0:
        j = para.find("”", start)
    if opener == "“":
        # copied text often closes a curly quotation with a straight mark, or with an opening
        # mark turned the wrong way ('“It's unusual,“ said Noble')
        k = para.find('"', start)
        if k >= 0 and (j < 0 or k < j):
            j = k
        k = _glued_closer(para, start, "“")
        if k is not None and (j < 0 or k < j):
            j = k
    return j if j >= 0 else None


def _glued_closer(para: str, start: int, mark: str) -> int | None:
    """The first `mark` that ends a word or sentence: glued to the word or punctuation before
    it and followed by a space or the end of the paragraph. Typed that way, a mark closes."""
    for m in re.finditer(re.escape(mark), para[start:]):
        j = start + m.start()
        after = para[j + 1] if j + 1 < len(para) else " "
        if j > start and (_is_word(para[j - 1]) or para[j - 1] in ".,!?;:") and after.isspace():
            return j
    return None


def _find_straight_close(para: str, start: int, mark: str) -> int | None:
    # a straight opening mark may be closed by a curly one in copied text
    found = [j for j in (para.find(mark, start), para.find("”", start)) if j >= 0]
    return min(found) if found else None


def _find_single_close(para: str, start: int, opener: str) -> int | None:
    closers = "’'" if opener == "‘" else "'’"
    for j in range(start, len(para)):
        if para[j] in closers:
            before = para[j - 1]
            after = para[j + 1] if j + 1 < len(para) else " "
            if _is_word(after):
                continue  # an apostrophe inside a word (Ukraine's, don't)
            if before.isspace():
                continue
            if before == "s" and after == " " and j + 2 < len(para) and para[j + 2].islower():
                # "leaders' meeting": a plural possessive, not the end of the quote
                continue
            return j
    return None


def _span_of(sdoc: Doc, start: int, end: int) -> Span | None:
    return sdoc.char_span(start, end, alignment_mode="expand")


def _inside(tok: Token, spans: list[_Span]) -> bool:
    return any(
        s.open_at <= tok.idx < (s.close_at if s.close_at is not None else s.end) for s in spans
    )


_SETTING_PREPS = {"at", "in", "during", "after", "before", "outside", "inside"}


def _complement(verb: Token) -> Token | None:
    """The clause a speech verb reports: its ccomp, or a that-clause the parser hung on the
    verb's object ("tells a news conference that Russia does not want war")."""
    comps = [c for c in verb.children if c.dep_ == "ccomp"]
    if len(comps) > 1 and any(c.dep_ in _SUBJECT_DEPS and c.i < verb.i for c in verb.children):
        # '"...?" A defensive Obama said his critics "seem ..."': the parser ran the quoted
        # question before into the sentence; "X said <clause>" reports the clause after it
        return next((c for c in comps if c.i > verb.i), comps[0])
    if comps:
        return comps[0]
    objects = [c for c in verb.children if c.dep_ in ("dobj", "dative", "npadvmod")]
    # "is telling customers at a diner that ...": or on the noun of a phrase of place or time
    # after it, when "that" is marked as the complementiser ("asked about reports that ..."
    # or "commented on signs that ..." give the content of the noun, not of the verb)
    objects += [
        g
        for c in verb.children
        if c.dep_ == "prep" and c.lower_ in _SETTING_PREPS
        for g in c.children
        if g.dep_ == "pobj"
    ]
    for obj in objects:
        if obj.i < verb.i:
            continue
        for clause in obj.children:
            if clause.dep_ not in ("relcl", "acl") or clause.left_edge.lower_ != "that":
                continue
            if obj.dep_ == "pobj" and clause.left_edge.dep_ != "mark":
                continue
            subjects = [c for c in clause.children if c.dep_ in _SUBJECT_DEPS]
            if subjects and subjects[0].lower_ != "that":
                return clause
    return None


def _own_subject(verb: Token) -> Token | None:
    """The verb's own subject; the nearest of two: a dateline ("WASHINGTON (AP) — Reyes
    said") parses as a second subject."""
    subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
    return min(subjects, key=lambda c: abs(c.i - verb.i)) if subjects else None


def _subject(verb: Token) -> Token | None:
    own = _own_subject(verb)
    if own is not None:
        return own
    # "state TV quoted the ministry as saying ...": the ministry spoke; the channel reported
    if verb.dep_ == "pcomp" and verb.head.lower_ == "as" and verb.head.head.lemma_ == "quote":
        quoted = [c for c in verb.head.head.children if c.dep_ == "dobj"]
        if quoted:
            return quoted[0]
    # "rallied supporters by warning that ...", "after saying ...": the subject of the verb
    # the preposition hangs on
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ == "VERB":
        for child in verb.head.head.children:
            if child.dep_ in _SUBJECT_DEPS:
                return child
    # "with X saying ...", "despite the minister saying ...": the noun the participle modifies
    if verb.dep_ == "xcomp" and verb.head.pos_ in ("VERB", "AUX"):
        # "Lavrov appeared to suggest that ...": the subject of the verb it completes
        for child in verb.head.children:
            if child.dep_ in _SUBJECT_DEPS:
                return child
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN"):
        noun = verb.head
        if noun.pos_ == "NOUN" and not _may_speak(noun) and noun.head.pos_ in ("VERB", "AUX"):
            # "Trump made a third attempt ..., writing that ...": the participle hangs on a
            # noun that cannot speak (an act, a thing); the one who acts writes
            acting = [c for c in noun.head.children if c.dep_ in _SUBJECT_DEPS]
            if acting:
                return acting[0]
        return noun
    # "Cruz said that Trump represents X, stating that ...": a participle of saying hung on
    # the reported clause goes on with the reporter, not with the clause's subject
    head = verb.head
    if (
        verb.dep_ == "advcl"
        and verb.tag_ == "VBG"
        and _speech_verb(verb)
        and head.dep_ == "ccomp"
        and not _speech_verb(head)
        and _speech_verb(head.head)
        and head.head.i < head.i
    ):
        outer = [c for c in head.head.children if c.dep_ in _SUBJECT_DEPS]
        if outer:
            return outer[0]
    # "..., he added" parsed with the verb as a conjunct or adverbial clause: the subject of
    # the verb it hangs on, up a chain of such verbs ("He ducked, pointing to his record and
    # saying ...", "Lane was blunt, saying ..."). A verb of what was reported ("X says the
    # talks were useful and has criticised ...", parsed as one clause) hands on to the
    # reporter, not to its own subject.
    link = verb
    for _ in range(3):
        if link.dep_ not in ("conj", "advcl") or link.head.pos_ not in ("VERB", "AUX"):
            break
        link = link.head
        reporter = link.head
        if (
            link.dep_ == "ccomp"
            and reporter.i < link.i
            and _speech_verb(reporter)
            and not _speech_verb(link)
        ):
            link = reporter
        own = _own_subject(link)
        if own is not None:
            return own
    # "Four in 10 say ...": the parser hangs a share of respondents on the verb as a number
    for child in verb.children:
        if child.dep_ == "nummod" and child.i < verb.i and child.pos_ == "NUM":
            return child
    # "Clinton, exasperated, responded": the subject hung on the aside between commas
    for aside in verb.children:
        if aside.dep_ == "parataxis" and aside.i < verb.i:
            for child in aside.children:
                if child.dep_ in _SUBJECT_DEPS and child.i < aside.i:
                    return child
    return None


def _may_speak(noun: Token) -> bool:
    """Whether a common noun can name who speaks: a person or group noun ("the minister",
    "officials", "campaign"), a plural of agents ("economists"), a named thing."""
    lemma = noun.lemma_.lower()
    return (
        _listed_source(noun)
        or lemma in _CARRIER_NOUNS
        or lemma in _FINDING_NOUNS
        or noun.tag_ == "NNS"
        and noun.lower_.endswith(_AGENT_PLURALS)
        or bool(noun.ent_type_)
    )


def _listed_source(noun: Token) -> bool:
    """A noun of the source lists, by its word or its lemma (the lemmatizer makes "media"
    "medium")."""
    return noun.lemma_.lower() in _SOURCE_NOUNS or noun.lower_ in _SOURCE_NOUNS


def _in_relative_clause(subject: Token) -> bool:
    """Whether a subject is the subject of a relative clause ("..., where Trump leads")."""
    verb = subject.head if subject.dep_ in _SUBJECT_DEPS else subject.head.head
    return verb.dep_ in ("relcl", "acl")


def _issuer(carrier: Token) -> Token | None:
    """Who a statement, letter or email speaks for: the name after "by"/"from" ("a statement
    by the ministry", "reports from US intelligence"), the agent of a participle on it ("an
    email sent by X", "a letter signed by X"), or the subject of the verb that put it out
    ("X issued a statement saying ..."). None for any other noun."""
    if carrier.lemma_.lower() not in _CARRIER_NOUNS:
        return None
    for child in carrier.children:
        link = child if child.dep_ == "prep" and child.lower_ in ("by", "from") else None
        if child.dep_ == "acl":
            link = next((c for c in child.children if c.dep_ == "agent"), None)
        source = next((c for c in link.children if c.dep_ == "pobj"), None) if link else None
        if source is not None:
            return source
    if carrier.dep_ == "dobj":
        return next((c for c in carrier.head.children if c.dep_ == "nsubj"), None)
    return None


def _according_to(sent: Span) -> Token | None:
    for tok in sent:
        if (
            tok.lower_ == "according"
            and tok.i + 1 < len(tok.doc)
            and tok.doc[tok.i + 1].lower_ == "to"
        ):
            for child in tok.doc[tok.i + 1].children:
                if child.dep_ == "pobj":
                    return child
    return None


QuoteKind = Literal["direct", "indirect"]
# (speaker, surface, confidence) as a speaker strategy answers it
Resolved = tuple[str | None, str | None, float]


@dataclass
class SpeakerResolver:
    """Maps a subject phrase to an actor through the text's mentions and the post's memory."""

    sdoc: Doc
    mentions: list[Mention]
    ctx: DocContext
    state: PostState
    when: datetime | date | None
    field_name: TextField = "body"
    person_trail: list[tuple[int, str, bool]] = field(default_factory=list)  # char, name, subj
    # Character ranges of reported words: a subject inside them is not the post's speaker.
    reported: list[tuple[int, int]] = field(default_factory=list)
    text: str = field(init=False, default="")
    # who spoke last before this text (the title, an earlier post): the reports found in
    # this text move the post's memory on before its quotations are read
    speaker_before: str | None = field(init=False, default=None)
    _genders: dict[str, str | None] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        # spaCy rebuilds Doc.text from its tokens on every access: read it once
        self.text = _text_of(self.sdoc)
        self.speaker_before = self.state.last_speaker
        for m in self.mentions:
            actor = self.ctx.actor(m.actor)
            if actor is not None and actor.type == "person":
                span = self.sdoc.char_span(m.start, m.end, alignment_mode="expand")
                root = span.root if span is not None else None
                is_subject = root is not None and (
                    root.dep_ in _SUBJECT_DEPS
                    or root.dep_ == "appos"
                    and root.head.dep_ in _SUBJECT_DEPS
                )
                if is_subject and root is not None and _in_relative_clause(root):
                    # "Rubio is campaigning in Florida, where Trump leads": the subject of
                    # a clause about something else is not who the text is about
                    is_subject = False
                self.person_trail.append((m.start, m.actor, is_subject))

    def last_person_before(self, char: int, pronoun: str = "") -> str | None:
        """The person a "he"/"she" at `char` most likely means: the last person who was the
        subject of a clause, else the post's last speaker, else the last person named; never
        one whose gender is known to be the other ("she" is not given to a man)."""
        fits = self._fits_pronoun(pronoun)
        subjects = [
            name
            for pos, name, subj in sorted(self.person_trail)
            if pos < char and subj and not any(a <= pos < b for a, b in self.reported)
        ]
        remembered = [self.state.last_subject]
        if self._speaker_is_person():
            remembered.append(self.state.last_speaker)
        before = [name for pos, name, _ in sorted(self.person_trail) if pos < char]
        for pool in (subjects, remembered, before, [self.state.last_person]):
            matching = [n for n in pool if n and fits(n)]
            if matching:
                return matching[-1]
        return None

    def _fits_pronoun(self, pronoun: str) -> Callable[[str], bool]:
        """A test that a person can be "he" (or "she"): their gender, where a title or a
        given name tells it, is not the other one."""
        want = {"he": "m", "him": "m", "she": "f", "her": "f"}.get(pronoun.lower())
        if want is None:
            return lambda name: True
        return lambda name: self._gender(name) in (None, want)

    def _gender(self, name: str) -> str | None:
        if name not in self._genders:
            self._genders[name] = self._find_gender(name)
        return self._genders[name]

    def _find_gender(self, name: str) -> str | None:
        for m in self.mentions:
            if m.actor != name:
                continue
            before = self.text[max(0, m.start - 10) : m.start].lower().split()
            words = [*before[-1:], *m.surface.lower().split()[:1]]
            if any(w in _FEMALE_TITLES for w in words):
                return "f"
            if any(w in _MALE_TITLES for w in words):
                return "m"
        first = name.split()[0].lower() if name.split() else ""
        if len(name.split()) < 2:
            return None
        return "f" if first in _FEMALE_NAMES else "m" if first in _MALE_NAMES else None

    def resolve(self, head: Token) -> Resolved:
        """(speaker, surface, confidence) for a subject token: the first speaker strategy
        that applies decides."""
        if head.lower_ in ("who", "which", "that") and head.head.dep_ == "relcl":
            # "Lavrov, who said ...": the relative pronoun stands for the noun it follows.
            head = head.head.head
        head = _issuer(head) or head  # a statement speaks for who issued it
        for strategy in (
            self._by_quantifier,
            self._by_pronoun,
            self._by_share,
            self._by_mention,
            self._by_descriptor,
            self._by_phrase,
        ):
            found = strategy(head)
            if found is not None:
                return found
        return None, None, 0.0

    def indirect(
        self, start: int, end: int, source: Token | Resolved, cue: str, cap: float = 1.0
    ) -> Quote:
        """THE way every pattern builds reported speech: resolve who spoke from the source
        token (or take a speaker already resolved), then the verbatim span [start, end) of
        the text as an indirect quote."""
        speaker, surface, conf = self.resolve(source) if isinstance(source, Token) else source
        return self.quote("indirect", start, end, (speaker, surface, min(conf, cap)), cue)

    def quote(self, kind: QuoteKind, start: int, end: int, who: Resolved, cue: str | None) -> Quote:
        """The Quote record for the span [start, end) of this text, said by `who`."""
        speaker, surface, conf = who
        return Quote(
            self.text[start:end], kind, speaker, self.field_name, start, end,
            speaker_surface=surface, cue=cue, confidence=conf,
        )  # fmt: skip

    # --- speaker strategies, in order ---------------------------------------------------

    def _by_quantifier(self, head: Token) -> Resolved | None:
        """ "Some say ...", "Many of her supporters argue ...": an unnamed part of a group
        is named by the words the text gives it, never guessed as someone in particular."""
        if head.lower_ not in _QUANTIFIERS or head.i + 1 >= len(head.doc):
            return None
        if head.pos_ not in ("PRON", "DET", "ADJ", "NOUN"):
            return None
        if head.nbor().lower_ == "of":
            phrase = self._whole_phrase(head)
            return (phrase, phrase, 0.5) if phrase else None
        if any(c.dep_ not in ("punct", "det", "advmod") for c in head.children):
            return None  # "many voters" was parsed with "many" as the head: not a quantifier
        return head.text, head.text, 0.3

    def _by_pronoun(self, head: Token) -> Resolved | None:
        """he/she: the person in focus; they: a pair just named, else the last organisation;
        other pronouns ("we", "it", "this") name nobody."""
        if head.lower_ in _PERSON_PRONOUNS:
            name = self.last_person_before(head.idx, head.lower_)
            if name:
                self.person_trail.append((head.idx, name, True))
            return name, head.text, 0.7 if name else 0.0
        if head.lower_ == "they":
            pair = self._last_person_pair(head.idx)
            if pair:
                # "X and Y held a call where they agreed ...": both speak; the first named
                # stands for the pair.
                return pair, head.text, 0.6
        if head.lower_ in _GROUP_PRONOUNS or head.pos_ == "PRON":
            if head.lower_ in ("they", "it") and self.state.last_org:
                return self.state.last_org, head.text, 0.5
            return None, head.text, 0.0
        return None

    def _by_mention(self, head: Token) -> Resolved | None:
        """A mention on the subject's head (or a name that is who the phrase is: "Nato chief
        Jens Stoltenberg", "Russia's foreign ministry") names the speaker. An employer is not
        its spokesperson ("the council's spokeswoman", "a Twitter spokesman"), and a name in
        a clause about the subject ("Doe, who worked for Jane Roe,") is not the subject."""
        sub = list(head.subtree)
        start, end = sub[0].idx, sub[-1].idx + len(sub[-1].text)
        verb = head.head.idx if head.head is not head else -1
        # a "name" that runs over the verb ("Trump Says He Never Told ...", a headline in
        # title case taken for one organisation) names no one
        in_subject = [
            m
            for m in self.mentions
            if m.start < end and start < m.end and not m.start <= verb < m.end
        ]
        named = self._appositive_person(head, in_subject)
        if named is not None:
            # "The Kremlin spokesman, Dmitry Orlov, said": the name the text gives wins over
            # whoever the registry says holds the role
            return named.actor, named.surface, 1.0
        on_head = [m for m in in_subject if m.start <= head.idx < m.end]
        if on_head:
            return on_head[0].actor, on_head[0].surface, 1.0
        attached = [m for m in in_subject if self._modifies(m, head)]
        if head.lemma_.lower() in _ENTOURAGE:
            # "Mrs. Clinton's campaign said": the campaign speaks, named by the phrase
            attached = [m for m in attached if not self._owner(m, head)]
        if self._describes_person(head):
            # "Ms. Ruiz's spokesman, Peter Vance,": the spokesman is Vance, not Ruiz; with no
            # name of their own, "Mr. Hale's spokesman" is someone of Hale's, not Hale.
            attached = [
                m for m in attached if self._is_person(m.actor) and not self._owner(m, head)
            ]
        if head.pos_ == "NOUN" and any(self._is_person(m.actor) for m in attached):
            # "a Clinton aide", "a longtime Trump supporter": a person's name before a common
            # noun says whose the speaker is; the phrase names them (no actor of its own)
            attached = [m for m in attached if not self._is_person(m.actor)]
            if not attached:
                left, right = self._phrase_bounds(head)
                phrase = self.sdoc[left:right].text
                return (phrase, phrase, 0.5) if "\n" not in phrase else (None, None, 0.0)
        if head.tag_ == "NNPS" and attached:
            # "Senate Republicans", "House Democrats": the group speaks, named by its phrase;
            # the institution before it only says which group
            return None
        if attached:
            return attached[0].actor, attached[0].surface, 1.0
        if head.pos_ == "NOUN":
            return None
        aside = self._aside_ranges(head)
        core = [m for m in in_subject if not any(a <= m.start < b for a, b in aside)]
        return (core[0].actor, core[0].surface, 1.0) if core else None

    def _appositive_person(self, head: Token, mentions: list[Mention]) -> Mention | None:
        """The person named in apposition to a subject's head ("the spokesman, Jo Lam,"); a
        description in apposition to a name ("Jo Lam, Ruiz's spokesman,") names no one."""
        if head.pos_ != "NOUN":
            return None
        for child in [*head.children, *self._appos_on_owner(head)]:
            if child.dep_ != "appos" or child.pos_ != "PROPN":
                continue
            for m in mentions:
                if m.start <= child.idx < m.end and (
                    self._is_person(m.actor) or self._describes_person(head)
                ):
                    return m
        return None

    def _appos_on_owner(self, head: Token) -> list[Token]:
        """A name the parser hung on the organisation after a person noun ("The director of
        the European Centre, Ina Kirsch, said"): an organisation has no personal name in
        apposition, so the name is the director's."""
        if head.lower_ not in _PERSON_NOUNS:
            return []
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        owner = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        if owner is None or owner.pos_ != "PROPN" or owner.ent_type_ not in ("ORG", "FAC", ""):
            return []
        return [c for c in owner.children if c.dep_ == "appos"]

    def _owner(self, mention: Mention, head: Token) -> bool:
        """Whether a name in a subject phrase is the possessor of its head ("Ruiz's aide")."""
        span = self.sdoc.char_span(mention.start, mention.end, alignment_mode="expand")
        return span is not None and span.root.dep_ == "poss" and span.root.head == head

    def _describes_person(self, head: Token) -> bool:
        return head.pos_ == "NOUN" and head.lemma_.lower() in _PERSON_NOUNS

    def _is_person(self, name: str | None) -> bool:
        actor = self.ctx.actor(name) if name else None
        return actor is not None and actor.type == "person"

    def label_person(self, surface: str) -> str | None:
        """The person a name written as a label names ("Sanders:", a transcript's "TAPPER:"):
        the actor it resolves to, else, for a label in capitals, the one person met earlier
        with its last word; None when that is no person."""
        name, _ = self.ctx.resolve(surface, self.when)
        if name is None and surface.isupper():
            name = self.ctx.by_part(surface.split()[-1].title())
        return name if self._is_person(name) else None

    def known_subject(self, subj: Token) -> Resolved | None:
        """Who a clause's subject names, when it is a known actor or a person pronoun (a
        lead's subject decides a quotation only then)."""
        speaker, surface, conf = self.resolve(subj)
        if speaker and (subj.lower_ in _PERSON_PRONOUNS or self.ctx.actor(speaker)):
            return speaker, surface, conf
        return None

    def _aside_ranges(self, head: Token) -> list[tuple[int, int]]:
        """Character ranges of clauses and phrases that say something about the subject
        rather than name it (relative clauses, appositions, prepositional phrases)."""
        out = []
        for child in head.children:
            if child.dep_ in ("relcl", "acl", "appos", "prep", "advcl") and child.i > head.i:
                first, last = child.left_edge, child.right_edge
                out.append((first.idx, last.idx + len(last.text)))
        return out

    def _people_near(self, lo: int, hi: int) -> list[Mention]:
        """Mentions of people starting in [lo, hi] characters."""
        return [
            m
            for m in self.mentions
            if lo <= m.start <= hi
            and (a := self.ctx.actor(m.actor)) is not None
            and a.type == "person"
        ]

    def _by_descriptor(self, head: Token) -> Resolved | None:
        """A description of one person ("A leading defence expert, Jane Doe, said", "the
        former commander said") stands for the person named beside it or in focus."""
        if head.pos_ != "NOUN" or head.lower_ not in _PERSON_NOUNS:
            return None
        head_end = head.idx + len(head.text)
        after = self._people_near(head_end, head_end + 3)
        if after:
            return after[0].actor, after[0].surface, 0.9
        described = self.sdoc[head.left_edge.i : head.i + 1].text
        employer = any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in head.children)
        if head.left_edge.lower_ in ("a", "an") and not employer:
            # "A leading defence expert says ... Prof Jane Doe ...": a newcomer is
            # introduced by description, then named within the next lines.
            # Not someone the same sentence reports on, nor someone met before: a newcomer
            # is new ("An aide said Ruiz will run": the aide is not Ruiz).
            sent_end = head.sent.end_char
            met = {name for pos, name, _ in self.person_trail if pos < head.idx}
            later = [m for m in self._people_near(sent_end, head.idx + 400) if m.actor not in met]
            if later:
                return later[0].actor, described, 0.6
        if any(c.dep_ == "poss" for c in head.children):
            # "the council's spokeswoman", "her spokesman": someone of the owner, never the
            # owner, and not the person in focus
            return None
        if head.left_edge.lower_ in ("the", "this"):
            # "the former commander": a definite description of someone already in focus.
            name = self.last_person_before(head.idx)
            if name:
                return name, described, 0.6
        return None

    def _by_share(self, head: Token) -> Resolved | None:
        """A share of a group ("About four in 10 Ohio voters", "Half of Iowa Republicans",
        "60 percent of voters") or a finding ("Early results of an exit poll of voters")
        is named by its whole phrase, up to a comma; no one named inside it speaks."""
        if head.pos_ not in ("NOUN", "PROPN", "NUM"):
            return None
        lemma = head.lemma_.lower()
        in_ten = any(t.dep_ == "quantmod" and t.lower_ == "in" for t in head.subtree) or (
            head.pos_ == "NUM"
            and any(c.dep_ == "prep" and c.lower_ in ("in", "of") for c in head.children)
        )  # "four in 10 voters", "Nine in 10 voters", "two of the delegates"
        if lemma not in _SHARE_NOUNS and lemma not in _FINDING_NOUNS and not in_ten:
            return None
        phrase = self._whole_phrase(head)
        return (phrase, phrase, 0.5) if phrase else None

    def _whole_phrase(self, head: Token) -> str | None:
        """The words of a noun phrase with what follows its head, up to a comma or a
        bracket, without its determiner; None when it runs over a line break."""
        sub = list(head.subtree)
        first = sub[0].i
        if self.sdoc[first].dep_ == "det" and first < head.i:
            first += 1
        stop = next(
            (t.i for t in self.sdoc[first : sub[-1].i + 1] if t.text in _PHRASE_BREAKS), None
        )
        last = (stop if stop is not None else sub[-1].i + 1) - 1
        while last > head.i and self.sdoc[last].is_punct:
            last -= 1
        phrase = self.sdoc[first : last + 1].text
        return phrase if phrase and "\n" not in phrase else None

    def cited(self, source: Token) -> Resolved:
        """Who "according to <source>" names: the actor the phrase resolves to, else the
        phrase itself ("according to data released Friday by state regulators"). The text
        names the source, so no one else is guessed for it."""
        speaker, surface, conf = self.resolve(source)
        if speaker is None and source.pos_ in ("NOUN", "PROPN", "ADJ"):
            phrase = self._whole_phrase(source)
            if phrase:
                return phrase, phrase, 0.5
        return speaker, surface, conf

    def _phrase_bounds(self, head: Token) -> tuple[int, int]:
        """Token range of the words that name a source: the subject phrase without its
        determiners, numbers and degree words; a collective ("a group of major European
        powers") is named by what follows "of"."""
        left = head.left_edge.i
        while left < head.i and (
            self.sdoc[left].pos_ in ("DET", "NUM", "PUNCT", "SPACE")
            or self.sdoc[left].tag_ in ("JJR", "RBR", "RB")
            or self.sdoc[left].dep_ == "quantmod"  # "more than 20 residents"
        ):
            left += 1
        right = head.i + 1
        if head.pos_ == "NOUN" and head.lower_ in _COLLECTIVE:
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    right = child.right_edge.i + 1
                    stops = [t.i for t in self.sdoc[child.i : right] if t.is_punct]
                    right = min([right, *stops])
            while right > head.i + 1 and self.sdoc[right - 1].is_punct:
                right -= 1
        return left, right

    def _by_phrase(self, head: Token) -> Resolved | None:
        """No known actor: the subject phrase itself names the source ("officials",
        "Russia", "Ukrainian officials")."""
        left, right = self._phrase_bounds(head)
        phrase = self.sdoc[left:right]
        surface = clean_org_name(phrase.text)
        if not surface or head.pos_ not in ("PROPN", "NOUN") or "\n" in surface:
            return None, None, 0.0
        if len(phrase) == 1 and head.text[:1].isupper():
            # a surname the tagger took for a common noun
            local = self.ctx.by_part(head.text) or self._by_surname(head.text)
            if local:
                return local, head.text, 0.8
            if self.ctx.shared_part(head.text):
                # fits two people: merged with neither, the name stands as written
                return head.text, head.text, 0.4
        named = any(t.pos_ == "PROPN" or t.ent_type_ in ("NORP", "GPE", "ORG") for t in phrase)
        named = named or (head.text[:1].isupper() and not head.is_sent_start)
        agents = head.tag_ == "NNS" and head.lower_.endswith(_AGENT_PLURALS)
        listed = _listed_source(head)
        if not named and not agents and not listed:
            if not _says(head):
                return None, phrase.text, 0.0  # "the figures suggest": not a source
            # "the pilot said": a source the phrase names, though no actor of the document
            return surface, phrase.text, 0.5
        known, _ = self.ctx.resolve(surface, self.when)
        if known:
            return known, phrase.text, 0.9
        if surface[:1].isupper() or any(t.pos_ == "PROPN" or t.ent_type_ for t in phrase):
            # A named source the tagger missed ("Ukrainian officials", "US intelligence") is
            # an actor of this document too.
            self._learn_source(surface, phrase)
        return surface, phrase.text, 0.5

    def _by_surname(self, word: str) -> str | None:
        """The one person met so far whose last name is `word`: a lone name that speaks is
        a surname ("Jordan said" after Jim Jordan, though Jordan Smith was named too)."""
        key = word.casefold()
        hits = {
            name
            for name in self.ctx.seen
            if (a := self.ctx.actor(name)) is not None
            and a.type == "person"
            and len(name.split()) >= 2
            and name.split()[-1].casefold() == key
        }
        return hits.pop() if len(hits) == 1 else None

    def _learn_source(self, surface: str, phrase: Span) -> None:
        self.ctx.learn_org(surface)
        first = phrase[0]
        if not any(m.start <= first.idx < m.end for m in self.mentions):
            self.mentions.append(
                Mention(phrase.text, surface, self.field_name, first.idx, phrase.end_char, "name")
            )

    def _modifies(self, mention: Mention, head: Token) -> bool:
        """Whether a name inside a subject phrase is who the phrase is ("Nato chief Jens
        Stoltenberg", "Russia's foreign ministry") rather than a detail of it ("one resident
        of Osterlund")."""
        span = self.sdoc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            return False
        root = span.root
        return root.head == head and root.dep_ in ("compound", "poss", "appos", "nmod", "amod")

    def _last_person_pair(self, char: int) -> str | None:
        """The first of two coordinated people who were the last subject before `char`."""

        def person_at(i: int) -> str | None:
            for m in self.mentions:
                actor = self.ctx.actor(m.actor)
                if m.start <= i < m.end and actor is not None and actor.type == "person":
                    return m.actor
            return None

        best = None
        for tok in self.sdoc:
            if tok.idx >= char:
                break
            if tok.dep_ not in _SUBJECT_DEPS or not any(c.dep_ == "conj" for c in tok.children):
                continue
            conj = next(c for c in tok.children if c.dep_ == "conj")
            first, second = person_at(tok.idx), person_at(conj.idx)
            if first and second and first != second:
                best = first
        return best

    def _speaker_is_person(self) -> bool:
        actor = self.ctx.actor(self.state.last_speaker) if self.state.last_speaker else None
        return actor is not None and actor.type == "person"


def _says(head: Token) -> bool:
    """Whether a common noun is the subject of a verb of saying, which only someone (or a
    document) can do ("the judge wrote", "a pilot said"); in "the figures suggest" or "the
    data show" the noun names no source unless it is a source noun."""
    verb = head.head
    return (
        head.dep_ == "nsubj"
        and head.pos_ == "NOUN"
        and verb.pos_ == "VERB"
        and _speech_verb(verb)
        and verb.lemma_.lower() not in _EVIDENTIAL_VERBS
    )


def _lead_speaker(text: str, open_at: int) -> str | None:
    """`Name: "..."` or `Name said: "..."`-less leads: the words before a colon at the start of
    the line."""
    line_start = text.rfind("\n", 0, open_at) + 1
    lead = text[line_start:open_at]
    m = re.match(r"^\s*(?:•\s*)?([A-Z][\w.'’-]*(?:\s+[\w.'’-]+){0,5})\s*:\s*$", lead)
    return m.group(1) if m else None


def extract_quotes(
    sdoc: Doc,
    field_name: TextField,
    mentions: list[Mention],
    ctx: DocContext,
    state: PostState,
    when: datetime | date | None = None,
) -> list[Quote]:
    """Direct and reported quotes of one text (a post's title or body).

    Reported speech comes first, pattern by pattern (REPORT_PATTERNS, in order; a later
    pattern never takes a span an earlier one found): its speakers also own the quoted
    fragments inside it. Then each direct quote takes its speaker from the first direct
    strategy that finds one."""
    text = _text_of(sdoc)
    resolver = SpeakerResolver(sdoc, mentions, ctx, state, when, field_name)
    directs = [_Span(a, b, o, c) for a, b, o, c in quote_spans(text)]
    directs.extend(_block_quotes(sdoc, directs, resolver))
    resolver.reported.extend((d.open_at, d.end + 1) for d in directs)
    indirect: list[Quote] = []
    for pattern in REPORT_PATTERNS:
        indirect.extend(pattern(sdoc, directs, indirect, resolver))

    # names of works are no quotations: they get no speaker, so none is remembered for the
    # quotations after them
    ordered = [
        d
        for d in sorted(directs, key=lambda s: s.start)
        if not _title_like(text[d.start : d.end]) and not _names_a_work(d, text)
    ]
    quotes = [_direct_quote(d, sdoc, directs, indirect, resolver) for d in ordered]
    out = [q for d, q in zip(ordered, quotes, strict=True) if not _scare_quote(d, q)]
    out.extend(indirect)
    subjects = [name for _, name, subj in resolver.person_trail if subj]
    if subjects:
        state.last_subject = subjects[-1]
    out.extend(_according_to_quotes(sdoc, directs, out, resolver))
    rerank(out, sdoc, resolver.mentions, ctx, resolver._gender)
    out.sort(key=lambda q: (q.start, q.kind))
    return out


_TITLE_WORD = re.compile(r"[^\W_][\w'’&-]*")


def _title_like(text: str) -> bool:
    """A quoted name of a work, programme, slogan or event ("Face the Nation", "Stronger
    Together", "Fast & Furious"): two to eight words, every word capitalised but the small
    linking words."""
    words = _TITLE_WORD.findall(text)
    if not 2 <= len(words) <= 8 or text.rstrip()[-1:] in "?!":
        return False
    small = _TITLE_SMALL_WORDS
    caps = [w for w in words if w.lower() not in small]
    return len(caps) >= 2 and all(w[0].isupper() or w[0].isdigit() for w in caps)


_WORD_BEFORE = re.compile(r"([A-Za-z]+)\s*$")


def _names_a_work(d: _Span, text: str) -> bool:
    """A capitalised quotation right after a noun for a work ("the reality show 'The
    Apprentice'", "his book 'Crippled America'") is the work's title."""
    m = _WORD_BEFORE.search(text, max(0, d.open_at - 20), d.open_at)
    if m is None or not text[d.start : d.start + 1].isupper():
        return False
    word = m.group(1).lower()
    return word in _WORK_NOUNS or (word.endswith("s") and word[:-1] in _WORK_NOUNS)


def _scare_quote(d: _Span, q: Quote) -> bool:
    """A single quoted word that no speech cue attributes ("showing 'respect'", a word put
    in quotes for irony) or that a naming verb puts on something ("calls the levy a
    'contribution'", a nickname) marks a term, not a quotation."""
    if len(q.text.split()) != 1:
        return False
    return q.cue is None or d.cue_lemma in _NAMING_VERBS


def _direct_quote(
    d: _Span, sdoc: Doc, directs: list[_Span], indirect: list[Quote], resolver: SpeakerResolver
) -> Quote:
    """The Quote for one quotation, its speaker from the first direct strategy that finds
    one: the reported clause that holds it, a speech verb beside it, a `Name:` lead, the
    speaker it continues."""
    for strategy in _DIRECT_STRATEGIES:
        if d.speaker is not None:
            break
        strategy(d, sdoc, directs, indirect, resolver)
    if d.speaker:
        _remember(resolver.state, d.speaker, resolver.ctx)
    return resolver.quote("direct", d.start, d.end, (d.speaker, d.surface, d.conf), d.cue)


def _owner_report(
    d: _Span, sdoc: Doc, directs: list[_Span], indirect: list[Quote], resolver: SpeakerResolver
) -> None:
    """Quoted words inside a reported clause are the words of that clause's speaker."""
    owners = [q for q in indirect if q.start <= d.start and d.end <= q.end + 1]
    if owners:
        q = min(owners, key=lambda q: q.end - q.start)
        d.speaker, d.surface, d.cue, d.conf = q.speaker, q.speaker_surface, q.cue, q.confidence


def _by_lead(
    d: _Span, sdoc: Doc, directs: list[_Span], indirect: list[Quote], resolver: SpeakerResolver
) -> None:
    """`Name: "..."` at the start of a line."""
    if d.cue is not None:
        return
    lead = _lead_speaker(_text_of(sdoc), d.open_at)
    if lead:
        name, _ = resolver.ctx.resolve(lead, resolver.when)
        d.speaker, d.surface, d.cue, d.conf = name or lead, lead, ":", 0.8


def _colon_lead_end(sdoc: Doc, d: _Span) -> int | None:
    """Where the paragraph before ends, when the quotation opens its own paragraph right
    after one ending in a colon (the index after the colon); else None."""
    text = _text_of(sdoc)
    line_start = text.rfind("\n", 0, d.open_at) + 1
    before = text[:line_start].rstrip()
    if text[line_start : d.open_at].strip() or not before.endswith(":"):
        return None
    return len(before)


def _under_colon_lead(sdoc: Doc, d: _Span) -> bool:
    return _colon_lead_end(sdoc, d) is not None


def _colon_lead_verb(sdoc: Doc, d: _Span, directs: list[_Span]) -> Token | None:
    """The verb of the lead sentence when a quotation opens its own paragraph right after a
    paragraph that ends in a colon ("Cruz continued:", "The ministry released this
    statement:"): the speech verb nearest the colon, else the sentence's main verb."""
    lead_end = _colon_lead_end(sdoc, d)
    if lead_end is None:
        return None
    colon = sdoc.char_span(lead_end - 1, lead_end, alignment_mode="expand")
    if colon is None:
        return None
    sent = colon[0].sent
    if any(d.open_at > o.open_at >= sent.start_char for o in directs):
        return None  # the lead holds a quotation of its own: it is not a plain lead
    lead = sdoc[sent.start : colon[0].i]
    verbs = [t for t in lead if _speech_verb(t) and t.pos_ == "VERB" and _subject(t) is not None]
    if verbs:
        return verbs[-1]
    return sent.root if sent.root.i < colon[0].i and sent.root.pos_ == "VERB" else None


def _by_sentence_before(
    d: _Span, sdoc: Doc, directs: list[_Span], indirect: list[Quote], resolver: SpeakerResolver
) -> None:
    """ "Iowa State's Dianne Bystrom agreed. '...'": a quotation standing alone right after a
    sentence of its paragraph whose verb of saying has no words of its own ("X agreed.",
    "Y disagreed.") is the words of that verb's subject."""
    if d.cue is not None or not _stands_alone(sdoc, d):
        return
    text = resolver.text
    before = text[: d.open_at].rstrip(" \t")
    if not before or before[-1] not in ".!?" or before.endswith("\n"):
        return
    end = sdoc.char_span(len(before) - 1, len(before), alignment_mode="expand")
    if end is None:
        return
    sent = end[0].sent
    verb = sent.root
    if not _speech_verb(verb) or verb.pos_ != "VERB":
        return
    if any(c.dep_ in ("ccomp", "dobj", "xcomp", "dative") for c in verb.children):
        return  # "X said the port was shut." has words of its own
    subj = _subject(verb)
    # a short predicate ("agreed.", "said in a statement."); the subject may be long
    # ("Sam Lau, the communications director for the party, said in a statement.")
    predicate = len(sent) - (len(list(subj.subtree)) if subj is not None else 0)
    if predicate > 10:
        return
    if _inside(verb, directs) or "\n" in text[sent.start_char : d.open_at]:
        return
    if any(sent.start_char <= o.open_at < sent.end_char for o in directs):
        return  # a sentence with a quotation of its own: the quote before goes on
    known = resolver.known_subject(subj) if subj is not None else None
    if known is not None:
        d.speaker, d.surface, d.cue, d.conf = known[0], known[1], verb.text, min(known[2], 0.7)
        d.cue_lemma = verb.lemma_.lower()


def _by_colon_paragraph(
    d: _Span, sdoc: Doc, directs: list[_Span], indirect: list[Quote], resolver: SpeakerResolver
) -> None:
    """A quotation set as its own paragraph after a lead ending in a colon is the words of
    the lead's subject, when that subject is a known actor or a person pronoun."""
    if d.cue is not None:
        return
    verb = _colon_lead_verb(sdoc, d, directs)
    subj = _subject(verb) if verb is not None else None
    if verb is None or subj is None or subj.lower_ in ("we", "i", "it", "this", "there"):
        return
    known = resolver.known_subject(subj)
    if known is not None:
        d.speaker, d.surface, d.cue, d.conf = known[0], known[1], verb.text, min(known[2], 0.7)
        d.cue_lemma = verb.lemma_.lower()


def _by_continuation(
    d: _Span, sdoc: Doc, directs: list[_Span], indirect: list[Quote], resolver: SpeakerResolver
) -> None:
    """A quote standing alone continues the last speaker of this post (or its title's). A
    quote under a lead ending in a colon ("Here is the statement in full:") is the lead's:
    a lead that names no one hands on no speaker."""
    if d.cue is not None or not _stands_alone(sdoc, d) or _under_colon_lead(sdoc, d):
        return
    state = resolver.state
    last = _last_speaker_before(d, directs, indirect) or resolver.speaker_before
    if last:
        d.speaker, d.conf = last, 0.6
    elif state.title_speaker:
        d.speaker, d.conf = state.title_speaker, 0.5


def _last_speaker_before(d: _Span, directs: list[_Span], indirect: list[Quote]) -> str | None:
    """The speaker of the last quotation or report that ends before `d` opens: a report in
    between ("Ash argued in his email that ...") moves the speaker on from the quotation
    before it."""
    said = [(o.close_at or o.end, o.speaker) for o in directs if o.speaker and o.end < d.open_at]
    said += [(q.end, q.speaker) for q in indirect if q.speaker and q.end <= d.open_at]
    return max(said)[1] if said else None


# "'...' - Jane Doe, Daily Post" / "'...' ― Jane Doe": a credit after a dash that follows
# the closing mark (on its line or as the next paragraph, "- President Obama, tweeting"),
# up to the end of the line, a comma, or the next credited quotation when
# readers' comments run on in one paragraph ("“...” ― Ann Kerr “...” ― Tom Birch").
# A credit line the reader turned into a list item ("- Sanders." under a quotation, read
# as "• Sanders.") is still a dash credit; a bullet counts only at the start of a line.
_DASH_CREDIT = re.compile(
    r"^[ \t]*(?:[-–—―]|(?:\n[ \t]*){1,2}[-–—―•])"
    r"[ \t]*(?P<name>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,4})"
    r"[ \t]*(?:[,.(]|$|(?=[“\"«„]))",
    re.M,
)


def _by_dash_credit(
    d: _Span, sdoc: Doc, directs: list[_Span], indirect: list[Quote], resolver: SpeakerResolver
) -> None:
    """A quote credited after a dash ("'We will not retreat' - Defence Minister Jane Doe",
    a media caption, a reader's comment signed "― Name")."""
    if d.cue is not None or d.close_at is None:
        return
    tail = _text_of(sdoc)[d.close_at + 1 : d.close_at + 120]
    m = _DASH_CREDIT.match(tail)
    if m is None:
        return
    surface = m.group("name").rstrip(".")
    name, _ = resolver.ctx.resolve(surface, resolver.when)
    if name is None:
        name = resolver.ctx.by_part(surface.split()[-1]) if len(surface.split()) == 1 else None
    d.speaker, d.surface, d.cue, d.conf = name or surface, surface, "-", 0.7


def _by_paragraph_neighbour(
    d: _Span, sdoc: Doc, directs: list[_Span], indirect: list[Quote], resolver: SpeakerResolver
) -> None:
    """A quote that follows another quote of the same paragraph with no speech verb of its
    own continues that quote's speaker ('"...," Doe said. "And more."')."""
    if d.cue is not None:
        return
    text = resolver.text
    before = [
        o
        for o in directs
        if o.speaker
        and o.close_at is not None
        and o.close_at < d.open_at
        and "\n" not in text[o.close_at : d.open_at]
    ]
    if before:
        prev = max(before, key=lambda o: o.close_at or 0)
        d.speaker, d.surface, d.cue, d.conf = prev.speaker, prev.surface, None, 0.6


def _clause_reports(
    sdoc: Doc, directs: list[_Span], found: list[Quote], resolver: SpeakerResolver
) -> list[Quote]:
    """ "X said (that) <clause>", "<clause>, X said": a speech verb with a clausal
    complement. Content that is one direct quote gives the quote its speaker instead."""
    out: list[Quote] = []
    for tok in sdoc:
        lemma = tok.lemma_.lower()
        if (
            lemma not in REPORT_VERBS
            and lemma not in _BELIEF_VERBS
            or tok.pos_
            not in (
                "VERB",
                "AUX",
            )
        ):
            continue
        if _inside(tok, directs) or _defines_group(tok):
            continue
        comp = _complement(tok)
        if lemma not in REPORT_VERBS and (comp is None or comp.i < tok.i or not _that_clause(comp)):
            continue  # a belief is reported only as "believes that ..."
        subj = _subject(tok) if comp is not None else None
        if comp is None or subj is None or _inside(subj, directs) or subj.lower_ in ("we", "i"):
            # Outside quotation marks "we"/"I" is the writer, not a source.
            continue
        if comp.i < tok.i and _own_clause_after(sdoc, tok, subj):
            continue
        if lemma not in REPORT_VERBS and (subj.dep_ == "nsubjpass" or subj.lower_ == "it"):
            continue  # "it is widely expected that ...": a belief held by no one named
        span = _clause_span(sdoc, tok, comp, subj, directs)
        if span is None:
            continue
        start, end = span
        source = _source_of(tok, subj)
        if lemma in _EVIDENTIAL_VERBS and subj.lemma_.lower() in _FINDING_NOUNS:
            # "According to the Free Beacon, those documents reveal ...": the records are
            # what the source cites; the source named with "according to" speaks
            cited = _according_to(tok.sent)
            content = sdoc.char_span(start, end, alignment_mode="expand")
            if cited is not None and content is not None and start <= cited.idx < end:
                # "<records show ...>, according to the Center": the content ends before it
                cut = _trimmed(sdoc, content.start, cited.head.head.i - 1)
                if cut is not None and cut[0] == start:
                    start, end = cut
            if cited is not None and not start <= cited.idx < end:
                source = cited
        # Content that is one direct quote is already a direct quote, not reported speech,
        # unless a "that" makes the quotation the content of a report ("vowed that "...""):
        # then it is both.
        if _quoted_share(directs, start, end) >= 0.8:
            if isinstance(source, Token):
                _claim_directs(directs, start, end, source, tok, resolver)
            if not _that_clause(comp) and not _has_words_outside(sdoc, directs, start, end):
                continue
        quote = resolver.indirect(start, end, source, tok.text)
        resolver.reported.append((start, end))
        out.append(quote)
        _remember(resolver.state, quote.speaker, resolver.ctx)
    return out


def _source_of(verb: Token, subj: Token) -> Token | Resolved:
    """Who spoke: the subject of an active verb; of a passive one ("the mayor was told
    that ...", "workers were warned that ..."), the agent after "by", else no one named,
    since the subject is who heard it."""
    if subj.dep_ != "nsubjpass" or subj.head != verb:
        return subj  # (a passive subject of another verb: "X was forced to ... and said")
    agent = _agent(verb)
    return agent if agent is not None else (None, None, 0.0)


def _agent(verb: Token) -> Token | None:
    """The agent of a passive verb: the noun after its "by"."""
    for child in verb.children:
        if child.dep_ == "agent":
            agent = next((c for c in child.children if c.dep_ == "pobj"), None)
            if agent is not None:
                return agent
    return None


def _own_clause_after(sdoc: Doc, verb: Token, subj: Token) -> bool:
    """ "<clause>; he has promised to cut taxes": an attribution after a semicolon, or one
    whose verb has a content of its own after it, does not report the clause before it
    (the parser may still hang that clause on the verb)."""
    before = min(subj.left_edge.i, verb.left_edge.i) - 1
    if before >= 0 and sdoc[before].text == ";":
        return True
    return any(c.dep_ in ("xcomp", "ccomp") and c.i > verb.i for c in verb.children)


def _defines_group(verb: Token) -> bool:
    """ "Those who said the economy mattered most backed Lane", "voters who say ...": a
    restrictive relative clause (no comma before "who") on a group picks out who answered
    a poll that way; the writer reports the group, not a statement."""
    if verb.dep_ != "relcl":
        return False
    rel = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
    group = verb.head
    if rel is None or rel.lower_ not in ("who", "that") or rel.i == 0:
        return False
    plural = group.tag_ in ("NNS", "NNPS") or group.lower_ in ("those", "anyone", "everyone")
    return plural and not verb.doc[rel.i - 1].is_punct


def _that_clause(comp: Token) -> bool:
    """A complement opened by the complementiser "that"."""
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in comp.children)


def _clause_span(
    sdoc: Doc, verb: Token, comp: Token, subj: Token, directs: list[_Span]
) -> tuple[int, int] | None:
    """Character range of the content a speech verb reports, or None when too short or
    across a line break."""
    sub = list(comp.subtree)
    first = sub[0]
    while first.i < sub[-1].i and (
        first.dep_ == "mark" and first.lower_ == "that" or first.is_punct
    ):
        first = sdoc[first.i + 1]
    if comp.i > verb.i:
        first = _subject_taken_as_object(verb, comp, first)
    stop = sub[-1]
    if comp.i > verb.i:
        # Reported speech runs on to the end of its sentence ("X said A, urging B"), but
        # not into the speaker's next act ("X said A but did not say B", "... and asked C").
        stop = sdoc[max(stop.i, _next_act(sdoc, verb, stop.i) - 1)]
    if comp.i < verb.i and first.i < subj.left_edge.i <= stop.i:
        # "<content>, the office says": the content ends where the attribution begins
        stop = sdoc[subj.left_edge.i - 1]
    if comp.i > verb.i:
        stop = sdoc[_next_report(sdoc, first.i, stop.i, directs) - 1]
    last = _content_end(sdoc, comp, first, stop)
    if last is None:
        return None
    text = _text_of(sdoc)
    start, end = _balance(text, first.idx, last.idx + len(last.text), directs)
    if end - start < 8 or "\n" in text[min(verb.idx, start) : max(verb.idx, start)]:
        return None
    return start, end


def _subject_taken_as_object(verb: Token, comp: Token, first: Token) -> Token:
    """Where the reported clause starts when the parser read its subject as the verb's
    object: in "Lavrov told President Putin agreement with the West was still possible" the
    clause "was still possible" has no subject and "President Putin agreement with the West"
    is one object. The subject is that object from its first common word on."""
    if comp.tag_ not in (*_FINITE, "MD") or any(c.dep_ in _SUBJECT_DEPS for c in comp.children):
        return first
    obj = next(
        (c for c in verb.children if c.dep_ == "dobj" and c.right_edge.i == first.i - 1), None
    )
    lead = next((t for t in obj.subtree if t.pos_ != "PROPN"), None) if obj is not None else None
    return lead if lead is not None and obj is not None and lead.i <= obj.i else first


# Modals of reported content shifted into the past ("said he would ..."): a conjunct that
# carries one goes on with what was said, not with what the speaker did next.
_BACKSHIFT_MODALS = {"would", "could", "might", "should", "'d"}


def _next_act(sdoc: Doc, verb: Token, after: int) -> int:
    """Token index where the rest of a speech verb's sentence after `after` turns to a
    further act of the same subject ("said A but did not say B": a conjunct of the verb with
    no subject of its own), else the sentence end."""
    if verb.dep_ in ("advcl", "relcl", "acl"):
        # "Even as X said A, <the writer's main clause>": the report ends with its clause
        return min(verb.sent.end, verb.right_edge.i + 1)
    for conj in verb.children:
        if conj.dep_ != "conj" or conj.i <= after:
            continue
        own_subject = any(c.dep_ in _SUBJECT_DEPS for c in conj.children)
        if own_subject and not (conj.lemma_.lower() in REPORT_VERBS and _complement(conj)):
            continue  # "said A, and it is B": a clause of its own, still reported
        if own_subject:
            # "three-quarters said A, and 4 in 10 said B": a report of its own
            ccs = [c.i for c in verb.children if c.dep_ == "cc" and after < c.i < conj.i]
            return min([conj.left_edge.i, *ccs])
        if any(c.dep_ == "aux" and c.lower_ in _BACKSHIFT_MODALS for c in conj.children):
            continue  # "said she hoped to A and would then B": the content's tense, not an act
        ccs = [c.i for c in verb.children if c.dep_ == "cc" and after < c.i < conj.i]
        return min([conj.left_edge.i, *ccs])
    return verb.sent.end


def _next_report(sdoc: Doc, first: int, stop: int, directs: list[_Span]) -> int:
    """Token index (exclusive end) before ", and <someone> said ..." inside [first, stop]:
    a coordinated report of its own ("three-quarters said A, and 4 in 10 said B"), read
    from the words since the parser often takes that "said" for a modifier."""
    for tok in sdoc[first : stop + 1]:
        if tok.text != "," or tok.i + 2 > stop or sdoc[tok.i + 1].lower_ not in ("and", "but"):
            continue
        for later in sdoc[tok.i + 2 : min(stop + 1, tok.i + 10)]:
            if later.text in (",", ";") or _inside(later, directs):
                break
            if later.lemma_.lower() in REPORT_VERBS and later.tag_ in _FINITE:
                return tok.i
    return stop + 1


def _has_words_outside(sdoc: Doc, directs: list[_Span], start: int, end: int) -> bool:
    """Whether [start, end) has a word outside quotation marks: 'he has "100 percent
    confidence"' reports in the writer's words around the quotation (mixed quotation, both
    a report and a quote); a clause that is all quotation is only the quote."""
    span = sdoc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(
        t.is_alpha and not any(d.open_at <= t.idx < (d.close_at or d.end) for d in directs)
        for t in span
    )


def _quoted_share(directs: list[_Span], start: int, end: int) -> float:
    """How much of [start, end) lies inside quotation marks."""
    quoted = sum(max(0, min(end, d.end) - max(start, d.start)) for d in directs)
    return quoted / max(1, end - start)


# Verbs that report a speech act through their object rather than a clause
# ("denied any involvement", "blamed Russia for the attack", "ruled out sending troops").
_VP_REPORT = _words("object_report_verbs")
_VP_PARTICLE = {"rule": "out", "call": "on"}
_VP_CHILDREN = {"dobj", "prt", "prep", "dative", "xcomp", "oprd", "pcomp", "acomp", "npadvmod"}


def _verb_phrase_reports(
    sdoc: Doc, directs: list[_Span], found: list[Quote], resolver: SpeakerResolver
) -> list[Quote]:
    out: list[Quote] = []
    for tok in sdoc:
        lemma = tok.lemma_.lower()
        if tok.pos_ != "VERB" or _inside(tok, directs):
            continue
        if lemma not in _VP_REPORT and not (
            lemma in _VP_PARTICLE and any(c.lower_ == _VP_PARTICLE[lemma] for c in tok.children)
        ):
            continue
        if any(c.dep_ == "ccomp" for c in tok.children):
            continue
        if lemma == "describe" and not any(c.lower_ == "as" for c in tok.children):
            continue  # "described the scene" tells what happened; "described X as Y" judges
        subj = _subject(tok)
        if subj is None or _inside(subj, directs) or subj.lower_ in ("we", "i"):
            continue
        if subj.dep_ == "nsubjpass" and subj.head == tok:
            continue  # "Roof is accused of killing ...": the subject is who is accused
        kids = [c for c in tok.children if c.dep_ in _VP_CHILDREN and c.i > tok.i]
        if not kids:
            continue
        stop = max(k.right_edge.i for k in kids)
        last = _content_end(sdoc, tok, tok, sdoc[stop])
        if last is None:
            continue
        words = [t for t in sdoc[tok.i + 1 : last.i + 1] if t.is_alpha and t.dep_ != "prt"]
        if len(words) < 2:
            continue
        start, end = _balance(_text_of(sdoc), tok.idx, last.idx + len(last.text), directs)
        if any(q.start <= start and end <= q.end for q in found):
            continue
        out.append(resolver.indirect(start, end, subj, tok.text, 0.8))
    return out


def _parenthetical_reports(
    sdoc: Doc, directs: list[_Span], found: list[Quote], resolver: SpeakerResolver
) -> list[Quote]:
    """'The situation, he said, is under control': an attribution set inside the sentence
    it reports; the whole sentence is the reported content."""
    out: list[Quote] = []
    for tok in sdoc:
        if tok.dep_ != "parataxis" or tok.lemma_.lower() not in REPORT_VERBS:
            continue
        subj = _subject(tok)
        if subj is None or _inside(tok, directs) or subj.lower_ in ("we", "i"):
            continue
        sent = tok.sent
        if not (sent.start < subj.i and tok.i < sent.end - 2):
            continue  # not in the middle of its sentence
        first, last = sent.start, sent.end - 1
        after = tok.right_edge.i + 1
        while after < sent.end and sdoc[after].is_punct:
            after += 1
        if after < sent.end and sdoc[after].dep_ == "cc":
            # "<content>, the office says, and <the writer goes on>"
            last = min(subj.left_edge.i, tok.left_edge.i) - 1
        while first < last and (sdoc[first].is_punct or sdoc[first].is_space):
            first += 1
        while last > first and (sdoc[last].is_punct or sdoc[last].is_space):
            last -= 1
        start, end = sdoc[first].idx, sdoc[last].idx + len(sdoc[last].text)
        if "\n" in _text_of(sdoc)[start:end] or any(q.start < end and start < q.end for q in found):
            continue
        quoted = sum(max(0, min(end, d.end) - max(start, d.start)) for d in directs)
        if quoted >= 0.5 * (end - start):
            continue
        out.append(resolver.indirect(start, end, subj, tok.text))
    return out


_HEADLINE_LINE = re.compile(
    r"^(?:(?:Watch|Video|Listen|Audio):\s*)?(?P<content>[^\n]{12,}?)\s+[-–—]\s+"
    r"(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s*$",
    re.M,
)


def _headline_lines(
    sdoc: Doc, directs: list[_Span], found: list[Quote], resolver: SpeakerResolver
) -> list[Quote]:
    """A line in headline form, "<what was said> - <who said it>" (video captions, summary
    items). Only a known actor counts as the speaker, so a dash inside a sentence does not."""
    out: list[Quote] = []
    for m in _HEADLINE_LINE.finditer(_text_of(sdoc)):
        name, _ = resolver.ctx.resolve(m.group("name"), resolver.when)
        if name is None:
            name = resolver.ctx.by_part(m.group("name").split()[-1])
        if name is None:
            continue
        start, end = m.start("content"), m.end("content")
        if any(q.start < end and start < q.end for q in found) or any(
            d.start < end and start < d.end for d in directs
        ):
            continue
        out.append(resolver.indirect(start, end, (name, m.group("name"), 0.7), "-"))
    return out


# "Sanders: Clinton email story has moved on" (a headline), "FALLIN: I think he is ..." (an
# interview transcript): a line that opens with a name and a colon.
_COLON_LEAD_LINE = re.compile(
    r"^[ \t]*(?P<name>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})[ \t]*:[ \t]+"
    r"(?P<content>[^\n]*[^\s.][^\n]{10,})$",
    re.M,
)


def _colon_lead_lines(
    sdoc: Doc, directs: list[_Span], found: list[Quote], resolver: SpeakerResolver
) -> list[Quote]:
    """A line "<person>: <what they said>" reports that person. Only a person counts (a
    name the document's mentions or the registry type as one): "Poll: ...", "Update: ..." or
    "Ukraine war: ..." are labels, not speakers. Quoted content is a direct quote instead."""
    out: list[Quote] = []
    text = _text_of(sdoc)
    for m in _COLON_LEAD_LINE.finditer(text):
        surface = m.group("name")
        on_lead = [x for x in resolver.mentions if m.start("name") <= x.start < m.end("name")]
        if len(on_lead) == 1:
            name = on_lead[0].actor if resolver._is_person(on_lead[0].actor) else None
        else:
            name = resolver.label_person(surface)
        content = sdoc.char_span(m.start("content"), m.end("content"), alignment_mode="expand")
        if name is None or content is None:
            continue
        if not any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in content):
            continue  # "Jeremy Bowen: International editor" credits a role, says nothing
        span = _trimmed(sdoc, content.start, content.end - 1)
        if span is None or any(q.start < span[1] and span[0] < q.end for q in found):
            continue
        if _quoted_share(directs, *span) >= 0.5:
            continue
        out.append(resolver.indirect(*span, (name, surface, 0.7), ":"))
    return out


_REPORT_NOUNS = _nouns("report_nouns")
_BELIEF_NOUNS = _nouns("belief_nouns")
_HOLDING_VERBS = _words("holding_verbs")
_VOICING_VERBS = _words("voicing_verbs")


def _trimmed(sdoc: Doc, first: int, last: int) -> tuple[int, int] | None:
    while first < last and (sdoc[first].is_punct or sdoc[first].is_space):
        first += 1
    while last > first and (sdoc[last].is_punct or sdoc[last].is_space):
        last -= 1
    if last - first < 2:
        return None
    return sdoc[first].idx, sdoc[last].idx + len(sdoc[last].text)


def _noun_report_span(tok: Token) -> tuple[Token | None, Token] | None:
    """(source, that-clause) of "the statement by the ministry that <clause>" or "the
    ministry's statement was that <clause>"."""
    lemma = tok.lemma_.lower()
    if lemma not in _REPORT_NOUNS and lemma not in _BELIEF_NOUNS or tok.pos_ != "NOUN":
        return None
    clause = next(
        (
            c
            for c in tok.children
            if c.dep_ in ("acl", "ccomp", "relcl")
            and c.left_edge.lower_ == "that"
            and c.left_edge.dep_ == "mark"
        ),
        None,
    )
    if clause is None and tok.dep_ == "nsubj" and tok.head.lemma_ == "be":
        # "Rubio's argument was that ...": the noun is the subject of a copula
        clause = next(
            (
                c
                for c in tok.head.children
                if c.dep_ == "ccomp" and c.i > tok.head.i and _that_clause(c)
            ),
            None,
        )
    if clause is None:
        return None
    source: Token | None = None
    for child in tok.children:
        if child.dep_ == "poss":
            source = child
        elif child.dep_ == "prep" and child.lower_ in ("by", "from", "among"):
            source = next((g for g in child.children if g.dep_ == "pobj"), source)
    if source is None:
        # "media reports that ...", "a Pentagon statement that ...": the modifier says whose
        source = next(
            (c for c in tok.children if c.dep_ == "compound" and c.pos_ in ("PROPN", "NOUN")),
            None,
        )
    if lemma in _BELIEF_NOUNS and lemma not in _REPORT_NOUNS:
        # a belief is reported only as someone's: "her belief that", "fears among aides
        # that", "he expressed hope that"; "it raises hopes that" voices no one's
        held = tok.dep_ == "dobj" and tok.head.lemma_.lower() in _HOLDING_VERBS
        source = source or (_subject(tok.head) if held else None)
        return (source, clause) if source is not None else None
    if source is None and tok.dep_ == "dobj" and tok.head.lemma_.lower() in _VOICING_VERBS:
        # "Aides raised concerns that ...", "she made the argument that ...": who voiced it
        source = _subject(tok.head)
    return (source, clause)


def _noun_reports(
    sdoc: Doc, directs: list[_Span], found: list[Quote], resolver: SpeakerResolver
) -> list[Quote]:
    """ "the statement by the ministry that <clause>": a speech noun with its source and
    content."""
    out: list[Quote] = []
    for tok in sdoc:
        hit = None if _inside(tok, directs) else _noun_report_span(tok)
        if hit is None:
            continue
        source, clause = hit
        span = _trimmed(sdoc, clause.left_edge.i + 1, clause.right_edge.i)
        if source is None:
            if span is None or any(q.start < span[1] and span[0] < q.end for q in found + out):
                continue
            if "\n" in resolver.text[span[0] : span[1]] or _quoted_share(directs, *span) >= 0.8:
                continue
            out.append(resolver.indirect(*span, (None, None, 0.0), tok.text))
        elif _free_report_span(sdoc, span, source, directs, found):
            out.append(resolver.indirect(*span, source, tok.text, 0.8))
    return out


_ADDRESSEE_VERBS = _words("addressee_verbs")


def _as_attribution(tok: Token) -> bool:
    """A speech verb subordinated with "as" that has no content of its own: "as Stoltenberg
    added", "as he told reporters", "as one analyst put it"."""
    lemma = tok.lemma_.lower()
    if tok.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children):
        return False
    objects = [c for c in tok.children if c.dep_ in ("ccomp", "dobj")]
    if lemma == "put":  # the idiom "as X put it"
        return len(objects) == 1 and objects[0].lower_ == "it"
    if lemma not in REPORT_VERBS:
        return False
    # "as he told reporters": the object of a verb of telling is who heard it, no content
    return all(c.dep_ == "dobj" and lemma in _ADDRESSEE_VERBS for c in objects)


def _leading_as(sent: Span) -> tuple[Token, Token, int] | None:
    """(verb, source, comma) of a sentence that opens with an attribution set with "as"
    ("As the Post reported, ...", "But as one analyst put it, ..."). Read from the words,
    not the parse: the small parser often hangs such an opening on a noun."""
    toks = [t for t in sent if not t.is_space]
    k = 0
    while k < len(toks) and (toks[k].is_punct or toks[k].pos_ in ("CCONJ", "ADV")):
        k += 1  # "But as ...", "However, as ..."
    if k >= len(toks) - 3 or toks[k].lower_ != "as":
        return None
    comma = next((j for j in range(k + 1, min(len(toks), k + 16)) if toks[j].text == ","), None)
    if comma is None:
        return None
    clause = toks[k + 1 : comma]
    at = next(
        (
            j
            for j in range(len(clause) - 1, 0, -1)
            if clause[j].pos_ == "VERB"
            and clause[j].tag_ in ("VBD", "VBZ", "VBP", "VBN")
            and (clause[j].lemma_.lower() in REPORT_VERBS or clause[j].lemma_.lower() == "put")
        ),
        None,
    )
    if at is None:
        return None
    verb, after = clause[at], clause[at + 1 : at + 2]
    lemma = verb.lemma_.lower()
    if lemma == "put" and not (after and after[0].lower_ == "it"):
        return None
    if after and lemma != "put" and after[0].pos_ not in ("ADP", "ADV", "PART"):
        told = lemma in _ADDRESSEE_VERBS and after[0].pos_ in ("NOUN", "PROPN", "PRON")
        dated = after[0].ent_type_ in ("DATE", "TIME")
        if not (told or dated):
            return None  # the verb has an object: "as he described the plan"
    names = [t for t in clause[:at] if t.pos_ in ("NOUN", "PROPN", "PRON")]
    if not names:
        return None
    return verb, names[-1], toks[comma].i


def _as_reports(
    sdoc: Doc, directs: list[_Span], found: list[Quote], resolver: SpeakerResolver
) -> list[Quote]:
    """ "As the Post reported, <clause>" / "<clause>, as Stoltenberg added": an attribution
    subordinated with "as"; the rest of the sentence is what was said."""
    out: list[Quote] = []
    for sent in sdoc.sents:
        lead = _leading_as(sent)
        if lead is None or _inside(lead[0], directs):
            continue
        verb, source, comma = lead
        # the content ends with its line (a quotation set below a colon is not part of it)
        last = next((t.i - 1 for t in sdoc[comma + 1 : sent.end] if "\n" in t.text), sent.end - 1)
        span = _trimmed(sdoc, comma + 1, last)
        if _free_report_span(sdoc, span, source, directs, found):
            out.append(resolver.indirect(*span, source, verb.text, 0.8))
    for tok in sdoc:
        if (
            tok.lemma_.lower() not in REPORT_VERBS
            or tok.dep_ != "advcl"
            or tok.i < tok.head.i
            or _inside(tok, directs)
            or not any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)
            or any(c.dep_ in ("ccomp", "dobj") for c in tok.children)
        ):
            continue
        subj = _subject(tok)
        left_end = tok.left_edge.i - 1
        if subj is None or left_end <= tok.head.sent.start:
            continue
        span = _trimmed(sdoc, tok.head.sent.start, left_end)
        if _free_report_span(sdoc, span, subj, directs, found):
            out.append(resolver.indirect(*span, subj, tok.text, 0.8))
    return out


_TOPIC_VERBS = _words("topic_verbs")
_TOPIC_NOUNS = _nouns("topic_nouns")
_WH_WORDS = {"how", "whether", "why", "what", "who", "where", "when"}


def _topic_reports(
    sdoc: Doc, directs: list[_Span], found: list[Quote], resolver: SpeakerResolver
) -> list[Quote]:
    """ "X talked about how he would build a wall", "questions about whether she knew": a
    verb or noun of saying whose "about"/"over"/"on" takes a question clause reports that
    clause as what was spoken of. A noun names no speaker unless it has an owner."""
    out: list[Quote] = []
    for prep in sdoc:
        if prep.dep_ != "prep" or prep.lower_ not in ("about", "over", "on"):
            continue
        head = prep.head
        lemma = head.lemma_.lower()
        verb = head.pos_ == "VERB" and lemma in _TOPIC_VERBS
        if not verb and not (head.pos_ == "NOUN" and lemma in _TOPIC_NOUNS):
            continue
        clause = next((c for c in prep.children if c.dep_ in ("pcomp", "pobj")), None)
        if clause is None or clause.left_edge.lower_ not in _WH_WORDS or _inside(head, directs):
            continue
        subj = (
            _subject(head) if verb else next((c for c in head.children if c.dep_ == "poss"), None)
        )
        # "When pressed by Holt about how ...": a passive's agent asked
        subj = (_agent(head) if verb else None) or subj
        span = _trimmed(sdoc, clause.left_edge.i, clause.right_edge.i)
        if span is None or "\n" in resolver.text[span[0] : span[1]]:
            continue
        source: Token | Resolved = subj if subj is not None else (None, None, 0.0)
        if subj is not None and not _free_report_span(sdoc, span, subj, directs, found):
            continue
        if subj is None and (
            any(q.start < span[1] and span[0] < q.end for q in found)
            or _quoted_share(directs, *span) >= 0.8
        ):
            continue
        out.append(resolver.indirect(*span, source, head.text, 0.7))
    return out


def _free_report_span(
    sdoc: Doc,
    span: tuple[int, int] | None,
    source: Token,
    directs: list[_Span],
    found: list[Quote],
) -> bool:
    """Whether a candidate report span may be kept: on one line, not the writer ("we",
    "I"), not overlapping a report already found, not (mostly) a direct quote."""
    if span is None or source.lower_ in ("we", "i"):
        return False
    start, end = span
    if "\n" in _text_of(sdoc)[start:end] or any(q.start < end and start < q.end for q in found):
        return False
    return _quoted_share(directs, start, end) < 0.8


def _balance(text: str, start: int, end: int, directs: list[_Span]) -> tuple[int, int]:
    """Never cut a quotation in half: a clause that starts or ends inside quotation marks
    takes in the whole quotation with its marks (both of them, when it starts where the
    quotation starts and ends past it; the closing one, when it ends with the quoted words:
    'termed the strike "an act of sabotage"')."""
    for d in directs:
        close = d.close_at + 1 if d.close_at is not None else d.end
        inside_end = d.start < end < d.end or end == d.end and start < d.start
        if inside_end and close <= len(text):
            end = close
        if d.start < start < d.end or start == d.start and end > d.end:
            start = d.open_at
    return start, end


_ASIDE_WORDS = _words("aside_words")
_TRAILING = {"cc", "prep", "mark", "punct", "advmod"}


def _dangling(tok: Token) -> bool:
    """A word left hanging at the end of a cut clause ("and", "as", "however"), but not an
    adverb that completes the verb before it ("the strike would go ahead", "the war was
    over")."""
    if tok.dep_ not in _TRAILING or tok.text in "\"”’'»":
        return False
    completes = (
        tok.head.i < tok.i
        and tok.head.pos_ in ("VERB", "AUX")
        and not tok.doc[tok.i - 1].is_punct  # ", however": an aside, not a completion
    )
    return not (tok.dep_ == "advmod" and completes)


def _content_end(sdoc: Doc, comp: Token, first: Token, last: Token) -> Token | None:
    """Where a reported clause ends: at the end of its line, and before a further speech
    verb that opens its own report ("..., and warned that ...", "with X saying ...")."""
    cut = last.i + 1
    for tok in sdoc[first.i : last.i + 1]:
        if "\n" in tok.text or tok.is_space and "\n" in tok.whitespace_ + tok.text:
            cut = min(cut, tok.i)
            break
        if tok.i + 1 < len(sdoc) and "\n" in tok.whitespace_:
            cut = min(cut, tok.i + 1)
            break
    for tok in sdoc[max(first.i + 2, comp.i + 1) : cut]:
        # "..., although ...", ", in which ...": the writer's aside begins (after the
        # clause's verb: "the scandal, while troublesome, was dealt with" goes on)
        prev = sdoc[tok.i - 1]
        if (
            tok.lower_ in _ASIDE_WORDS
            and prev.is_punct
            or tok.lower_ == "in"
            and prev.is_punct
            and tok.i + 1 < len(sdoc)
            and sdoc[tok.i + 1].lower_ == "which"
        ):
            cut = min(cut, tok.i)
            break
    for tok in sdoc[first.i : cut]:
        if tok is comp or not _speech_verb(tok) or tok.pos_ != "VERB":
            continue
        inner_conj = (
            tok.dep_ == "conj"
            and first.i <= tok.head.i < cut
            and tok.lemma_.lower() not in ("say", "add", "tell", "warn")
        )
        if tok.dep_ in ("conj", "advcl", "acl", "pcomp", "pobj") and not inner_conj:
            cut = min(cut, tok.left_edge.i)
        elif (
            tok.lemma_.lower() in ("say", "add", "tell") and tok.i > first.i and tok.dep_ != "relcl"
        ):
            # a second attribution inside the clause ("..., he said "...") starts a new report;
            # a relative clause ("officials who said ...") is part of the content
            subj = _subject(tok)
            if subj is not None and subj.i > first.i:
                cut = min(cut, subj.left_edge.i)
    end = cut - 1
    while end > first.i and (_dangling(sdoc[end]) or sdoc[end].is_space):
        end -= 1
    if end < first.i:
        return None
    return sdoc[end]


_BLOCK_LEAD_NOUNS = _nouns("block_lead_nouns")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text):
        a, b = m.start(), m.end()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def _block_quotes(sdoc: Doc, directs: list[_Span], resolver: SpeakerResolver) -> list[_Span]:
    """Quotations set as paragraphs of their own after a lead that ends in a colon
    ("X said:", "Here is the statement in full:"): pages copied as text lose the block-quote
    styling but keep the lead. The block runs until a paragraph with its own attribution."""
    text = _text_of(sdoc)
    paras = _paragraphs(text)
    out: list[_Span] = []
    i = 0
    while i < len(paras) - 1:
        a, b = paras[i]
        if not text[a:b].endswith(":") or any(a <= d.open_at < b for d in directs):
            i += 1
            continue
        lead = sdoc.char_span(a, b, alignment_mode="expand")
        verbs = [t for t in lead if _speech_verb(t) and t.pos_ == "VERB"]
        nouns = [t for t in lead if t.lower_ in _BLOCK_LEAD_NOUNS]
        if not verbs and not nouns:
            i += 1
            continue
        speaker, surface, conf = None, None, 0.0
        subj = _subject(verbs[-1]) if verbs else None
        if subj is not None:
            speaker, surface, conf = resolver.resolve(subj)
        elif resolver.state.last_speaker:
            speaker, conf = resolver.state.last_speaker, 0.6
        j = i + 1
        while j < len(paras):
            pa, pb = paras[j]
            para = text[pa:pb]
            if para.startswith("•") or any(pa <= d.open_at < pb for d in directs):
                break
            if _MARKUP_TAG.match(para):
                break  # an embedded post (<tweet author="...">) names its own author
            span = sdoc.char_span(pa, pb, alignment_mode="expand")
            if span is not None and any(
                t.lemma_.lower() in ("say", "add", "tell") and _subject(t) is not None for t in span
            ):
                break  # the writer's voice again
            out.append(
                _Span(pa, pb, pa, None, speaker, surface, verbs[-1].text if verbs else ":", conf)
            )
            j += 1
        i = j
    return out


def _claim_directs(
    directs: list[_Span], start: int, end: int, subj: Token, verb: Token, resolver: SpeakerResolver
) -> None:
    speaker, surface, conf = resolver.resolve(subj)
    for d in directs:
        if d.end > start - 2 and d.start < end + 2 and d.speaker is None:
            d.speaker, d.surface, d.cue, d.conf = speaker, surface, verb.text, conf
    _remember(resolver.state, speaker, resolver.ctx)


def _remember(state: PostState, speaker: str | None, ctx: DocContext) -> None:
    if not speaker:
        return
    state.last_speaker = speaker
    actor = ctx.actor(speaker)
    if actor is not None and actor.type == "person":
        state.last_person = speaker
        state.last_subject = speaker
    else:
        state.last_org = speaker


def _stands_alone(sdoc: Doc, d: _Span) -> bool:
    """The quote is (nearly) all of its sentence(s): nothing outside it says who speaks."""
    span = _span_of(sdoc, d.start, d.end)
    if span is None:
        return False
    first, last = span[0].sent, span[-1].sent
    close = d.close_at + 1 if d.close_at is not None else d.end
    outside = (
        first.text[: max(0, d.open_at - first.start_char)]
        + last.text[max(0, close - last.start_char) :]
    )
    return sum(c.isalnum() for c in outside) <= 3


def _quote_sentences(sdoc: Doc, d: _Span) -> list[Span]:
    """The sentence(s) a quote stands in, plus a short next sentence when the quote ends
    its own ("..." He said.)."""
    span = _span_of(sdoc, d.start, d.end)
    if span is None:
        return []
    sents = [span[0].sent]
    if span[-1].sent != sents[0]:
        sents.append(span[-1].sent)
    nxt_start = sents[-1].end
    if nxt_start < len(sdoc) and _stands_alone(sdoc, d):
        nxt = sdoc[nxt_start].sent
        if len(nxt) <= 12 or _open_ending(_text_of(sdoc), d):
            sents.append(nxt)
    return sents


def _open_ending(text: str, d: _Span) -> bool:
    """The quotation ends in a comma, question or exclamation mark inside its marks: the
    sentence goes on with who said it ('"...?" Mr. Doe asked, turning to ...')."""
    return d.close_at is not None and text[d.start : d.end].rstrip()[-1:] in (",", "?", "!")


def _by_tail_verb(
    d: _Span, sdoc: Doc, directs: list[_Span], indirect: list[Quote], resolver: SpeakerResolver
) -> None:
    """'"...," Doe went on.' / '"...!" beamed Doe': a quotation that ends open is followed
    by who said it, whatever the verb, when that verb's subject follows the quotation."""
    if d.cue is not None or d.close_at is None or not _open_ending(resolver.text, d):
        return
    after = sdoc.char_span(d.close_at, d.close_at + 1, alignment_mode="expand")
    if after is None:
        return
    first = after[-1].i + 1
    for tok in sdoc[first : min(len(sdoc), first + 6)]:
        if "\n" in tok.text or tok.is_sent_start and tok.i > first:
            return
        subj = _subject(tok) if tok.pos_ == "VERB" else None
        if subj is not None and _refers_back(tok):
            return  # '"...?" Her critics cited it as evidence': a clause about the words
        if subj is not None and subj.i >= first and not _inside(subj, directs):
            speaker, surface, conf = resolver.resolve(subj)
            if speaker:
                d.speaker, d.surface, d.cue, d.conf = speaker, surface, tok.text, min(conf, 0.8)
                d.cue_lemma = tok.lemma_.lower()
            return


_FINITE = ("VBD", "VBZ", "VBP")


def _refers_back(verb: Token) -> bool:
    """The verb's object is a pronoun for a thing ("cited it", "repeated this"): the
    quotation before it is what the clause is about, not what its subject says. Not in
    "as the memo put it", where "it" is the words and the subject their source."""
    if any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
        return False
    return any(c.dep_ == "dobj" and c.lower_ in ("it", "this", "that") for c in verb.children)


_TURN_LABEL = re.compile(r"^\s*(?P<name>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,2})\s*:\s+\S")


def _by_turn_label(
    d: _Span, sdoc: Doc, directs: list[_Span], indirect: list[Quote], resolver: SpeakerResolver
) -> None:
    """A quoted turn of a transcript ('"PENCE: Well, look, ..."') is the words of the
    speaker its label names, a person of the document."""
    m = _TURN_LABEL.match(resolver.text[d.start : d.end])
    if m is None:
        return
    label = m.group("name")
    name = resolver.label_person(label)
    if name is not None:
        d.speaker, d.surface, d.cue, d.conf = name, label, ":", 0.9


def _by_tail_name(
    d: _Span, sdoc: Doc, directs: list[_Span], indirect: list[Quote], resolver: SpeakerResolver
) -> None:
    """'"...," Jane Doe, a senior aide, said' / '"...," said Jane Doe': the credit that
    follows a quotation ending open, read from the words. The parser often hangs the name of
    a long credit on the quotation's own clause, leaving the verb with no subject."""
    if d.close_at is None or not _open_ending(resolver.text, d):
        return
    close = sdoc.char_span(d.close_at, d.close_at + 1, alignment_mode="expand")
    if close is None:
        return
    toks = [t for t in sdoc[close[-1].i + 1 : close[-1].i + 40] if not t.is_space]
    if toks and _finite_speech_verb(toks[0]):
        verb, name = toks[0], _name_run(toks[1:], resolver.mentions)  # '"...," said Jane Doe'
        after = toks[1 + len(name) : 2 + len(name)]
        if after and not after[0].is_punct:
            return  # "said Blaze co-host ...", "said Cleveland's paper": more than a name
    else:
        name = _name_run(toks, resolver.mentions)
        rest = toks[len(name) :]
        if rest and rest[0].text == ",":  # an apposition: ", a senior aide,"
            # It may hold commas of its own (", now 81 and retired in Cambridge, Mass.,"):
            # it ends at the comma a verb of saying follows, else at its first comma.
            commas = [k for k, t in enumerate(rest[1:16], 1) if t.text == ","]
            end = next(
                (k for k in commas if rest[k + 1 : k + 2] and _finite_speech_verb(rest[k + 1])),
                commas[0] if commas else None,
            )
            rest = rest[end + 1 :] if end is not None else []
        verb = rest[0] if rest else None
    if not name or verb is None or not _speech_verb(verb):
        return
    if verb.tag_ not in _FINITE or "\n" in sdoc[close[-1].i : name[-1].i].text:
        return
    speaker, surface, conf = resolver.resolve(name[-1])
    if speaker:
        d.speaker, d.surface, d.conf = speaker, surface, min(conf, 0.9)
        d.cue, d.cue_lemma = verb.text, verb.lemma_.lower()


def _finite_speech_verb(tok: Token) -> bool:
    return _speech_verb(tok) and tok.tag_ in _FINITE


def _name_run(toks: list[Token], mentions: list[Mention]) -> list[Token]:
    """The name the tokens open with: a mention that starts there ("Jane Doe", "Mr.
    Holtz-Eakin"), else a run of capitalised proper nouns the tagger did not name."""
    if not toks:
        return []
    found = next((m for m in mentions if m.start == toks[0].idx and m.via != "pronoun"), None)
    if found is not None:
        return [t for t in toks if t.idx < found.end]
    run: list[Token] = []
    for tok in toks[:6]:
        joined = run and not run[-1].whitespace_  # "Holtz-Eakin": one name in three tokens
        if tok.pos_ == "PROPN" and tok.text[:1].isupper() or joined and tok.text == "-":
            run.append(tok)
        elif joined and run[-1].text == "-" and tok.text[:1].isupper():
            run.append(tok)
        else:
            break
    while run and run[-1].text == "-":
        run.pop()
    return run


def _by_colon_clause(
    d: _Span, sdoc: Doc, directs: list[_Span], indirect: list[Quote], resolver: SpeakerResolver
) -> None:
    """ "Rubio fired back: '...'": a quotation that a colon opens in the same sentence is the
    words of the subject of the clause before the colon, whatever its verb, when that
    subject is a known actor or a person pronoun (a nearer speech verb in a clause about
    someone else, "When Trump suggested ...", does not decide)."""
    text = resolver.text
    before = text[: d.open_at].rstrip(" \t")
    if not before.endswith(":") or "\n" in text[len(before) : d.open_at]:
        return
    colon = sdoc.char_span(len(before) - 1, len(before), alignment_mode="expand")
    if colon is None:
        return
    # the verbs from the words before the colon up to the top of their clause: the first verb
    # of saying among them ("as Stoltenberg added in the next sentence:", "explained what the
    # alliance expects:"), else the top one ("Lopez fired back:")
    tok, chain = sdoc[max(colon[0].i - 1, 0)], []
    while True:
        if tok.pos_ in ("VERB", "AUX"):
            chain.append(tok)
        if tok.head.i >= colon[0].i or tok.head.i == tok.i:
            break
        tok = tok.head
    said = [t for t in chain if _speech_verb(t)]
    verb = said[0] if said else chain[-1] if chain else None
    if verb is None or _inside(verb, directs):
        return
    subj = _subject(verb)
    if subj is None or subj.lower_ in ("we", "i", "it", "this", "there", "they"):
        return
    known = resolver.known_subject(subj)
    if known is not None:
        d.speaker, d.surface, d.cue, d.conf = known[0], known[1], ":", min(known[2], 0.8)
        d.cue_lemma = verb.lemma_.lower()


def _nearest_speech_verb(sdoc: Doc, d: _Span, directs: list[_Span]) -> Token | None:
    """The speech verb with a subject nearest the quote, in its sentences and line."""
    best: tuple[int, Token] | None = None
    text = ""
    for sent in _quote_sentences(sdoc, d):
        for tok in sent:
            if not _speech_verb(tok) or tok.pos_ not in ("VERB", "AUX"):
                continue
            if _inside(tok, directs) or _subject(tok) is None:
                continue
            if tok.idx > d.end and _refers_back(tok):
                continue  # '"...?" Her critics repeated it': about the words, not their source
            lo, hi = sorted((tok.idx, d.open_at))
            text = text or _text_of(sdoc)
            if "\n" in text[lo:hi]:
                continue  # another line (a list item) has its own speaker
            distance = min(abs(tok.idx - d.open_at), abs(tok.idx - (d.close_at or d.end)))
            if best is None or distance < best[0]:
                best = (distance, tok)
    return best[1] if best is not None else None


def _by_speech_verb(
    d: _Span, sdoc: Doc, directs: list[_Span], indirect: list[Quote], resolver: SpeakerResolver
) -> None:
    """The subject of the nearest speech verb ("'...,' the minister said")."""
    verb = _nearest_speech_verb(sdoc, d, directs)
    subj = _subject(verb) if verb is not None else None
    if verb is None or subj is None or _inside(subj, directs):
        return
    source = _source_of(verb, subj)  # "X was asked by Y whether ...": Y asked
    if isinstance(source, Token):
        d.speaker, d.surface, d.conf = resolver.resolve(source)
        d.cue, d.cue_lemma = verb.text, verb.lemma_.lower()


def _by_according(
    d: _Span, sdoc: Doc, directs: list[_Span], indirect: list[Quote], resolver: SpeakerResolver
) -> None:
    """ "according to X" in the quote's sentence."""
    if d.cue is not None:
        return  # a speech verb was found but named nobody
    for sent in _quote_sentences(sdoc, d)[:2]:
        source = _according_to(sent)
        if source is not None and not _inside(source, directs):
            d.speaker, d.surface, d.conf = resolver.cited(source)
            d.cue = "according to"
            return


def _by_sentence_subject(
    d: _Span, sdoc: Doc, directs: list[_Span], indirect: list[Quote], resolver: SpeakerResolver
) -> None:
    """Quoted words inside a sentence with no speech verb ("He likened it to 'a broth'")
    are the words of that sentence's subject, when the subject is a known actor."""
    if d.cue is not None:
        return
    sents = _quote_sentences(sdoc, d)
    if not sents or _inside(sents[0].root, directs):
        return
    subj = _subject(sents[0].root)
    if subj is None or _inside(subj, directs) or subj.lower_ in ("we", "i"):
        return
    lo, hi = sorted((subj.idx, d.open_at))
    if "\n" in _text_of(sdoc)[lo:hi]:
        return  # the subject of another line
    known = resolver.known_subject(subj)
    if known is not None:
        d.speaker, d.surface, d.cue, d.conf = known[0], known[1], None, min(known[2], 0.6)


def _according_to_quotes(
    sdoc: Doc, directs: list[_Span], found: list[Quote], resolver: SpeakerResolver
) -> list[Quote]:
    """ "According to X, <content>" and "<content>, according to X" as reported speech."""
    out = []
    for sent in sdoc.sents:
        source = _according_to(sent)
        if source is None or _inside(source, directs):
            continue
        according = next(t for t in sent if t.lower_ == "according")
        phrase_end = list(source.subtree)[-1].i + 1
        if according.i <= sent.start + 1:
            first, last = phrase_end, sent.end
        elif _clause_goes_on(sdoc, phrase_end, sent.end):
            # "Since November, according to the group, forces have killed ...": the source
            # stands inside the clause it reports, which is the whole sentence
            first, last = sent.start, sent.end
        else:
            first, last = sent.start, according.i
        while first < last and (sdoc[first].is_punct or sdoc[first].is_space):
            first += 1
        while last > first and (sdoc[last - 1].is_punct or sdoc[last - 1].is_space):
            last -= 1
        if last - first < 3:
            continue
        start, end = sdoc[first].idx, sdoc[last - 1].idx + len(sdoc[last - 1].text)
        if any(q.start < end and start < q.end and q.kind == "indirect" for q in found):
            continue
        if _is_attribution(sdoc[first:last]) and _after_quote(sdoc[first:last], directs):
            continue  # '"...?" O'Malley said, according to the Sun': the Sun relays a quote
        quoted = sum(max(0, min(end, d.end) - max(start, d.start)) for d in directs)
        if quoted >= 0.8 * (end - start):
            continue
        out.append(resolver.indirect(start, end, resolver.cited(source), "according to"))
    return out


def _clause_goes_on(sdoc: Doc, phrase_end: int, sent_end: int) -> bool:
    """After "according to X," the sentence goes on with a clause of its own (a main,
    complement or conjoined verb), not a trailing adjunct ("..., according to X, with 100
    still uncommitted")."""
    if phrase_end >= sent_end or sdoc[phrase_end].text != ",":
        return False
    rest = sdoc[phrase_end + 1 : sent_end]
    return any(t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT", "ccomp", "conj") for t in rest)


def _after_quote(words: Span, directs: list[_Span]) -> bool:
    """A quotation closes inside the words or just before them."""
    start, end = words[0].idx, words[-1].idx + len(words[-1])
    return any(d.close_at is not None and start - 2 <= d.close_at < end for d in directs)


def _is_attribution(words: Span) -> bool:
    """Words that only say who spoke ("O'Malley said at a press conference"): their root is
    a verb of saying with a subject and nothing reported."""
    root = words.root
    return (
        _speech_verb(root)
        and any(c.dep_ in _SUBJECT_DEPS for c in root.children)
        and _complement(root) is None
    )


# Reported speech patterns, in order: a later one never takes a span an earlier one found.
REPORT_PATTERNS = (
    _clause_reports,
    _verb_phrase_reports,
    _parenthetical_reports,
    _noun_reports,
    _as_reports,
    _headline_lines,
    _colon_lead_lines,
    _topic_reports,
)
# Speaker strategies for a direct quote, in order: the first that finds a speaker decides.
_DIRECT_STRATEGIES = (
    _by_turn_label,
    _owner_report,
    _by_tail_name,
    _by_colon_clause,
    _by_speech_verb,
    _by_according,
    _by_tail_verb,
    _by_dash_credit,
    _by_sentence_subject,
    _by_lead,
    _by_colon_paragraph,
    _by_sentence_before,
    _by_paragraph_neighbour,
    _by_continuation,
)


_TITLE_TAIL = re.compile(
    r"(?:,\s*(?:says|warns|tells|claims|insists|adds)\s+(?P<a>[^,]+?)|\s+[-–—]\s+(?P<b>[^-–—]+?)"
    r"|,\s*(?P<c>[^,]+?)\s+(?:says|warns|tells|claims|insists|adds))\s*$"
)


def title_speaker(title: str | None, ctx: DocContext, when: datetime | date | None) -> str | None:
    """The speaker a post title names: "..., says Lavrov", "... - Stoltenberg", "Tusk: ..."."""
    if not title:
        return None
    m = _TITLE_TAIL.search(title)
    surface = None
    if m:
        surface = m.group("a") or m.group("b") or m.group("c")
    else:
        lead = re.match(r"^([A-Z][\w.'’-]*(?:\s+[\w.'’-]+){0,4})\s*:", title)
        surface = lead.group(1) if lead else None
    if not surface or len(surface.split()) > 6:
        return None
    surface = surface.strip()
    name, _ = ctx.resolve(surface, when)
    if name is None:
        name = ctx.by_part(surface.split()[-1])
    if name is None and surface[:1].isupper() and 1 < len(surface.split()) <= 5:
        # A source the registry does not know, named by the headline ("... - Ukraine's army")
        name = ctx.learn_org(surface)
    return name


__all__ = ["PostState", "extract_quotes", "quote_spans", "title_speaker", "norm"]
