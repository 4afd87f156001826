"""Claims: who says what is so, with its modality, from quotes and the outlet's own reporting.

A claim's modality comes from the words around it, not from a list of sentences: a denial
verb or a negation ("has not seen any", "no sign of", "denied") makes it `denied`/negated;
perception verbs make it `observed`; modal verbs `predicted`; a condition `hypothetical`; a
question mark `questioned`; announcement verbs `announced`; otherwise `asserted`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from sitroom.analyse.catalogue import cue_matches, indicator, signals_in
from sitroom.analyse.stance import read_claim
from sitroom.records import Claim, Document, PostEnrichment, Quote

NEGATION_RE = re.compile(
    r"\b(no|not|n't|never|nothing|none|neither|nor|without|denied|denies|deny|denying|rejected|rejects|reject|"
    r"dismissed|dismisses|false|fake|groundless|baseless|refuted|refutes)\b|n't\b",
    re.IGNORECASE,
)
DENIAL_CUES = {
    "deny",
    "denied",
    "denies",
    "reject",
    "rejected",
    "rejects",
    "dismiss",
    "dismissed",
    "refute",
    "refuted",
    "insist",
}
OBSERVED_RE = re.compile(
    r"\b(see|sees|seen|saw|observe[ds]?|notice[ds]?|detect(ed|s)?|witness(ed)?|spotted|satellite images?)\b",
    re.IGNORECASE,
)
PREDICTED_RE = re.compile(
    r"\b(will|would|could|may|might|going to|expects?|likely)\b", re.IGNORECASE
)
HYPOTHETICAL_RE = re.compile(r"^\s*(if|when|unless|should)\b|\b(if|unless)\b", re.IGNORECASE)
# A demand ("Russia must pull back its forces") says what ought to happen, not what did.
DEMAND_RE = re.compile(r"\b(must|should|ought to|needs? to|has to|have to)\b", re.IGNORECASE)
ANNOUNCED_CUES = {
    "announce",
    "announced",
    "announces",
    "declare",
    "declared",
    "confirm",
    "confirmed",
    "unveil",
    "unveiled",
}


def claim_modality(text: str, cue: str | None = None) -> tuple[str, bool]:
    """(modality, negated) of a statement and the verb that introduces it."""
    cue_low = (cue or "").lower()
    negated = bool(NEGATION_RE.search(text)) or cue_low in DENIAL_CUES
    if text.rstrip().endswith("?"):
        return "questioned", negated
    if HYPOTHETICAL_RE.search(text) or DEMAND_RE.search(text):
        return "hypothetical", negated
    if cue_low in DENIAL_CUES or (
        negated and re.search(r"\b(denied|denies|deny|rejected|dismissed)\b", text, re.I)
    ):
        return "denied", True
    if OBSERVED_RE.search(text):
        return "observed", negated
    if PREDICTED_RE.search(text):
        return "predicted", negated
    if cue_low in ANNOUNCED_CUES:
        return "announced", negated
    return ("denied" if negated else "asserted"), negated


# "talked about how he would pay for it", "argue over whether the threat is real": the
# topic of what was said, an open question that no one asserts.
INDIRECT_QUESTION_RE = re.compile(r"\s*(whether|how|why|what|who)\b", re.IGNORECASE)


def _topic(quote: Quote) -> bool:
    return quote.kind == "indirect" and bool(INDIRECT_QUESTION_RE.match(quote.text))


def _claim_id(post_id: str, start: int, text: str) -> str:
    return hashlib.sha1(f"{post_id}\x00{start}\x00{text}".encode()).hexdigest()[:12]


_SENTENCE_RE = re.compile(r"[^.!?\n]+[.!?]?")


def extract_claims(
    doc: Document, enrichment: dict[str, PostEnrichment], post_ids: dict[str, str] | None = None
) -> list[Claim]:
    """Claims of one document: every attributed quote of four words or more that states
    something (not the topic of what was said, "whether ..."), and every sentence of the
    outlet's own reporting that speaks of a catalogue signal."""
    post_ids = post_ids or {}
    claims: list[Claim] = []
    for post in doc.posts:
        result = enrichment.get(post.key)
        pid = post_ids.get(post.key, post.key)
        quoted: list[tuple[int, int]] = []
        for q in result.quotes if result else []:
            quoted.append((q.start, q.end))
            if not q.speaker or len(q.text.split()) < 4 or _topic(q):
                continue
            modality, negated = claim_modality(q.text, q.cue)
            claims.append(
                Claim(
                    id=_claim_id(pid, q.start, q.text),
                    text=q.text,
                    actor=q.speaker,
                    modality=modality,
                    negated=negated,
                    post_id=pid,
                    source=doc.source,
                    time=post.published,
                    signals=[
                        s.id
                        for s in _broader_to_specific(
                            signals_in(q.text), f"{post.title or ''}. {post.body or ''}", q.text
                        )
                    ],
                    figures=[
                        (f.value, f.unit)
                        for f in (result.figures if result else [])
                        if q.start <= f.start < q.end
                    ],
                    places=[
                        p.canonical
                        for p in (result.places if result else [])
                        if q.start <= p.start < q.end
                    ],
                    field=q.field,
                    start=q.start,
                    end=q.end,
                    cue=q.cue,
                )
            )
        claims += _reporting_claims(post, pid, doc.source, result, quoted)
    return claims


