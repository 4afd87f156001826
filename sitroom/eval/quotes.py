"""Quote scorer (gold file: quotes.jsonl), exactly as shared/gold/README.md defines it.

A predicted quote matches a gold quote of the same doc (and post, where the gold gives one)
when at least half of the gold quote's word tokens and half of the predicted quote's word
tokens are shared (lowercased, punctuation dropped); matching is one-to-one, best overlap
first. Speaker accuracy is over matched quotes; strict F1 counts only matches with the right
speaker."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
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
    if not speaker:
        return False
    names = {gold["speaker"].lower(), *(a.lower() for a in gold.get("also") or [])}
    return speaker.lower() in names


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
    right = 0
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        matched += 1
        right += speaker_ok(gold_rows[gi], predicted[pi][2].speaker)
    scores = prf(matched, len(predicted), len(gold_rows))
    scores["speaker_acc"] = round(right / matched, 4) if matched else 0.0
    scores["strict_f1"] = prf(right, len(predicted), len(gold_rows))["f1"]
    scores["n_gold"] = len(gold_rows)
    scores["n_pred"] = len(predicted)
    return scores


def score(ctx: Any) -> dict[str, Any] | None:
    gold = ctx.gold("quotes.jsonl")
    if gold is None:
        return None
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in gold:
        by_doc[row["doc"]].append(row)
    predicted: list[tuple[str, int | None, Any]] = []
    for doc in by_doc:
        predicted.extend((doc, post, q) for post, q in ctx.enriched_items(doc, "quotes"))
    result = match(gold, predicted)
    for kind in ("direct", "indirect"):
        result[kind] = match(
            [g for g in gold if g.get("kind") == kind],
            [p for p in predicted if p[2].kind == kind],
        )
    return result
