"""Figures against figures.jsonl: a predicted figure matches a gold one of the same doc and
post when the values agree within 0.5% (one-to-one); unit agreement is reported apart."""

from __future__ import annotations

from collections import defaultdict

from sitroom.eval import prf


def _same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 0.005 * max(abs(a), abs(b)) or a == b


def score(ctx) -> dict | None:
    gold = ctx.gold("figures.jsonl")
    if gold is None:
        return None
    gold_by: dict[tuple[str, int | None], list[dict]] = defaultdict(list)
    for row in gold:
        gold_by[(row["doc"], row.get("post"))].append(row)
    # every document the gold lists: predictions in a document without gold figures count too
    docs = list(dict.fromkeys([*ctx.gold_docs(), *(row["doc"] for row in gold)]))
    tp = n_pred = unit_right = 0
    missed: list[str] = []
    extra: list[str] = []
    for doc in docs:
        try:
            predicted = list(ctx.enriched_items(doc, "figures"))
        except Exception as exc:  # an unreadable document scores zero, the eval goes on
            missed.append(f"{doc}: {exc}")
            continue
        n_pred += len(predicted)
        pred_by: dict[int | None, list] = defaultdict(list)
        for post, figure in predicted:
            pred_by[post].append(figure)
        for post in set(pred_by) | {p for d, p in gold_by if d == doc}:
            golds = list(gold_by.get((doc, post), []))
            for figure in pred_by.get(post, []):
                match = next(
                    (g for g in golds if _same_value(float(g["value"]), figure.value)), None
                )
                if match is None:
                    extra.append(f"{doc}#{post}: {figure.text!r}={figure.value:g} {figure.unit}")
                    continue
                golds.remove(match)
                tp += 1
                unit_right += match["unit"].lower() == figure.unit.lower()
            missed.extend(f"{doc}#{post}: {g['text']!r}" for g in golds)
    result = prf(tp, n_pred, len(gold))
    result["unit_acc"] = round(unit_right / tp, 4) if tp else 0.0
    result["n_gold"], result["n_pred"] = len(gold), n_pred
    result["missed"], result["extra"] = missed[:40], extra[:40]
    return result