# A sentence of the outlet's own reporting whose subject is an actor followed by one of these
# verbs reports that actor's words ("Moscow has denied any involvement ..."): the claim is the
# actor's. Up to two words may come between ("has", "has again", "on Tuesday").
REPORTING_VERB_RE = re.compile(
    r"^\W*(?:\w+\W+){0,2}?(denied|denies|deny|rejected|rejects|dismissed|dismisses|refuted|"
    r"blamed|blames|accused|accuses|said|says|warned|warns|insisted|insists|claimed|claims|"
    r"announced|announces)\b",
    re.IGNORECASE,
)


def _reporting_speaker(sentence_start: int, sentence: str, result) -> tuple[str | None, str | None]:
    """(actor, verb) when the sentence reports an actor's words, else (None, None). A capital
    named for its government ("Moscow has denied") speaks too."""
    speakers = [(m.actor, m.field, m.start, m.end) for m in (result.mentions if result else [])]
    speakers += [(p.canonical, p.field, p.start, p.end) for p in (result.places if result else [])]
    for actor, field, start, end in sorted(speakers, key=lambda s: s[2]):
        if field != "body" or not (sentence_start <= start < sentence_start + len(sentence)):
            continue
        verb = REPORTING_VERB_RE.match(sentence[end - sentence_start :])
        if verb:
            return actor, verb.group(1).lower()
    return None, None


DEFINITE_RE = re.compile(r"\b(the|this|that|these|those)\s+$", re.IGNORECASE)


def _broader_to_specific(found: list, post_text: str, text: str = "") -> list:
    """A claim naming a broad event only by a definite reference ("the attack") in a post
    about a specific kind of it (a cyber-attack) is about that kind: it refers back."""
    definite = {m.indicator.id for m in cue_matches(text) if DEFINITE_RE.search(text[: m.start])}
    ids = {i.id for i in found if i.id in definite}
    specific = [
        i for i in signals_in(post_text) if i.broader and i.broader in ids and i.id not in ids
    ]
    if not specific:
        return found
    return [specific[0] if i.id == specific[0].broader else i for i in found]


def _reporting_claims(
    post, pid: str, source: str, result, quoted: list[tuple[int, int]]
) -> list[Claim]:
    """The outlet's own reporting: sentences outside quotes that speak of a signal."""
    claims = []
    post_text = f"{post.title or ''}. {post.body or ''}"
    for m in _SENTENCE_RE.finditer(post.body or ""):
        start, end = m.start(), m.end()
        if any(s < end and start < e for s, e in quoted):
            continue
        sentence = m.group().strip()
        found = signals_in(sentence)
        if not found or len(sentence.split()) < 5:
            continue
        found = _broader_to_specific(found, post_text, sentence)
        lead = len(m.group()) - len(m.group().lstrip())
        actor, verb = _reporting_speaker(start + lead, sentence, result)
        modality, negated = claim_modality(sentence, verb)
        claims.append(
            Claim(
                id=_claim_id(pid, start + lead, sentence),
                text=sentence,
                actor=actor,
                modality="observed" if modality == "asserted" and not actor else modality,
                negated=negated,
                post_id=pid,
                source=source,
                time=post.published,
                signals=[s.id for s in found],
                start=start + lead,
                end=start + lead + len(sentence),
                cue=verb,
            )
        )
    return claims


READING_FIELDS = ("subject", "predicate", "object", "stance", "stance_reason", "confidence", "kind")


def _apply(claim: Claim, reading: dict) -> None:
    for name in READING_FIELDS:
        setattr(claim, name, reading[name])
    signal = reading.get("signal")
    narrower = indicator(signal) if signal and signal not in claim.signals else None
    if narrower is not None and narrower.narrows in claim.signals:
        # the claim is about who takes part in the event, not about the event
        claim.signals[claim.signals.index(narrower.narrows)] = signal
    if signal and signal in claim.signals:
        claim.signals.remove(signal)
        claim.signals.insert(0, signal)  # the event the claim is about comes first
    elif signal is None and claim.signals:
        claim.signals = []  # it names an event only as its circumstance: it is about no event


def reading_key(claim: Claim) -> str:
    """What a claim's reading depends on besides the analyser: its words, modality and cue."""
    return hashlib.sha1(f"{claim.text}\x00{claim.modality}\x00{claim.cue}".encode()).hexdigest()[
        :16
    ]


def read_claims(
    claims: list[Claim],
    cached: dict[str, dict] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, dict]:
    """Parse each claim (batched) for its proposition and stance; claims whose reading is in
    `cached` (by reading key) are not parsed again. Returns the new readings by key."""
    from sitroom.enrich.nlp import get_nlp  # spaCy is loaded only when something is new

    cached = cached or {}
    todo: list[Claim] = []  # one claim per reading key: a repeated sentence is parsed once
    keys = set(cached)
    for c in claims:
        key = reading_key(c)
        if key not in keys:
            keys.add(key)
            todo.append(c)
    new: dict[str, dict] = {}
    if todo:
        nlp = get_nlp()
        for n, (claim, sdoc) in enumerate(
            zip(todo, nlp.pipe([c.text for c in todo], batch_size=128), strict=True)
        ):
            r = read_claim(claim.text, claim.modality, claim.cue, sdoc)
            new[reading_key(claim)] = {
                "signal": r.signal,
                "subject": r.subject,
                "predicate": r.predicate,
                "object": r.object,
                "stance": r.stance,
                "stance_reason": r.reason,
                "confidence": r.confidence,
                "kind": r.kind,
            }
            if progress and n % 64 == 0:
                progress(n, len(todo))
        if progress:
            progress(len(todo), len(todo))
    for claim in claims:
        key = reading_key(claim)
        _apply(claim, new.get(key) or cached[key])
    return new
