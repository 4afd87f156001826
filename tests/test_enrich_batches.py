"""How pending documents are cut into batches for the enrichment workers."""

from __future__ import annotations

from sitroom.enrich.sync import BATCH_POSTS, MIN_BATCH_POSTS, batch_posts, document_batches
from sitroom.records import Document, Post


def _document(n_posts: int) -> Document:
    posts = [Post(key=f"k{i}", position=i, title=None, body="Water rose.") for i in range(n_posts)]
    return Document(source="s", kind="live", format="live-text", posts=posts)


def test_one_worker_takes_full_batches_and_many_workers_smaller_ones():
    assert batch_posts(1000, 1) == BATCH_POSTS
    assert batch_posts(1000, 2) == 62  # 1000 // (2 workers * 8 batches each)
    assert batch_posts(100_000, 4) == BATCH_POSTS
    assert batch_posts(50, 2) == MIN_BATCH_POSTS


def test_documents_are_batched_whole_in_order_and_read_when_needed():
    sizes = {1: 5, 2: 30, 3: 4, 4: 4, 5: 50}
    read: list[int] = []

    def reader(document_id: int) -> Document:
        read.append(document_id)
        return _document(sizes[document_id])

    batches = document_batches(list(sizes), reader, 10)
    first = next(batches)
    assert [i for i, _ in first] == [1, 2] and read == [1, 2]  # 5 + 30 posts: over 10
    assert [[i for i, _ in b] for b in batches] == [[3, 4, 5]]
