"""Briefing quality: ROUGE-1/2 recall of each live page's briefing against the page's own
Summary bullets, at the reference's length in words, the Summary removed from the input
first; beside it, the page's post titles in time order at the same length (a strong trivial
baseline for live blogs, see shared/research/summaries_liveblogs.md). The briefing's text is
its date line then its bullets, in its own order (most important first). Scores are given in
total (mean over pages) and per page."""

from __future__ import annotations

import dataclasses

from rouge_score import rouge_scorer

from sitroom.brief import brief_document
from sitroom.records import Briefing


def _truncate(text: str, n_words: int) -> str:
    return " ".join(text.split()[:n_words])


def briefing_text(briefing: Briefing) -> str:
    """What a reader of the briefing's summary sees: the date line, then the bullets."""
    lines = [briefing.date_line] if briefing.date_line else []
    return " ".join(lines + [line.text for line in briefing.bullets])


def _score_page(scorer, document, summary: list[str]) -> dict[str, float]:
    # The page's Summary is the reference: the briefing must not see it.
    page = dataclasses.replace(
        document, summary=[], posts=[p for p in document.posts if p.kind != "summary"]
    )
    reference = " ".join(summary)
    length = len(reference.split())
    produced = _truncate(briefing_text(brief_document(page)), length)
    titles = _truncate(" ".join(p.title or "" for p in page.posts_by_time()), length)
    mine, base = scorer.score(reference, produced), scorer.score(reference, titles)
    return {
        "rouge1": round(mine["rouge1"].recall, 4),
        "rouge2": round(mine["rouge2"].recall, 4),
        "titles_rouge1": round(base["rouge1"].recall, 4),
        "titles_rouge2": round(base["rouge2"].recall, 4),
    }


def score(ctx) -> dict | None:
    gold = ctx.gold("documents.jsonl")
    if gold is None:
        return None
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    keys = ("rouge1", "rouge2", "titles_rouge1", "titles_rouge2")
    per_doc: dict[str, dict[str, float]] = {}
    for row in gold:
        if row.get("kind") != "live" or not row.get("summary"):
            continue
        try:
            document = ctx.document(row["doc"])
        except Exception:  # an unreadable page scores zero rather than stopping the eval
            per_doc[row["doc"]] = dict.fromkeys(keys, 0.0)
            continue
        per_doc[row["doc"]] = _score_page(scorer, document, row["summary"])
    docs = len(per_doc)
    totals = {
        k: round(sum(d[k] for d in per_doc.values()) / docs, 4) if docs else 0.0 for k in keys
    }
    return {**totals, "docs": docs, "per_document": per_doc}
