"""`sitroom eval`: score the pipeline against a gold folder (format: shared/gold/README.md).

Each task has a scorer module with `score(ctx: EvalContext) -> dict | None` (None when the
gold folder has no file for that task). The readers and enrichers never see the gold: the
context reads the named corpus files with the ordinary readers and caches what the pipeline
makes of them, so several scorers share one run.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitroom.read import read_path
from sitroom.records import Document, PostEnrichment

SCORERS = [
    ("structure", "sitroom.eval.structure"),
    ("quotes", "sitroom.eval.quotes"),
    ("figures", "sitroom.eval.figures"),
    ("actors", "sitroom.eval.actors"),
    ("briefing", "sitroom.eval.briefing"),
    ("claims", "sitroom.eval.claims"),
    ("disputes", "sitroom.eval.disputes"),
]
TASKS = [name for name, _ in SCORERS]
# Tasks whose scorers need every gold document enriched (the long part of a run).
ENRICHING_TASKS = {"quotes", "figures", "actors", "disputes"}
# A corpus folder's manifest describes the documents; it is never one of them.
MANIFEST = "MANIFEST.jsonl"
GOLD_FILES = ("documents.jsonl", "quotes.jsonl", "figures.jsonl", "actors.jsonl")

# progress(done, total, doc): called after each document is enriched.
Progress = Callable[[int, int, str], None]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not valid JSON ({exc.msg})") from exc
    return rows


@dataclass
class EvalContext:
    gold_dir: Path
    corpus_dir: Path
    limit: int | None = None  # score only the first N documents the gold lists
    _documents: dict[str, Document] = field(default_factory=dict)
    _enrichments: dict[str, dict[str, PostEnrichment]] = field(default_factory=dict)
    _gold_docs: list[str] | None = None
    failures: dict[str, str] = field(default_factory=dict)  # doc -> why it could not be read

    def gold_docs(self) -> list[str]:
        """Every document the gold lists, in the gold's order (documents.jsonl first, then
        any other gold file), cut to `limit`. Precision counts predictions in all of them."""
        if self._gold_docs is None:
            seen: dict[str, None] = {}
            for name in GOLD_FILES:
                path = self.gold_dir / name
                if path.is_file():
                    for row in read_jsonl(path):
                        doc = row.get("doc")
                        if doc and doc != MANIFEST:
                            seen.setdefault(doc, None)
            docs = list(seen)
            self._gold_docs = docs[: self.limit] if self.limit is not None else docs
        return self._gold_docs

    def gold(self, name: str) -> list[dict[str, Any]] | None:
        """Rows of one gold file, only those of the documents in scope (see `limit`)."""
        path = self.gold_dir / name
        if not path.is_file():
            return None
        rows = read_jsonl(path)
        if self.limit is None:
            return rows
        keep = set(self.gold_docs())
        return [r for r in rows if _row_docs(r) & keep]

    def enrich_all(self, progress: Progress | None = None) -> None:
        """Enrich every gold document up front, reporting progress after each one."""
        docs = self.gold_docs()
        for n, doc in enumerate(docs, 1):
            try:
                self.enrichment(doc)
            except Exception as exc:  # one unreadable document scores zero; the run goes on
                self.failures[doc] = f"{type(exc).__name__}: {exc}"
            if progress is not None:
                progress(n, len(docs), doc)

    def document(self, doc: str) -> Document:
        """The corpus file `doc` as the readers see it (cached)."""
        if doc == MANIFEST:
            raise ValueError(f"{MANIFEST} describes the corpus; it is not a document")
        if doc not in self._documents:
            self._documents[doc] = read_path(self.corpus_dir / doc)
        return self._documents[doc]

    def enrichment(self, doc: str) -> dict[str, PostEnrichment]:
        """Enrichment of every post of `doc` (summary included), keyed by post key (cached)."""
        if doc in self.failures:
            raise ValueError(f"{doc}: {self.failures[doc]}")
        if doc not in self._enrichments:
            from sitroom.enrich.pipeline import enrich_document  # lazy: loads spaCy (seconds)

            self._enrichments[doc] = enrich_document(self.document(doc))
        return self._enrichments[doc]

    def gold_post_number(self, doc: str, post_key: str) -> int | None:
        """The gold's `post` number for a post: its 1-based page position, None for the
        summary block and for an article's body."""
        for post in self.document(doc).posts:
            if post.key == post_key:
                return post.position if post.kind in ("post", "entry") else None
        return None

    def enriched_items(self, doc: str, attr: str) -> Iterator[tuple[int | None, Any]]:
        """(gold post number, item) for every quote/figure/mention/place found in `doc`."""
        for key, enrichment in self.enrichment(doc).items():
            number = self.gold_post_number(doc, key)
            for item in getattr(enrichment, attr):
                yield number, item


def _row_docs(row: dict[str, Any]) -> set[str]:
    docs = row.get("docs") or ([row["doc"]] if row.get("doc") else [])
    return set(docs)


def run_eval(
    gold_dir: Path,
    corpus_dir: Path,
    tasks: list[str] | None = None,
    *,
    limit: int | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Scores per task. `tasks` picks a subset (unknown names raise ValueError); `limit`
    scores only the first N gold documents; `progress` hears about each enriched document."""
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"gold folder not found: {gold_dir}")
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus_dir}")
    unknown = sorted(set(tasks or []) - set(TASKS))
    if unknown:
        raise ValueError(f"unknown task(s): {', '.join(unknown)} (known: {', '.join(TASKS)})")
    if limit is not None and limit < 1:
        raise ValueError("--limit must be at least 1")
    ctx = EvalContext(gold_dir=gold_dir, corpus_dir=corpus_dir, limit=limit)
    selected = [(n, m) for n, m in SCORERS if not tasks or n in tasks]
    if any(n in ENRICHING_TASKS for n, _ in selected):
        ctx.enrich_all(progress)
    results: dict[str, Any] = {}
    for name, module_name in selected:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        scored = module.score(ctx)
        if scored is not None:
            results[name] = scored
    if ctx.failures:
        results["failed_documents"] = dict(ctx.failures)
    return results


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4)}
