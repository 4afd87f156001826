"""Records of the analysis stage: claims, their links, disputes, events, indicator points."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

MODALITIES = (
    "asserted",
    "denied",
    "observed",
    "announced",
    "predicted",
    "hypothetical",
    "questioned",
)


@dataclass(slots=True)  # slots: a large record holds hundreds of thousands
class Claim:
    id: str
    text: str  # verbatim (a quote's words, or a sentence of the outlet's own reporting)
    actor: str | None  # canonical speaker; None = the outlet's own reporting
    modality: str  # one of MODALITIES
    negated: bool  # the statement says something is not so ("no sign of withdrawal")
    post_id: str
    source: str
    time: datetime | None
    signals: list[str] = field(default_factory=list)  # indicator ids the claim is about
    figures: list[tuple[float, str]] = field(default_factory=list)  # (value, unit)
    places: list[str] = field(default_factory=list)
    field: str = "body"
    start: int = 0
    end: int = 0
    # The proposition, from the parse: who or what, what is said of it, and of what.
    subject: str | None = None
    predicate: str | None = None
    object: str | None = None
    cue: str | None = None  # the verb that introduces a quote ("denied", "warned")
    # Stance toward its own proposition (sitroom.analyse.stance): supports | rejects | unclear,
    # why, and how sure; `kind`: what it counts as in the index (event, denial, warning,
    # accusation, none).
    stance: str = "unclear"
    stance_reason: str = ""
    confidence: float = 0.0
    kind: str = "none"


@dataclass
class ClaimLink:
    a: str
    b: str
    label: str  # corroborates | contradicts | unrelated
    reason: str  # "negation", "different figure for the same quantity", "observed versus announced", ...
    similarity: float = 0.0


@dataclass
class Side:
    actor: str
    claims: list[str]  # claim ids
    posts: list[str]
    first: datetime | None
    latest: datetime | None
    # Per claim: [claim id, stance, reason, confidence], the stance toward the dispute's
    # proposition (a claim about the opposite signal counts reversed).
    stances: list[list] = field(default_factory=list)


@dataclass
class Dispute:
    topic: str
    signal: str | None
    asserts: list[Side]
    denies: list[Side]
    first: datetime | None
    latest: datetime | None
    reason: str = ""  # why the sides differ: how the rejecting side rejects ("not observed", ...)
    proposition: str = ""  # subject / predicate / object, in the positive
    related: list[str] = field(default_factory=list)  # claim ids on no side (unclear, unsure)


@dataclass(slots=True)
class Event:
    indicator: str
    category: str  # PLOVER category (or PUBLIC_STATEMENT, CYBER_ATTACK, EVACUATE)
    weight: float
    actor: str | None
    time: datetime | None
    place: str | None
    modality: str
    text: str
    post_id: str
    source: str
    target: str | None = None  # who or what the event is done to, when the claim says
    about: str | None = None  # for a denial, warning or accusation: the event it is about
    claim_id: str | None = None


@dataclass
class IndicatorPoint:
    bucket: str  # "2022-02-15" or "2022-02-15T10"
    index: float
    contributions: dict[str, float]  # indicator id -> weight * events
    events: list[int]  # positions in Analysis.events


@dataclass
class QuantitySeries:
    unit: str
    counted: str  # what is counted, with its owner or place ("Russian troops near the border")
    points: list[
        tuple[datetime | None, float, str, str, str]
    ]  # (time, value, text, post id, source)
    key: str = ""  # the quantity's identity: unit | counted | where
    where: str | None = None


@dataclass
class Analysis:
    claims: list[Claim] = field(default_factory=list)
    links: list[ClaimLink] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    indicators: list[IndicatorPoint] = field(default_factory=list)  # daily
    quantities: list[QuantitySeries] = field(default_factory=list)
    hourly: list[IndicatorPoint] = field(default_factory=list)
