"""Claims: who says what is so, with its modality, from quotes and the outlet's own reporting.

A claim's modality comes from the words around it, not from a list of sentences: a denial
verb or a negation ("has not seen any", "no sign of", "denied") makes it `denied`/negated;
perception verbs make it `observed`; modal verbs `predicted`; a condition `hypothetical`; a
question mark `questioned`; announcement verbs `announced`; otherwise `asserted`.
"""

from __future__ import annotations

import hashlib
import re

from sitroom.analyse.catalogue import signals_in
from sitroom.analyse.records import Claim
from sitroom.records import Document, PostEnrichment

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


def _claim_id(post_id: str, start: int, text: str) -> str:
    return hashlib.sha1(f"{post_id}\x00{start}\x00{text}".encode()).hexdigest()[:12]


_SENTENCE_RE = re.compile(r"[^.!?\n]+[.!?]?")


def extract_claims(
    doc: Document, enrichment: dict[str, PostEnrichment], post_ids: dict[str, str] | None = None
) -> list[Claim]:
    """Claims of one document: every attributed quote of four words or more, and every
    sentence of the outlet's own reporting that speaks of a catalogue signal."""
    post_ids = post_ids or {}
    claims: list[Claim] = []
    for post in doc.posts:
        result = enrichment.get(post.key)
        pid = post_ids.get(post.key, post.key)
        quoted: list[tuple[int, int]] = []
        for q in result.quotes if result else []:
            quoted.append((q.start, q.end))
            if not q.speaker or len(q.text.split()) < 4:
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
                    signals=[s.id for s in signals_in(q.text)],
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
                )
            )
        # The outlet's own reporting: sentences outside quotes that speak of a signal.
        for m in _SENTENCE_RE.finditer(post.body or ""):
            start, end = m.start(), m.end()
            if any(s < end and start < e for s, e in quoted):
                continue
            sentence = m.group().strip()
            found = signals_in(sentence)
            if not found or len(sentence.split()) < 5:
                continue
            modality, negated = claim_modality(sentence)
            lead = len(m.group()) - len(m.group().lstrip())
            claims.append(
                Claim(
                    id=_claim_id(pid, start + lead, sentence),
                    text=sentence,
                    actor=None,
                    modality="observed" if modality == "asserted" else modality,
                    negated=negated,
                    post_id=pid,
                    source=doc.source,
                    time=post.published,
                    signals=[s.id for s in found],
                    start=start + lead,
                    end=start + lead + len(sentence),
                )
            )
    return claims


def add_propositions(claims: list[Claim]) -> None:
    """Fill subject, predicate and object of each claim from its dependency parse."""
    from sitroom.enrich.nlp import get_nlp  # lazy: loads spaCy (seconds)

    nlp = get_nlp()
    for claim, sdoc in zip(claims, nlp.pipe([c.text for c in claims], batch_size=64), strict=True):
        root = next((t for t in sdoc if t.dep_ == "ROOT"), None)
        if root is None:
            continue
        negation = any(child.dep_ == "neg" for child in root.children)
        claim.predicate = ("not " if negation else "") + root.lemma_.lower()
        for child in root.children:
            if child.dep_ in ("nsubj", "nsubjpass") and claim.subject is None:
                claim.subject = sdoc[child.left_edge.i : child.right_edge.i + 1].text
            elif (
                child.dep_ in ("dobj", "attr", "acomp", "ccomp", "xcomp", "prep")
                and claim.object is None
            ):
                claim.object = sdoc[child.left_edge.i : child.right_edge.i + 1].text
