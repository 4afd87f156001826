"""Disputes: a proposition with actors who support it and actors who reject it.

Each claim of a group carries its stance toward its own proposition; toward the group's
proposition the stance is the same, or reversed when the claim is about the opposite event
(troops massing is evidence against troops withdrawing). An actor is placed on a side only
with stance supports/rejects at or above `side_confidence` (sitroom/data/analysis.yaml); when
an actor's confident claims point both ways, the side with more confidence wins, and a tie
places them on none. Every other claim is listed as related.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from sitroom.analyse.catalogue import analysis_words, indicator
from sitroom.analyse.grouping import frame
from sitroom.analyse.matching import content_words
from sitroom.records import Claim, Dispute, Side

REVERSE = {"supports": "rejects", "rejects": "supports", "unclear": "unclear"}


def _main_signal(group: list[Claim]) -> str | None:
    counts = Counter(c.signals[0] for c in group if c.signals)
    return counts.most_common(1)[0][0] if counts else None


def _stance_toward(claim: Claim, signal: str | None) -> str:
    own = claim.signals[0] if claim.signals else None
    if signal and own and own != signal and frame(own) == frame(signal):
        return REVERSE[claim.stance]
    return claim.stance


def _side(actor: str, said: list[tuple[Claim, str]]) -> Side:
    times = [c.time for c, _ in said if c.time]
    return Side(
        actor,
        [c.id for c, _ in said],
        sorted({c.post_id for c, _ in said}),
        min(times, default=None),
        max(times, default=None),
        [[c.id, stance, c.stance_reason, c.confidence] for c, stance in said],
    )


def _place(group: list[Claim], signal: str | None, threshold: float):
    by_actor: dict[str, dict[str, list[tuple[Claim, str]]]] = defaultdict(lambda: defaultdict(list))
    related: list[str] = []
    for c in group:
        stance = _stance_toward(c, signal)
        if not c.actor or stance == "unclear" or c.confidence < threshold:
            related.append(c.id)
            continue
        by_actor[c.actor][stance].append((c, stance))
    supports, rejects = [], []
    for actor, stances in by_actor.items():
        weight = {s: sum(c.confidence for c, _ in said) for s, said in stances.items()}
        pro, con = weight.get("supports", 0.0), weight.get("rejects", 0.0)
        if pro == con:
            related += [c.id for said in stances.values() for c, _ in said]
            continue
        chosen = "supports" if pro > con else "rejects"
        (supports if chosen == "supports" else rejects).append(_side(actor, stances[chosen]))
        other = REVERSE[chosen]
        related += [c.id for c, _ in stances.get(other, [])]
    return supports, rejects, related


def _proposition(group: list[Claim], signal: str | None, supports: list[Side]) -> tuple[str, str]:
    """(the proposition as subject / predicate / object, the claim that states it best in
    its own words): the most confident claim of the supporting side about the group's event."""
    stated = [c for c in group if _stance_toward(c, signal) == "supports" and c.predicate]
    on_side = {cid for side in supports for cid in side.claims}
    stated = [c for c in stated if c.id in on_side] or stated
    if signal:
        stated = [c for c in stated if c.signals and c.signals[0] == signal] or stated
    best = max(stated or group, key=lambda c: (c.confidence, -len(c.text)))
    parts = [p for p in (best.subject, best.predicate, best.object) if p]
    return (" / ".join(parts) if parts else best.text), best.text


def _words_of(claim: Claim) -> tuple[str | None, frozenset[str]]:
    predicate = claim.predicate.split()[-1] if claim.predicate else None
    return predicate, content_words(claim.object or claim.subject or "")


def _stated_alike(group: list[Claim], supports: list[Side], rejects: list[Side]) -> bool:
    """Without a catalogue event to be about, two sides dispute one proposition only when a
    claim of each states it alike: the same predicate and a shared word of what it is said
    of ("Kestrian forces opened the floodgates" / "its forces did not open the dam's
    floodgates"), not the same verb of different things ("X's actions are ripe for abuse" /
    "X's actions are not worth the paper")."""
    by_id = {c.id: c for c in group}
    # Some claim of each side shares a word with one of the other's of the same predicate
    # exactly when the two sides' words of that predicate meet: one pass, not every pair.
    pro: dict[str, set[str]] = {}
    for side in supports:
        for i in side.claims:
            predicate, words = _words_of(by_id[i])
            if predicate:
                pro.setdefault(predicate, set()).update(words)
    for side in rejects:
        for i in side.claims:
            predicate, words = _words_of(by_id[i])
            if predicate in pro and not pro[predicate].isdisjoint(words):
                return True
    return False


def _reason(rejects: list[Side]) -> str:
    reasons = Counter(s[2] for side in rejects for s in side.stances)
    return reasons.most_common(1)[0][0] if reasons else ""


def find_disputes(groups: list[list[Claim]]) -> list[Dispute]:
    threshold = float(analysis_words()["side_confidence"])
    disputes = []
    for group in groups:
        signal = _main_signal(group)
        supports, rejects, related = _place(group, signal, threshold)
        if not supports or not rejects:
            continue
        if signal is None and not _stated_alike(group, supports, rejects):
            continue  # close in meaning, but no two sides of one stated proposition
        proposition, words = _proposition(group, signal, supports)
        ind = indicator(signal) if signal else None
        times = [c.time for c in group if c.time]
        disputes.append(
            Dispute(
                topic=f"{ind.label}: {words}" if ind else words,
                signal=signal,
                asserts=supports,
                denies=rejects,
                first=min(times, default=None),
                latest=max(times, default=None),
                reason=_reason(rejects),
                proposition=proposition,
                related=related,
            )
        )
    return strongest_first(disputes)


def strongest_first(disputes: list[Dispute]) -> list[Dispute]:
    """Most contested first: a dispute is as strong as its smaller side (a stable sort)."""
    return sorted(
        disputes,
        key=lambda d: (-min(len(d.asserts), len(d.denies)), -(len(d.asserts) + len(d.denies))),
    )
