"""`python -m sitroom.bench analyse [--posts N]`: first and incremental analysis time and peak
memory on a record of N posts (default 10,000).

The record is the seed pages (or the bundled sample), enriched once, replicated until it has
N posts: each copy a week later than the one before and with its letters varied (a different
set of vowels accented, the same length, so every offset still holds), so that no two copies
share a claim's words and every claim is parsed and embedded. "first" is the analysis with
nothing kept; "incremental" adds one new post and analyses again with the claim readings and
embeddings the first run kept (what `sitroom disputes` does after news arrives).
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import resource
import time
from datetime import timedelta
from pathlib import Path

from sitroom.analyse import analyse_documents
from sitroom.bench.read import DEFAULT_CORPUS, _pages
from sitroom.enrich.pipeline import enrich_document
from sitroom.read import read_bytes
from sitroom.records import Document, PostEnrichment

ACCENTS = {"a": "à", "e": "è", "i": "ì", "o": "ò", "u": "ù", "y": "ý", "n": "ñ", "c": "ç"}


class MemoryCache:
    """The store's claim-reading cache interface, in memory."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple] = {}

    def claim_readings(self, keys: list[str]) -> dict[str, tuple]:
        return {k: self.kept[k] for k in keys if k in self.kept}

    def save_claim_readings(self, readings: dict[str, tuple]) -> None:
        self.kept.update(readings)


def _varier(copy_number: int):
    """A length-preserving change of letters, different for every copy number."""
    letters = [c for bit, c in enumerate(ACCENTS) if copy_number >> bit & 1]
    table = str.maketrans({c: ACCENTS[c] for c in letters})
    return lambda text: text.translate(table) if text else text


def _copy(doc: Document, enrichment: dict[str, PostEnrichment], n: int):
    vary = _varier(n)
    doc = copy.deepcopy(doc)
    doc.source = f"bench://{n}/{doc.source}"
    for post in doc.posts:
        post.title, post.body = vary(post.title), vary(post.body)
        if post.published:
            post.published += timedelta(days=7 * n)
    new = {}
    for key, result in enrichment.items():
        result = copy.deepcopy(result)
        for item in (*result.quotes, *result.figures):
            item.text = vary(item.text)
        new[key] = result
    return doc, new


def build_record(posts: int, corpus: Path | None) -> list[tuple[Document, dict]]:
    base = []
    for name, data in _pages(corpus):
        doc = read_bytes(data, source=name)
        base.append((doc, enrich_document(doc)))
    items, count, n = [], 0, 0
    while count < posts:
        doc, enrichment = base[n % len(base)]
        items.append(_copy(doc, enrichment, n // len(base) + 1))
        count += len(items[-1][0].posts)
        n += 1
    return items


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitroom.bench analyse")
    parser.add_argument("--posts", type=int, default=10_000, help="posts in the record")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of pages")
    args = parser.parse_args(argv)

    items = build_record(args.posts, args.corpus)
    n_posts = sum(len(d.posts) for d, _ in items)
    analyse_documents(items[:1])  # load the models: not part of either figure
    before = _peak_mb()
    cache = MemoryCache()
    t0 = time.perf_counter()
    first = analyse_documents(items, cache=cache)
    first_s = time.perf_counter() - t0
    first_peak = _peak_mb()

    doc, enrichment = items[0]
    news = dataclasses.replace(copy.copy(doc), posts=doc.posts[:1], source="bench://news")
    news_items = [*items, _copy(news, {doc.posts[0].key: enrichment[doc.posts[0].key]}, 999)]
    t0 = time.perf_counter()
    again = analyse_documents(news_items, cache=cache)
    incremental_s = time.perf_counter() - t0

    print(f"posts {n_posts}, claims {len(first.claims)}, disputes {len(first.disputes)}")
    print(f"first analysis        {first_s:8.1f} s  ({len(first.claims) / first_s:.0f} claims/s)")
    print(f"incremental (1 post)  {incremental_s:8.1f} s  ({len(again.claims)} claims)")
    print(f"peak memory           {first_peak:8.0f} MB (models loaded: {before:.0f} MB)")
    return 0
