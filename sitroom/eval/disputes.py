"""Disputes against disputes.jsonl (gold README): a predicted dispute matches a gold one when
one actor of its supporting side and one of its rejecting side are on the gold's corresponding
sides, in either orientation.

- recall: gold disputes matched; precision: predicted disputes that match a gold dispute;
- side_recall: gold actors found on their side of the matched disputes;
- side_precision: of the actors a matching prediction places on a side who appear in that
  gold dispute, the share on the gold's side (an actor on the wrong side is an error; an
  actor the gold does not name is not judged).
"""

from __future__ import annotations

from sitroom.analyse import analyse_documents
from sitroom.eval import EvalContext


def _names(gold: dict, actor: str) -> set[str]:
    return {actor.lower(), *(a.lower() for a in gold.get("also", {}).get(actor, []))}


def _side_hits(gold: dict, gold_side: list[str], predicted: list[str]) -> set[str]:
    predicted_low = {p.lower() for p in predicted}
    return {g for g in gold_side if _names(gold, g) & predicted_low}


def _judged(gold: dict, pa: list[str], pd: list[str]) -> tuple[int, int]:
    """(actors placed on the gold's side, actors the gold names placed on either side)."""
    right = wrong = 0
    for placed, same, other in (
        (pa, gold["asserts"], gold["denies"]),
        (pd, gold["denies"], gold["asserts"]),
    ):
        for actor in placed:
            low = actor.lower()
            if any(low in _names(gold, g) for g in same):
                right += 1
            elif any(low in _names(gold, g) for g in other):
                wrong += 1
    return right, right + wrong


def match(gold: list[dict], predicted) -> dict:
    matched_gold: dict[int, tuple[set[str], set[str]]] = {}
    matching_predictions = right = judged = 0
    for dispute in predicted:
        asserts = [s.actor for s in dispute.asserts]
        denies = [s.actor for s in dispute.denies]
        best_fit = None
        for n, g in enumerate(gold):
            for pa, pd in ((asserts, denies), (denies, asserts)):
                a_hits, d_hits = _side_hits(g, g["asserts"], pa), _side_hits(g, g["denies"], pd)
                if not (a_hits and d_hits):
                    continue
                fit = _judged(g, pa, pd)
                if best_fit is None or fit[0] - (fit[1] - fit[0]) > best_fit[0] - (
                    best_fit[1] - best_fit[0]
                ):
                    best_fit = fit
                best = matched_gold.get(n, (set(), set()))
                if len(a_hits) + len(d_hits) > len(best[0]) + len(best[1]):
                    matched_gold[n] = (a_hits, d_hits)
        if best_fit is not None:
            matching_predictions += 1
            right += best_fit[0]
            judged += best_fit[1]
    gold_actors = sum(len(gold[n]["asserts"]) + len(gold[n]["denies"]) for n in matched_gold)
    found_actors = sum(len(a) + len(d) for a, d in matched_gold.values())
    return {
        "recall": round(len(matched_gold) / len(gold), 4) if gold else 0.0,
        "precision": round(matching_predictions / len(predicted), 4) if predicted else 0.0,
        "side_recall": round(found_actors / gold_actors, 4) if gold_actors else 0.0,
        "side_precision": round(right / judged, 4) if judged else 0.0,
        "gold": len(gold),
        "predicted": len(predicted),
        "matched": sorted(gold[n]["topic"] for n in matched_gold),
    }


def score(ctx: EvalContext) -> dict | None:
    gold = ctx.gold("disputes.jsonl")
    if gold is None:
        return None

    docs = sorted({d for row in gold for d in row["docs"]})
    items = [(ctx.document(d), ctx.enrichment(d)) for d in docs]
    return match(gold, analyse_documents(items).disputes)
