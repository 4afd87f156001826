"""`python -m sitroom.bench enrich`: posts per second for full enrichment beside the bare
spaCy pipeline on the same texts, and their ratio."""

from __future__ import annotations

import argparse
import copy
import time
from pathlib import Path

from sitroom.bench.read import DEFAULT_CORPUS, _pages


def main(argv: list[str]) -> int:
    from sitroom.enrich.nlp import get_nlp, parse_texts
    from sitroom.enrich.pipeline import default_registry, enrich_document
    from sitroom.read import read_bytes

    parser = argparse.ArgumentParser(prog="python -m sitroom.bench enrich")
    parser.add_argument("--posts", type=int, default=1000, help="posts to enrich")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)

    documents = [read_bytes(data, source=name) for name, data in _pages(args.corpus)]
    batch, n_posts, k = [], 0, 0
    while n_posts < args.posts:
        doc = copy.deepcopy(documents[k % len(documents)])
        doc.source = f"bench://{k}/{doc.source}"
        batch.append(doc)
        n_posts += len(doc.posts)
        k += 1
    texts = [t for d in batch for p in d.posts for t in ((p.title,) if p.title else ()) + (p.body,)]
    nlp = get_nlp()
    default_registry()
    parse_texts(texts[:20], nlp=nlp)  # warm up

    t0 = time.perf_counter()
    parse_texts(texts, nlp=nlp, n_process=1)
    bare = time.perf_counter() - t0

    t0 = time.perf_counter()
    counts = {"quotes": 0, "figures": 0, "places": 0, "mentions": 0}
    for doc in batch:
        for result in enrich_document(doc).values():
            for key in counts:
                counts[key] += len(getattr(result, key))
    full = time.perf_counter() - t0

    chars = sum(len(t) for t in texts)
    print(f"documents: {len(batch)}, posts: {n_posts}, characters: {chars:,}")
    print(
        f"bare spaCy ({nlp.meta.get('name', '?')} {nlp.meta.get('version', '')}): {n_posts / bare:8.1f} posts/s  ({bare:.2f} s)"
    )
    print(f"full enrichment:                    {n_posts / full:8.1f} posts/s  ({full:.2f} s)")
    print(f"ratio full / bare time:             {full / bare:8.2f}x")
    print("found: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0
