"""Ingest on a Dask cluster: the same record as in one process, and a rerun does nothing
that is already done."""

from __future__ import annotations

import pytest

from sitroom.pipeline import ingest_sources
from sitroom.read.inputs import iter_inputs
from sitroom.store import open_store
from sitroom.util.cluster import open_cluster

pytestmark = pytest.mark.slow  # a local cluster, and spaCy in each worker


def _pages(folder, live_text) -> list[str]:
    paths = []
    for n, place in enumerate(["Ostrava", "Olomouc", "Brno"]):
        page = folder / f"flood-{n}.txt"
        page.write_text(
            live_text(
                [
                    ("09:00", f"Levees hold in {place}", f"The levees held overnight in {place}."),
                    (
                        "10:30",
                        "Mayor speaks",
                        f'Mayor Petra Novak said 300 people had left {place} "for now".',
                    ),
                ]
            )
        )
        paths.append(str(page))
    return paths


def _record(store) -> list[tuple]:
    posts = sorted((p.source.rsplit("/", 1)[-1], p.key, p.title) for p in store.posts())
    quotes = sorted((q.post_id, q.quote.speaker, q.quote.text) for q in store.quotes())
    places = sorted((p.canonical, p.count) for p in store.places())
    return posts + quotes + places


def test_cluster_ingest_stores_what_one_process_stores_and_reruns_do_nothing(tmp_path, live_text):
    paths = _pages(tmp_path, live_text)
    with open_store(tmp_path / "one.db") as store:
        ingest_sources(store, iter_inputs(paths), argv="one")
        alone = _record(store)
    with open_store(tmp_path / "cluster.db") as store, open_cluster(workers=2) as cluster:
        first = ingest_sources(store, iter_inputs(paths), argv="cluster", cluster=cluster)
        assert [r.new for r in first.results] == [3, 3, 3]  # two posts and a summary each
        assert first.enrichment.versions == 9
        assert _record(store) == alone
        again = ingest_sources(store, iter_inputs(paths), argv="again", cluster=cluster)
        assert [(r.new, r.updated, r.unchanged) for r in again.results] == [(0, 0, 3)] * 3
        assert again.enrichment.versions == 0
    assert any("Petra Novak" in row for row in alone)


def test_on_postgresql_the_workers_write_the_record_themselves(tmp_path, live_text, pg_url):
    """PostgreSQL takes many writers: the workers store what they read and save what they
    enrich; this process writes none of it, and the record is the one a single process makes."""
    paths = _pages(tmp_path, live_text)
    with open_store(tmp_path / "one.db") as store:
        ingest_sources(store, iter_inputs(paths), argv="one")
        alone = _record(store)
    with open_store(pg_url) as store, open_cluster(workers=2) as cluster:
        assert store.shared_url() == pg_url
        written = []
        for method in ("ingest_document", "save_document_enrichment"):
            real = getattr(store, method)
            setattr(
                store, method, lambda *a, _m=method, _r=real, **k: written.append(_m) or _r(*a, **k)
            )
        first = ingest_sources(store, iter_inputs(paths), argv="cluster", cluster=cluster)
        assert written == []  # every document and its enrichment came from a worker
        assert [r.new for r in first.results] == [3, 3, 3]
        assert first.enrichment.versions == 9
        assert _record(store) == alone
        again = ingest_sources(store, iter_inputs(paths), argv="again", cluster=cluster)
        assert [(r.new, r.updated, r.unchanged) for r in again.results] == [(0, 0, 3)] * 3
        assert again.enrichment.versions == 0


def test_a_sqlite_record_has_one_writer():
    with open_store(":memory:") as store:
        assert store.shared_url() is None
