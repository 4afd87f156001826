"""Briefing quality: ROUGE-1/2 recall of each live page's briefing against the page's own
Summary bullets, at the reference's length in words, the Summary removed from the input
first; beside it, the page's post titles in time order at the same length (a strong trivial
baseline for live blogs, see shared/research/summaries_liveblogs.md)."""

from __future__ import annotations

import dataclasses

from rouge_score import rouge_scorer


def _truncate(text: str, n_words: int) -> str:
    return " ".join(text.split()[:n_words])


def score(ctx) -> dict | None:
    gold = ctx.gold("documents.jsonl")
    if gold is None:
        return None
    from sitroom.brief import brief_document

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    sums = {"rouge1": 0.0, "rouge2": 0.0, "titles_rouge1": 0.0, "titles_rouge2": 0.0}
    docs = 0
    for row in gold:
        if row.get("kind") != "live" or not row.get("summary"):
            continue
        try:
            document = ctx.document(row["doc"])
        except Exception:  # an unreadable page scores zero rather than stopping the eval
            docs += 1
            continue
        # The page's Summary is the reference: the briefing must not see it.
        page = dataclasses.replace(
            document, summary=[], posts=[p for p in document.posts if p.kind != "summary"]
        )
        reference = " ".join(row["summary"])
        length = len(reference.split())
        briefing = brief_document(page)
        produced = _truncate(" ".join(line.text for line in briefing.bullets), length)
        titles = _truncate(" ".join(p.title or "" for p in page.posts_by_time()), length)
        mine, base = scorer.score(reference, produced), scorer.score(reference, titles)
        sums["rouge1"] += mine["rouge1"].recall
        sums["rouge2"] += mine["rouge2"].recall
        sums["titles_rouge1"] += base["rouge1"].recall
        sums["titles_rouge2"] += base["rouge2"].recall
        docs += 1
    if not docs:
        return {**dict.fromkeys(sums, 0.0), "docs": 0}
    return {**{k: round(v / docs, 4) for k, v in sums.items()}, "docs": docs}
