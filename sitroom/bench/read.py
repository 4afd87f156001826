"""`python -m sitroom.bench read`: posts per second for reading and for storing, and peak memory.

The seed pages (or any folder of pages) are read once to learn their size, then read and
stored again and again under different source names until the record holds the wanted number
of posts, so every post is new to the store as it would be in a large archive ingest.

Rates are timed with nothing else running; the Python heap's peak is taken in a second pass
of the same size under tracemalloc (which slows the work several times over: timing under
it understated the rates 2-4x).
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sitroom.bench.measure import heap_peak
from sitroom.data import sample_path
from sitroom.read import read_bytes
from sitroom.store import Store, is_database_url, open_store

DEFAULT_CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "seeds"


def _pages(corpus: Path | None) -> list[tuple[str, bytes]]:
    if corpus is not None and corpus.is_dir():
        files = sorted(p for p in corpus.iterdir() if p.is_file() and not p.name.startswith("."))
        return [(p.name, p.read_bytes()) for p in files]

    return [(sample_path().name, sample_path().read_bytes())]


@dataclass(frozen=True)
class ReadRun:
    """What one timed pass read and stored, and the seconds each half took."""

    pages: int
    posts: int
    read_s: float
    store_s: float


def read_and_store(
    store: Store, pages: list[tuple[str, bytes]], posts: int, prefix: str = "bench"
) -> ReadRun:
    """Read the pages over and over (as new sources `prefix://n/name`) and store each, until
    `posts` posts are stored; reading and storing timed apart."""
    done_pages = done_posts = 0
    read_s = store_s = 0.0
    while done_posts < posts:
        for name, data in pages:
            t0 = time.perf_counter()
            document = read_bytes(data, source=f"{prefix}://{done_pages}/{name}")
            t1 = time.perf_counter()
            store.ingest_document(document)
            read_s += t1 - t0
            store_s += time.perf_counter() - t1
            done_posts += len(document.posts)
            done_pages += 1
            if done_posts >= posts:
                break
    return ReadRun(pages=done_pages, posts=done_posts, read_s=read_s, store_s=store_s)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitroom.bench read")
    parser.add_argument("--posts", type=int, default=10_000, help="posts to read and store")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of pages")
    parser.add_argument(
        "--db",
        default=None,
        help="an empty database file or postgresql:// URL (default: a temp file)",
    )
    parser.add_argument(
        "--no-memory", action="store_true", help="skip the tracemalloc pass (heap peak)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    pages = _pages(args.corpus)
    tmp = tempfile.TemporaryDirectory()
    db = args.db or str(Path(tmp.name) / "bench.db")
    with open_store(db) as store:
        run = read_and_store(store, pages, args.posts)
        stored = sum(d.posts for d in store.documents())
        # The memory pass: as much again, as other sources, after the timing is done.
        heap_mb = (
            None
            if args.no_memory
            else heap_peak(read_and_store, store, pages, args.posts, "bench-memory")
        )
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size_mb = None if is_database_url(db) else Path(db).stat().st_size / 1e6
    tmp.cleanup()
    figures = {
        "pages": run.pages,
        "distinct_pages": len(pages),
        "corpus": str(args.corpus) if args.corpus and args.corpus.is_dir() else "bundled sample",
        "posts": run.posts,
        "posts_in_record": stored,
        "read_posts_per_s": run.posts / run.read_s,
        "store_posts_per_s": run.posts / run.store_s,
        "read_store_posts_per_s": run.posts / (run.read_s + run.store_s),
        "read_s": run.read_s,
        "store_s": run.store_s,
        "heap_peak_mb": heap_mb,
        "peak_rss_mb": maxrss_mb,
        "database_mb": size_mb,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    _print(figures)
    return 0


def _print(f: dict) -> None:
    print(f"pages read:        {f['pages']} ({f['distinct_pages']} distinct, from {f['corpus']})")
    print(f"posts read+stored: {f['posts']} (posts in the record: {f['posts_in_record']})")
    print(f"read:              {f['read_posts_per_s']:10.0f} posts/s  ({f['read_s']:.2f} s)")
    print(f"store:             {f['store_posts_per_s']:10.0f} posts/s  ({f['store_s']:.2f} s)")
    print(f"read + store:      {f['read_store_posts_per_s']:10.0f} posts/s")
    if f["heap_peak_mb"] is not None:
        print(f"peak Python heap:  {f['heap_peak_mb']:10.1f} MB (tracemalloc, separate pass)")
    print(f"peak RSS:          {f['peak_rss_mb']:10.1f} MB")
    if f["database_mb"] is not None:
        print(f"database size:     {f['database_mb']:10.1f} MB (both passes)")
