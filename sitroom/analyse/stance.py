"""Propositions and stance: what a claim is about, and whether it supports or rejects it.

A claim's proposition is the clause around the event it speaks of (the catalogue cue nearest
the root of its parse, or the main clause when it names none), stated in the positive:
subject / predicate / object ("Russia / withdraw / forces from the border"). Its stance toward
that proposition comes from the words that govern the event in the parse, not from a negation
anywhere in the sentence: walking from the event up to the clause that states it, each
negator ("not", "no sign of"), rejecting word ("denied", "the myth that") and double negative
("not too late", "far from exhausted") is counted; an odd count rejects. A negation in another
clause ("it isn't certain, and there is still time for diplomacy") does not touch it. A
condition, a demand or an open question is "unclear"; a question that doubts ("how do we know
that ...") rejects, weakly. The word lists and confidences are in sitroom/data/analysis.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sitroom.analyse.catalogue import (
    CueMatch,
    analysis_words,
    cue_matches,
    indicator,
    lemma,
    lemma_set,
    load_catalogue,
)

CLAUSE_BREAKS = {"conj", "parataxis"}
# An adverbial clause with one of these markers is a clause of its own ("if", "because");
# without one ("not practical for Ukraine to join") it is what the main clause speaks of.
ADVERBIAL_MARKERS = {
    "if",
    "when",
    "because",
    "although",
    "though",
    "while",
    "unless",
    "after",
    "before",
    "as",
    "since",
    "whereas",
    "once",
}
VERBAL = {"VERB", "AUX"}
FIRST_PERSON = {"my", "our"}


@dataclass
class Reading:
    """What the parse says about one claim."""

    signal: str | None  # the event the claim is about (None: no catalogue signal)
    subject: str | None
    predicate: str | None
    object: str | None
    proposition: str  # subject / predicate / object in words, positive
    stance: str  # supports | rejects | unclear
    reason: str  # why: "states it", "negation", "denial", "double negative", ...
    confidence: float
    kind: str  # what the claim counts as: event | denial | warning | accusation | none


def _words() -> dict:
    return analysis_words()


@lru_cache(maxsize=32)
def _lemmas_of(key: str) -> frozenset[str]:
    return frozenset(lemma(str(w)) for w in _words()[key])


def _lemma_in(token, key: str) -> bool:
    return lemma(token.text) in _lemmas_of(key) or lemma(token.lemma_) in _lemmas_of(key)


def _anchor(sdoc, matches: list[CueMatch]):
    """(token, match) of the cue nearest the root: the event the claim is about."""
    best = None
    for m in matches:
        span = sdoc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        head = span.root
        if _discussion(head):
            continue  # "premature to talk about sending troops": the talk is not the event
        depth = sum(1 for _ in head.ancestors)
        if best is None or depth < best[0]:
            best = (depth, head, m)
    return (best[1], best[2]) if best else (None, None)


def _discussion(head) -> bool:
    """A cue word that names talking about something ("premature to talk about X", "talk of
    X"), not negotiations: as a verb with "about" or "of", or as a noun with "of"."""
    if not _lemma_in(head, "discussion_words"):
        return False
    topic = ("about", "of") if head.pos_ == "VERB" else ("of",)
    return any(c.dep_ == "prep" and c.lower_ in topic for c in head.children)


def _narrowed(signal: str, path: list) -> tuple[str, int]:
    """(the narrower signal a claim is about, flips) when its parse puts the event under one
    of that signal's qualifiers ("no role for Europe in the talks": who takes part in talks).
    A preposition qualifies only with a party as its object ("without Ukraine", not "without
    agreement"). The words looked at: the event's own phrase, the heads above it, and their
    objects and prepositions ("envisaged no role ... in talks"). A qualifier that leaves the
    party out ("without", catalogue `excluding`) flips the stance toward "takes part" when
    the negations on the path have not already counted it."""
    around = [c for t in path for c in t.children if c.dep_ in ("prep", "dobj", "attr")]
    tokens = list(dict.fromkeys([*path, *around, *path[0].subtree]))
    counted = {t.i for t in path}  # a "without" above the event is a negation already
    for ind in load_catalogue():
        if ind.narrows != signal:
            continue
        found = [t for t in tokens if _qualifies(t, ind.qualifiers)]
        if found:
            flips = sum(1 for t in found if _qualifies(t, ind.excluding) and t.i not in counted)
            return ind.id, flips
    return signal, 0


def _qualifies(token, words: frozenset[str]) -> bool:
    if lemma(token.lemma_) not in words and lemma(token.text) not in words:
        return False
    return token.dep_ != "prep" or any(c.pos_ in ("PROPN", "PRON") for c in token.children)


def _attributed(path: list) -> bool:
    """The clause is someone's narrative or position as another reports it ("Russia's line has
    always been that it threatens nobody", "the narrative that ..."): not the speaker's."""
    for t in path:
        if t.dep_ not in ("ccomp", "acl", "attr", "appos"):
            continue
        head = t.head
        nouns = [head] + [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
        for noun in nouns:
            if noun.pos_ not in ("NOUN", "PROPN"):
                continue  # "X claimed that ...": a reporting verb, read by _content_root
            own = any(c.dep_ == "poss" and c.lower_ in FIRST_PERSON for c in noun.children)
            if _lemma_in(noun, "attributing_nouns") and not own:
                return True  # "our position is that ..." is the speaker's own
    return False


def _demand(path: list, sdoc) -> bool:
    """A demand or call ("Europe must be involved"), not a condition ("if they attack")."""
    return _governed_by(path, "demand_words") and not any(
        _lemma_in(t, "condition_words") for t in sdoc
    )


def _content_root(sdoc):
    """The main clause, below any reporting verb ("Trump acknowledged that X": X)."""
    token = next((t for t in sdoc if t.dep_ == "ROOT"), None)
    while token is not None and _lemma_in(token, "reporting_verbs"):
        inner = next((c for c in token.children if c.dep_ == "ccomp"), None)
        if inner is None:
            break
        token = inner
    return token


def _own_clause(token) -> bool:
    """A conjoined verb is a clause of its own when it has its own subject ("it isn't
    certain, and there is still time"); one that shares its head's ("no plans to either
    address the conference or meet the envoy") shares what governs the head, too."""
    return token.dep_ != "conj" or any(
        c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in token.children
    )


def _path(anchor) -> list:
    """The anchor and its heads up to the top of its clause."""
    path = [anchor]
    token = anchor
    while token.head.i != token.i:
        if token.pos_ in VERBAL and (
            (token.dep_ in CLAUSE_BREAKS and _own_clause(token))
            or (
                token.dep_ == "advcl"
                and any(c.dep_ == "mark" and c.lower_ in ADVERBIAL_MARKERS for c in token.children)
            )
        ):
            break
        token = token.head
        path.append(token)
    return path


def _is_negator(token) -> bool:
    """A word that negates the head it hangs from. "without" negates only what it governs
    ("passed without an attack": counted on the path), never its head ("talks without
    preconditions" are still talks)."""
    low = token.lower_.replace("’", "'")
    if low in _words()["governing_negators"]:
        return False
    if token.dep_ == "neg":
        return True
    if low == "far" and any(c.lower_ == "from" for c in token.children):
        return True  # "far from exhausted"
    return low in _words()["negators"] and token.dep_ in (
        "det",
        "advmod",
        "npadvmod",
        "dobj",
        "nsubj",
        "attr",
        "prep",
        "pobj",
    )


def _circumstance(anchor, path: list) -> bool:
    """Whether the event is only the circumstance of the claim: inside the phrase of a noun
    that does not frame it, or in a clause of time."""
    for token in path:
        head = token.head
        if (
            token.dep_ == "pobj"
            and head.dep_ == "prep"
            and head.head.pos_ == "NOUN"
            and head.head.i != anchor.i
            and not _lemma_in(head.head, "framing_nouns")
        ) or (
            token.dep_ == "pobj" and head.dep_ == "prep" and _lemma_in(head.head, "relating_words")
        ):
            # "they are not linked to the talks": the claim is about the link, not the talks
            return True
    top = path[-1]
    return top.dep_ == "advcl" and any(
        c.dep_ == "mark" and _lemma_in(c, "background_markers") for c in top.children
    )


def _polarity(anchor) -> tuple[int, int, int]:
    """(negations, rejecting words, negative evaluatives) governing the anchor."""
    negations = rejecting = evaluative = 0
    path = _path(anchor)
    on_path = {t.i for t in path}
    for n, token in enumerate(path):
        if n and token.lower_ in _words()["governing_negators"]:
            negations += 1  # the event is what is missing: "the day passed without an attack"
        if n and _lemma_in(token, "rejecting_words"):
            rejecting += 1
        if n and _lemma_in(token, "negative_evaluatives"):
            evaluative += 1
        for child in token.children:
            if child.i in on_path:
                continue
            if _is_negator(child):
                negations += 1
            elif child.dep_ in ("dobj", "attr") and any(
                g.dep_ == "det" and _is_negator(g) for g in child.children
            ):
                negations += 1  # "Europe has no place at the table"
            elif child.dep_ in ("acomp", "advmod", "amod", "prep", "pobj") and _lemma_in(
                child, "negative_evaluatives"
            ):
                evaluative += 1
            elif child.dep_ in ("amod", "advmod") and _lemma_in(child, "rejecting_words"):
                rejecting += 1
            elif child.dep_ in ("advcl", "acl", "xcomp") and child.lemma_ == "be":
                # "X being off the table", "X to be impossible": a predicate on X.
                evaluative += sum(
                    1
                    for g in child.children
                    if g.dep_ in ("prep", "acomp", "attr", "advmod")
                    and _lemma_in(g, "negative_evaluatives")
                )
            for grandchild in child.children if child.lower_ == "far" else ():
                for g in grandchild.children:
                    if _lemma_in(g, "negative_evaluatives"):
                        evaluative += 1
    return negations, rejecting, evaluative


def _spo(anchor, sdoc) -> tuple[str | None, str | None, str | None]:
    verb = anchor
    while verb.pos_ not in VERBAL and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ not in VERBAL:
        verb = next((t for t in sdoc if t.dep_ == "ROOT"), anchor)
    subject = obj = None
    for child in verb.children:
        text = sdoc[child.left_edge.i : child.right_edge.i + 1].text
        if (
            child.dep_ in ("nsubj", "nsubjpass", "expl")
            and subject is None
            and child.dep_ != "expl"
        ):
            subject = text
        elif (
            child.dep_ in ("dobj", "attr", "acomp", "xcomp", "prep", "ccomp", "oprd")
            and obj is None
        ):
            obj = text
    particle = " ".join(c.lower_ for c in verb.children if c.dep_ == "prt")
    predicate = (verb.lemma_.lower() + (" " + particle if particle else "")).strip()
    if anchor.i != verb.i and obj is None:
        obj = sdoc[anchor.left_edge.i : anchor.right_edge.i + 1].text
    return subject, predicate, obj


def _doubting(text: str) -> bool:
    lemmas = " ".join(w for w, *_ in _tokens(text))
    return any(" ".join(p) in lemmas for p in lemma_set(_words()["doubting_questions"]))


def _tokens(text: str):
    from sitroom.analyse.catalogue import words

    return words(text)


def _governed_by(path, key: str) -> bool:
    return any(
        _lemma_in(t, key)
        or any(c.dep_ in ("aux", "amod", "acomp") and _lemma_in(c, key) for c in t.children)
        for t in path
    )


def _kind(stance: str, modality: str, cue: str | None, path) -> str:
    if stance == "rejects":
        return "denial"
    if modality in ("hypothetical", "questioned"):
        return "none"
    cue_lemma = lemma(cue or "")
    accusing = {lemma(w.split()[0]) for w in _words()["accusing_verbs"]}
    if cue_lemma in accusing or any(lemma(t.text) in accusing for t in path):
        return "accusation"
    if modality == "predicted" or _governed_by(path, "warning_words"):
        return "warning"
    return "event"


def read_claim(text: str, modality: str, cue: str | None, sdoc) -> Reading:
    """The proposition and stance of one claim, from its text and its parse."""
    words = _words()
    matches = cue_matches(text)
    anchor, match = _anchor(sdoc, matches)
    if anchor is None:
        anchor = _content_root(sdoc)
    if anchor is None:
        return Reading(None, None, None, None, text, "unclear", "no clause", 0.0, "none")
    path = _path(anchor)
    signal, excluded = _narrowed(match.indicator.id, path) if match else (None, 0)
    if match is not None and signal == match.indicator.id and _circumstance(anchor, path):
        match = None  # the claim speaks of something else: its main clause is the proposition
        anchor = _content_root(sdoc)
        path = _path(anchor)
    signal = signal if match else None
    subject, predicate, obj = _spo(anchor, sdoc)
    proposition = " / ".join(p for p in (subject, predicate, obj) if p)
    negations, rejecting, evaluative = _polarity(anchor)
    # A quote's cue ("denied") is outside its words; a reported sentence holds its own verb.
    cue_lemma = lemma(cue or "")
    denied_by_cue = cue_lemma in _lemmas_of("rejecting_words") and all(
        lemma(t.text) != cue_lemma for t in sdoc
    )
    # A denial verb only labels the speech act when the words deny by themselves ("denied:
    # we had no part in it"); it rejects what they state when they state it plainly.
    denied_by_cue = denied_by_cue and not (negations or rejecting)
    flips = negations + rejecting + evaluative + int(denied_by_cue) + excluded
    double = bool(negations and evaluative)
    confidence = float(words["modality_confidence"].get(modality, 0.5))
    confidence -= words["litotes_penalty"] * double
    if len({m.indicator.id for m in matches}) > 1:
        confidence -= words["mixed_penalty"]
    position = bool(signal and (ind := indicator(signal)) and ind.positions)
    if _doubting(text):
        stance, reason = "rejects", "a question doubting it"
        confidence, kind = float(words["doubt_confidence"]), "none"
    elif _attributed(path) and not rejecting:
        stance, reason, kind = "unclear", "reports someone else's position", "none"
    elif modality == "hypothetical" and position and _demand(path, sdoc):
        # A call for what actors take positions on is a position: "Europe must be involved".
        stance = "rejects" if flips % 2 else "supports"
        reason, confidence, kind = "a demand", float(words["demand_confidence"]), "none"
    elif modality in ("hypothetical", "questioned"):
        stance, kind = "unclear", "none"
        reason = "an open question" if modality == "questioned" else "a condition or demand"
    else:
        stance = "rejects" if flips % 2 else "supports"
        reason = _reason(stance, modality, negations, bool(denied_by_cue or rejecting), double)
        kind = _kind(stance, modality, cue, path) if signal else "none"
    return Reading(
        signal, subject, predicate, obj, proposition, stance, reason,
        round(max(confidence, 0.0), 3), kind,
    )  # fmt: skip


def _reason(stance: str, modality: str, negations: int, denial: bool, double: bool) -> str:
    """Why a claim has the stance it has, in words."""
    if denial:
        return "denial"
    if double:
        return "double negative" if stance == "supports" else "negation"
    if negations:
        return "not observed" if modality == "observed" else "negation"
    if stance == "rejects":
        return "judged premature or unlikely"  # "premature to send", "unrealistic to join"
    return {"observed": "observed", "announced": "announced", "predicted": "predicted"}.get(
        modality, "states it"
    )
