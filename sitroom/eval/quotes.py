"""Quote scorer (gold file: quotes.jsonl), exactly as shared/gold/README.md defines it.

A predicted quote matches a gold quote of the same doc (and post, where the gold gives one)
when at least half of the gold quote's word tokens and half of the predicted quote's word
tokens are shared (lowercased, punctuation dropped); matching is one-to-one, best overlap
first. A speaker is reported by the name the document itself uses for them (see
`document_names`). Speaker accuracy is over matched quotes; strict F1 counts only matches with the right
speaker. A gold line whose speaker is null (an unresolved pronoun, a generic group) counts for
quote P/R only: it is left out of speaker accuracy, and both it and the prediction matched to
it are left out of strict F1. Precision counts every prediction in every document the gold
lists, also in documents with no gold quote (of that kind)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from sitroom.eval import prf

_WORD = re.compile(r"\w+")


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _WORD.findall(text.replace("’", "'").replace("'", "")))


def overlap(gold: str, pred: str) -> tuple[bool, float]:
    """(matches, strength): shared tokens cover half of each side."""
    g, p = words(gold), words(pred)
    if not g or not p:
        return False, 0.0
    shared = sum((g & p).values())
    g_share, p_share = shared / sum(g.values()), shared / sum(p.values())
    return (g_share >= 0.5 and p_share >= 0.5), min(g_share, p_share)


def speaker_ok(gold: dict[str, Any], speaker: str | None) -> bool:
    if not speaker or not gold.get("speaker"):
        return False
    names = {gold["speaker"].lower(), *(a.lower() for a in gold.get("also") or [])}
    return speaker.lower() in names


def speaker_near(gold: dict[str, Any], speaker: str | None) -> bool:
    """A diagnostic, not the README's measure: the predicted speaker's words all occur in
    the gold speaker or one of its `also` names ("Bernie Sanders" for a gold "Sen. Bernie
    Sanders (I-Vt.)"). Converted gold sets often name a speaker only as the text styled it."""
    if speaker_ok(gold, speaker):
        return True
    if not speaker or not gold.get("speaker"):
        return False
    mine = set(words(speaker))
    return any(mine <= set(words(n)) for n in [gold["speaker"], *(gold.get("also") or [])])


_THE_RE = re.compile(r"^[Tt]he\s+")
_POSSESSIVE_RE = re.compile(r"['’]s?$")


def document_names(mentions: Iterable[Any]) -> dict[str, str]:
    """actor -> the name a document itself calls them by, where it differs from the canonical
    name: the ending of a multi-word canonical name that the document writes on its own
    most often for that actor alone ("Stoltenberg", "von der Leyen"; the longer on a tie;
    never a surname two actors of the document share; a lone "Obama" the document kept as
    an actor of its own is no second owner of "Obama"). A registry's full name the page may
    never write ("Donald Trump" for a page that says "Trump") is not the name the page gives
    its speaker; the scorer reports the speaker as the page names them, one name per actor
    and document. A mention's article and possessive are not part of the name ("the State
    Department's" names "State Department")."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    owners: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        surface = _THE_RE.sub("", _POSSESSIVE_RE.sub("", " ".join(m.surface.split())))
        forms[m.actor][surface] += 1
        owners[surface.lower()].add(m.actor)
    out = {}
    for actor, surfaces in forms.items():
        endings = [
            (n, len(s), s)
            for s, n in surfaces.items()
            if s
            and (
                actor.endswith(" " + s)
                or s[:1].isupper()
                and actor.casefold().endswith(" " + s.casefold())
            )
            and owners[s.lower()] - {s} == {actor}
        ]
        if endings:
            out[actor] = max(endings)[2]
    return out


def match(
    gold_rows: list[dict[str, Any]], predicted: list[tuple[str, int | None, Any]]
) -> dict[str, Any]:
    """Scores for gold rows against (doc, post number, Quote) predictions."""
    pairs: list[tuple[float, int, int]] = []
    for gi, g in enumerate(gold_rows):
        for pi, (doc, post, q) in enumerate(predicted):
            if doc != g["doc"] or (g.get("post") is not None and post != g["post"]):
                continue
            ok, strength = overlap(g["quote"], q.text)
            if ok:
                pairs.append((strength, gi, pi))
    pairs.sort(key=lambda t: -t[0])
    used_g: set[int] = set()
    used_p: set[int] = set()
    matched = 0
    matched_named = 0  # matches whose gold line names a speaker
    right = 0
    near = 0
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        matched += 1
        if gold_rows[gi].get("speaker"):
            matched_named += 1
            right += speaker_ok(gold_rows[gi], predicted[pi][2].speaker)
            near += speaker_near(gold_rows[gi], predicted[pi][2].speaker)
    unnamed_gold = sum(1 for g in gold_rows if not g.get("speaker"))
    scores = prf(matched, len(predicted), len(gold_rows))
    scores["speaker_acc"] = round(right / matched_named, 4) if matched_named else 0.0
    scores["speaker_acc_lenient"] = round(near / matched_named, 4) if matched_named else 0.0
    strict_pred = len(predicted) - (matched - matched_named)
    scores["strict_f1"] = prf(right, strict_pred, len(gold_rows) - unnamed_gold)["f1"]
    scores["n_gold"] = len(gold_rows)
    scores["n_gold_unnamed"] = unnamed_gold
    scores["n_pred"] = len(predicted)
    return scores


def score(ctx: Any) -> dict[str, Any] | None:
    gold = ctx.gold("quotes.jsonl")
    if gold is None:
        return None
    docs = list(dict.fromkeys([*ctx.gold_docs(), *(row["doc"] for row in gold)]))
    predicted: list[tuple[str, int | None, Any]] = []
    for doc in docs:
        try:
            names = document_names(m for _, m in ctx.enriched_items(doc, "mentions"))
            predicted.extend(
                (doc, post, replace(q, speaker=names.get(q.speaker, q.speaker)))
                for post, q in ctx.enriched_items(doc, "quotes")
            )
        except Exception:  # an unreadable document scores zero (listed by run_eval)
            continue
    result = match(gold, predicted)
    for kind in ("direct", "indirect"):
        result[kind] = match(
            [g for g in gold if g.get("kind") == kind],
            [p for p in predicted if p[2].kind == kind],
        )
    return result
