"""Actor scorer (gold file: actors.jsonl), as shared/gold/README.md defines it.

Predicted actors of a document are the canonical names of actors with mentions in it, plus
the people its bylines credit (a byline names a person in the document without a text span).
Recall: gold actors whose name or one of whose mentions equals a predicted canonical name
(lowercased). Link precision: a predicted (surface form, actor) pair is right when the form is
among the mentions of the gold actor the predicted actor matched; forms in no gold actor's
mentions are not scored."""

from __future__ import annotations

from collections import defaultdict
from typing import Any


def _low(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).lower()


def score(ctx: Any) -> dict[str, Any] | None:
    gold = ctx.gold("actors.jsonl")
    if gold is None:
        return None
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in gold:
        by_doc[row["doc"]].append(row)
    found = 0
    link_right = 0
    link_scored = 0
    missed: list[str] = []
    for doc, rows in by_doc.items():
        links: set[tuple[str, str]] = set()
        for _, mention in ctx.enriched_items(doc, "mentions"):
            links.add((_low(mention.surface), mention.actor))
        document = ctx.document(doc)
        predicted = {_low(actor) for _, actor in links}
        for byline in [*document.bylines, *(b for p in document.posts for b in p.bylines)]:
            predicted.add(_low(byline.name))
        # gold actor index for each predicted canonical name
        owner: dict[str, int] = {}
        for gi, row in enumerate(rows):
            names = {_low(row["name"]), *(_low(m) for m in row.get("mentions") or [])}
            hit = predicted & names
            if hit:
                found += 1
                for name in hit:
                    owner.setdefault(name, gi)
            else:
                missed.append(f"{doc[:3]}:{row['name']}")
        all_forms = {_low(m) for row in rows for m in row.get("mentions") or []}
        for surface, actor in links:
            if surface not in all_forms:
                continue
            link_scored += 1
            gi = owner.get(_low(actor))
            if gi is not None and surface in {_low(m) for m in rows[gi].get("mentions") or []}:
                link_right += 1
    return {
        "recall": round(found / len(gold), 4) if gold else 0.0,
        "mention_link_p": round(link_right / link_scored, 4) if link_scored else 0.0,
        "n_gold": len(gold),
        "missed": missed[:50],
    }
