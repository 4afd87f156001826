"""The stored record's analysis, updated post by post, equals one run over the whole record."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

import pytest

from sitroom.analyse import analyse_documents, analyse_store, analysis_key, incremental
from sitroom.data import sample_path
from sitroom.enrich.sync import enrich_store
from sitroom.read import read_path
from sitroom.store import open_store
from sitroom.util.jsonable import to_jsonable

EARLY = datetime(1900, 1, 1, tzinfo=UTC)


def _plain(analysis) -> dict:
    return json.loads(json.dumps(to_jsonable(analysis)))


def _from_scratch(store):
    items, ids = [], []
    for d in store.documents():
        items.append((store.document_record(d.id), store.enrichment_for_document(d.id)))
        ids.append(store.document_post_ids(d.id))
    return analyse_documents(items, ids)


@pytest.mark.slow
def test_analysis_updated_post_by_post_equals_one_run_over_the_record(db_target):
    page = read_path(sample_path())
    posts = sorted(page.posts, key=lambda p: (p.published or EARLY, -p.position))
    with open_store(db_target) as store:
        for step, n in enumerate(range(2, len(posts) + 1, 3)):
            store.ingest_document(dataclasses.replace(page, posts=posts[:n]))
            enrich_store(store)
            analyse_store(store)
            if step % 2:  # every other run reads its state back from the store, not memory
                incremental._MEMO.clear()
        # A post edited after it was analysed (its old claims go, its new ones come) and one
        # taken down (its claims go).
        edited = dataclasses.replace(posts[1], body=posts[1].body + " Officials said nothing.")
        gone = posts[-4]
        kept = [posts[0], edited, *(p for p in posts[2:] if p is not gone)]
        store.ingest_document(dataclasses.replace(page, posts=kept))
        enrich_store(store)
        stepwise = analyse_store(store)
        assert gone.published not in {c.time for c in stepwise.claims}
        saved = store.saved_analysis(analysis_key(store))
        scratch = _from_scratch(store)
    # The claims table, rewritten post by post, holds exactly the analysis' claims.
    assert saved is not None
    by_id = sorted(_plain(saved.claims), key=lambda c: c["id"])
    assert by_id == sorted(_plain(stepwise.claims), key=lambda c: c["id"])
    # So do the other tables, though a run writes only the rows that changed.
    for table in ("events", "disputes", "indicators", "quantities"):
        assert _plain(getattr(saved, table)) == _plain(getattr(scratch, table)), table
    assert _plain(stepwise) == _plain(scratch)
    assert len(stepwise.claims) > 20 and stepwise.disputes and stepwise.events
    assert stepwise.indicators and stepwise.hourly


@pytest.mark.slow
def test_a_new_post_reads_and_embeds_only_its_own_claims(db_target, monkeypatch):
    import sitroom.analyse as runner

    page = read_path(sample_path())
    posts = sorted(page.posts, key=lambda p: (p.published or EARLY, -p.position))
    with open_store(db_target) as store:
        store.ingest_document(dataclasses.replace(page, posts=posts[:-1]))
        enrich_store(store)
        before = analyse_store(store)
        store.ingest_document(page)
        enrich_store(store)
        seen: list[int] = []
        real = runner._read_and_embed

        def counting(claims, cache, progress):
            seen.append(len(claims))
            return real(claims, cache, progress)

        monkeypatch.setattr(runner, "_read_and_embed", counting)
        after = analyse_store(store)
    newest = page.posts and max(page.posts, key=lambda p: p.published or EARLY)
    own = [c for c in after.claims if c.time == newest.published]
    # Claims without a time of their own (the page's summary) are placed at the page's newest
    # time, which the new post moved: they are made again too. Nothing else is.
    undated = [c for c in after.claims if c.time is None]
    assert own and seen == [len(own) + len(undated)]
    assert len(after.claims) == len(before.claims) + len(own)
