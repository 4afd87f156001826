"""`sitroom eval`: score the pipeline against a gold folder (format: shared/gold/README.md).

Each task has a scorer module with `score(ctx: EvalContext) -> dict | None` (None when the
gold folder has no file for that task). The readers and enrichers never see the gold: the
context reads the named corpus files with the ordinary readers and caches what the pipeline
makes of them, so several scorers share one run.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    _documents: dict[str, Document] = field(default_factory=dict)
    _enrichments: dict[str, dict[str, PostEnrichment]] = field(default_factory=dict)

    def gold(self, name: str) -> list[dict[str, Any]] | None:
        path = self.gold_dir / name
        return read_jsonl(path) if path.is_file() else None

    def document(self, doc: str) -> Document:
        """The corpus file `doc` as the readers see it (cached)."""
        if doc not in self._documents:
            from sitroom.read import read_path

            self._documents[doc] = read_path(self.corpus_dir / doc)
        return self._documents[doc]

    def enrichment(self, doc: str) -> dict[str, PostEnrichment]:
        """Enrichment of every post of `doc` (summary included), keyed by post key (cached)."""
        if doc not in self._enrichments:
            from sitroom.enrich.pipeline import enrich_document

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


def run_eval(gold_dir: Path, corpus_dir: Path, tasks: list[str] | None = None) -> dict[str, Any]:
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"gold folder not found: {gold_dir}")
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus_dir}")
    ctx = EvalContext(gold_dir=gold_dir, corpus_dir=corpus_dir)
    results: dict[str, Any] = {}
    for name, module_name in SCORERS:
        if tasks and name not in tasks:
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        scored = module.score(ctx)
        if scored is not None:
            results[name] = scored
    return results


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4)}
