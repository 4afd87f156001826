"""Disputes against disputes.jsonl (gold README): a predicted dispute matches a gold one when
one actor of its asserting side and one of its denying side are on the gold's corresponding
sides, in either orientation."""

from __future__ import annotations


def _names(gold: dict, actor: str) -> set[str]:
    return {actor.lower(), *(a.lower() for a in gold.get("also", {}).get(actor, []))}


def _side_hits(gold: dict, gold_side: list[str], predicted: list[str]) -> set[str]:
    predicted_low = {p.lower() for p in predicted}
    return {g for g in gold_side if _names(gold, g) & predicted_low}


def score(ctx) -> dict | None:
    gold = ctx.gold("disputes.jsonl")
    if gold is None:
        return None
    from sitroom.analyse import analyse_documents

    docs = sorted({d for row in gold for d in row["docs"]})
    items = [(ctx.document(d), ctx.enrichment(d)) for d in docs]
    predicted = analyse_documents(items).disputes
    matched_gold: dict[int, tuple[set[str], set[str]]] = {}
    matching_predictions = 0
    for dispute in predicted:
        asserts = [s.actor for s in dispute.asserts]
        denies = [s.actor for s in dispute.denies]
        hit = False
        for n, g in enumerate(gold):
            for pa, pd in ((asserts, denies), (denies, asserts)):
                a_hits, d_hits = _side_hits(g, g["asserts"], pa), _side_hits(g, g["denies"], pd)
                if a_hits and d_hits:
                    hit = True
                    best = matched_gold.get(n, (set(), set()))
                    if len(a_hits) + len(d_hits) > len(best[0]) + len(best[1]):
                        matched_gold[n] = (a_hits, d_hits)
        matching_predictions += hit
    gold_actors = sum(len(gold[n]["asserts"]) + len(gold[n]["denies"]) for n in matched_gold)
    found_actors = sum(len(a) + len(d) for a, d in matched_gold.values())
    return {
        "recall": round(len(matched_gold) / len(gold), 4) if gold else 0.0,
        "precision": round(matching_predictions / len(predicted), 4) if predicted else 0.0,
        "side_recall": round(found_actors / gold_actors, 4) if gold_actors else 0.0,
        "gold": len(gold),
        "predicted": len(predicted),
        "matched": sorted(gold[n]["topic"] for n in matched_gold),
    }
