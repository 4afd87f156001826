"""Structure scorer: do the readers find each post with its title, time, labels, bylines and
opening text, and each page's summary bullets? (gold file: documents.jsonl)

Posts are matched by the page's own number (gold `n` == Post.position of a kind-"post" post).
Field accuracies are over matched posts; an article's doc-level fields count as one more
"post". Every comparison is exact after whitespace normalisation; nothing is fuzzy. A gold
`published` of null ("the page gives no time") matches a time the reader marked inferred.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sitroom.records import Byline, Document, Post

FIELDS = ("title", "published", "labels", "bylines", "body_start")


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def _gold_time(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _published_ok(gold: str | None, predicted: datetime | None, inferred: bool = False) -> bool:
    if gold is None and inferred:
        # Gold null says the page gives no time; a time marked inferred says the same (the
        # reader dated the post from its reference point and flagged that it did).
        return True
    if gold is None or predicted is None:
        return gold is None and predicted is None
    if len(gold) == 10:  # a date only (articles): compare calendar days in UTC
        return predicted.astimezone(UTC).date().isoformat() == gold
    gold_time = _gold_time(gold)
    return gold_time is not None and predicted.astimezone(UTC) == gold_time


def _bylines_key(bylines: list[dict[str, Any]] | list[Byline]) -> list[tuple[str, str]]:
    # A missing role and an empty role are the same thing: no role line under the name.
    out = []
    for b in bylines:
        name, role = (b["name"], b.get("role")) if isinstance(b, dict) else (b.name, b.role)
        out.append((_norm(name), _norm(role)))
    return out


def _body_start_ok(gold: str | None, body: str) -> bool:
    start = _norm(gold)
    return _norm(body).startswith(start) if start else not _norm(body)


def _only_year_differs(gold: dict[str, Any], post: Post) -> bool:
    gold_time = _gold_time(gold.get("published"))
    if gold_time is None or post.published is None or not post.time_inferred:
        return False
    predicted = post.published.astimezone(UTC)
    try:
        return predicted.replace(year=gold_time.year) == gold_time
    except ValueError:  # 29 February
        return False


def compare_post(gold: dict[str, Any], post: Post) -> dict[str, bool]:
    """Which fields of one predicted post agree with its gold post."""
    return {
        "title": _norm(gold.get("title")) == _norm(post.title),
        "published": _published_ok(gold.get("published"), post.published, post.time_inferred),
        "labels": [_norm(x) for x in gold.get("labels") or []] == [_norm(x) for x in post.labels],
        "bylines": _bylines_key(gold.get("bylines") or []) == _bylines_key(post.bylines),
        "body_start": _body_start_ok(gold.get("body_start"), post.body),
    }


def compare_article(gold: dict[str, Any], doc: Document) -> dict[str, bool]:
    """An article's doc-level fields, scored like one post (no body_start in the gold)."""
    result = {
        "title": _norm(gold.get("title")) == _norm(doc.title),
        "published": _published_ok(gold.get("published"), doc.published, doc.time_inferred),
        "bylines": _bylines_key(gold.get("bylines") or []) == _bylines_key(doc.bylines),
    }
    if "labels" in gold:
        labels = doc.posts[0].labels if doc.posts else []
        result["labels"] = gold["labels"] == labels
    if gold.get("body_start") is not None:
        body = doc.posts[0].body if doc.posts else ""
        result["body_start"] = _body_start_ok(gold["body_start"], body)
    return result


def summary_score(gold: list[str], predicted: list[str]) -> float:
    """Bullets reproduced exactly, over the larger of the two lists, so that both missing and
    invented bullets cost."""
    gold_set = [_norm(b) for b in gold]
    remaining = [_norm(b) for b in predicted]
    hits = 0
    for bullet in gold_set:
        if bullet in remaining:
            remaining.remove(bullet)
            hits += 1
    denominator = max(len(gold_set), len(predicted))
    return hits / denominator if denominator else 1.0


def score(ctx: Any) -> dict[str, Any] | None:
    gold_docs = ctx.gold("documents.jsonl")
    if gold_docs is None:
        return None
    n_gold_posts = 0
    n_found = 0
    n_extra = 0
    hits = {f: 0 for f in FIELDS}
    totals = {f: 0 for f in FIELDS}
    summary_scores: list[float] = []
    # Diagnostic, not a replacement for "published": stamps right except for an inferred year
    # (pages that never write the year, read without --date, can only guess it).
    wrong_year_only = 0
    misses: list[str] = []  # "doc#n field" for the first few failures, to make them findable
    for gold_doc in gold_docs:
        name = gold_doc["doc"]
        try:
            doc: Document = ctx.document(name)
        except (OSError, ValueError) as exc:
            # An unreadable document finds none of its posts; the run goes on.
            misses.append(f"{name} unreadable: {exc}")
            doc = Document(source=name, kind=gold_doc.get("kind", "live"), format="none")
        if gold_doc.get("kind") == "article":
            for field_name, ok in compare_article(gold_doc, doc).items():
                totals[field_name] += 1
                hits[field_name] += ok
                if not ok:
                    misses.append(f"{name} {field_name}")
        predicted = {p.position: p for p in doc.posts if p.kind == "post"}
        gold_numbers = set()
        for gold_post in gold_doc.get("posts") or []:
            n = gold_post["n"]
            gold_numbers.add(n)
            n_gold_posts += 1
            post = predicted.get(n)
            if post is None:
                misses.append(f"{name}#{n} missing")
                continue
            n_found += 1
            for field_name, ok in compare_post(gold_post, post).items():
                totals[field_name] += 1
                hits[field_name] += ok
                if not ok:
                    misses.append(f"{name}#{n} {field_name}")
                    if field_name == "published" and _only_year_differs(gold_post, post):
                        wrong_year_only += 1
        n_extra += sum(1 for n in predicted if n not in gold_numbers)
        gold_summary = gold_doc.get("summary") or []
        if gold_summary or doc.summary:
            summary_scores.append(summary_score(gold_summary, doc.summary))

    result: dict[str, Any] = {
        "docs": len(gold_docs),
        "posts_found": round(n_found / n_gold_posts, 4) if n_gold_posts else 1.0,
        "posts_extra": n_extra,
    }
    for field_name in FIELDS:
        result[field_name] = (
            round(hits[field_name] / totals[field_name], 4) if totals[field_name] else 1.0
        )
    result["summary"] = (
        round(sum(summary_scores) / len(summary_scores), 4) if summary_scores else 1.0
    )
    result["gold_posts"] = n_gold_posts
    result["published_wrong_inferred_year"] = wrong_year_only
    result["misses"] = misses[:20]
    return result
