"""`python -m sitroom.bench read`: posts per second for reading and for storing, and peak memory.

The seed pages (or any folder of pages) are read once to learn their size, then read and
stored again and again under different source names until the record holds the wanted number
of posts, so every post is new to the store as it would be in a large archive ingest.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from sitroom.data import sample_path
from sitroom.read import read_bytes
from sitroom.store import open_store

DEFAULT_CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "seeds"


def _pages(corpus: Path | None) -> list[tuple[str, bytes]]:
    if corpus is not None and corpus.is_dir():
        files = sorted(p for p in corpus.iterdir() if p.is_file() and not p.name.startswith("."))
        return [(p.name, p.read_bytes()) for p in files]

    return [(sample_path().name, sample_path().read_bytes())]


def main(argv: list[str]) -> int:

    parser = argparse.ArgumentParser(prog="python -m sitroom.bench read")
    parser.add_argument("--posts", type=int, default=10_000, help="posts to read and store")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of pages")
    parser.add_argument(
        "--db", type=Path, default=None, help="database file (default: a temp file)"
    )
    args = parser.parse_args(argv)

    pages = _pages(args.corpus)
    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "bench.db"
    tracemalloc.start()
    read_s = store_s = 0.0
    n_posts = n_pages = 0
    with open_store(db) as store:
        while n_posts < args.posts:
            for name, data in pages:
                source = f"bench://{n_pages}/{name}"
                t0 = time.perf_counter()
                document = read_bytes(data, source=source)
                t1 = time.perf_counter()
                store.ingest_document(document)
                t2 = time.perf_counter()
                read_s += t1 - t0
                store_s += t2 - t1
                n_posts += len(document.posts)
                n_pages += 1
                if n_posts >= args.posts:
                    break
        stored = sum(d.posts for d in store.documents())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size_mb = db.stat().st_size / 1e6
    tmp.cleanup()
    print(
        f"pages read:        {n_pages} ({len(pages)} distinct, from {args.corpus if args.corpus and args.corpus.is_dir() else 'bundled sample'})"
    )
    print(f"posts read+stored: {n_posts} (posts in the record: {stored})")
    print(f"read:              {n_posts / read_s:10.0f} posts/s  ({read_s:.2f} s)")
    print(f"store:             {n_posts / store_s:10.0f} posts/s  ({store_s:.2f} s)")
    print(f"read + store:      {n_posts / (read_s + store_s):10.0f} posts/s")
    print(f"peak Python heap:  {peak / 1e6:10.1f} MB (tracemalloc)")
    print(f"peak RSS:          {maxrss_mb:10.1f} MB")
    print(f"database size:     {size_mb:10.1f} MB")
    return 0
