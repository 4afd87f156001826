"""`python -m sitroom.bench scale`: how sitroom holds up as the record grows.

Builds a record of `--posts` posts (the seed pages read again and again as new sources, each
copy's times moved on by a day and its numbers changed, so that copies are not identical),
then prints:

- ingest: posts read and stored per second;
- enrichment: posts per second with each `--workers` count on the same documents (the
  parallel step alone, nothing written), and the speed-up over one worker; then the record
  is enriched with the most workers, writes included;
- analysis: the first (uncached) full analysis and its peak memory, then the analysis after
  one new post is stored and enriched, and the embedding model's claims per second;
- the web: `sitroom serve` on the record, and for each page and API endpoint `--clients`
  concurrent clients (10) making `--requests` requests in all: p50/p95/p99 latency and the
  largest response;
- the peak memory of each step: every step runs in a fresh process (its worker processes
  counted), so one step's memory is not hidden in another's.

`--json` prints one object with the keys named in issue 13 ("posts", "ingest_posts_per_s",
"enrich_posts_per_s", "analysis_first_s", "analysis_peak_mb", "analysis_incremental_s",
"api") and a few more: "analysis_incremental_s" is one new post analysed in a running
process with the models loaded (as serve and follow run), "analysis_incremental_store_s" the
same when the runner reads its last run back from the store, "analysis_incremental_cold_s"
in a fresh process (imports and model loads included); "embed_claims_per_s". Every
connection is to 127.0.0.1; every loop is bounded.
The same command scales to a bigger machine: pass `--workers 1,2,4,8`.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import httpx

from sitroom.bench.measure import Measured, in_child, percentiles
from sitroom.bench.pages import wait_until_up
from sitroom.bench.read import DEFAULT_CORPUS, _pages
from sitroom.read import read_bytes
from sitroom.records import Document, Post
from sitroom.store import PostQuery, open_store

CLIENTS = 10
NUMBER = re.compile(r"\b\d{1,4}\b")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _vary(document: Document, copy_no: int) -> Document:
    """Copy `copy_no` of a page: times a day later per copy, small numbers changed."""
    varied = copy.deepcopy(document)
    shift = timedelta(days=copy_no)

    def renumber(text: str) -> str:
        return NUMBER.sub(lambda m: str(int(m.group()) + copy_no % 7), text)

    for post in varied.posts:
        post.published = post.published + shift if post.published else None
        post.body = renumber(post.body)
    if varied.published:
        varied.published += shift
    return varied


def build_record(db: str, corpus: str | None, posts: int) -> dict:
    """Read and store `posts` posts; returns the counts and the read and store seconds."""
    pages = _pages(Path(corpus) if corpus else None)
    read_s = store_s = 0.0
    n_posts = n_pages = 0
    with open_store(db) as store:
        while n_posts < posts:
            for name, data in pages:
                t0 = time.perf_counter()
                document = read_bytes(data, source=f"scale://{n_pages}/{name}")
                t1 = time.perf_counter()
                document = _vary(document, n_pages // len(pages))
                t2 = time.perf_counter()
                store.ingest_document(document)
                t3 = time.perf_counter()
                read_s, store_s = read_s + t1 - t0, store_s + t3 - t2
                n_posts += len(document.posts)
                n_pages += 1
                if n_posts >= posts:
                    break
    return {"posts": n_posts, "pages": n_pages, "read_s": read_s, "store_s": store_s}


def count_posts(db: str) -> int:
    with open_store(db) as store:
        return sum(d.posts for d in store.documents())


def enrich_only(db: str, posts: int, workers: int) -> tuple[int, float, float]:
    """Enrich about `posts` posts' documents with `workers` processes, writing nothing:
    (posts enriched, seconds to start the workers, seconds to enrich once they are up)."""
    from sitroom.enrich.actors import ActorRegistry  # lazy: spaCy, in the child only
    from sitroom.enrich.batch import enrich_batches, enrich_documents, worker_pool
    from sitroom.enrich.nlp import get_nlp
    from sitroom.enrich.sync import batch_posts, document_batches

    with open_store(db) as store:
        ids, n = [], 0
        for summary in store.documents():
            if n >= posts:
                break
            ids.append(summary.id)
            n += summary.posts
        batches = list(document_batches(ids, store.document_record, batch_posts(n, workers)))
    t0 = time.perf_counter()
    if workers == 1:
        registry = ActorRegistry.load()
        get_nlp()
        t1 = time.perf_counter()
        done = sum(len(d.found) for b in batches for d in enrich_documents(b, registry))
        return done, t1 - t0, time.perf_counter() - t1
    with worker_pool(workers) as pool:
        t1 = time.perf_counter()
        done = sum(len(d.found) for d in enrich_batches(batches, processes=workers, pool=pool))
        return done, t1 - t0, time.perf_counter() - t1


def enrich_record(db: str, workers: int) -> int:
    """Enrich the whole record (writes included); returns the post versions enriched."""
    from sitroom.enrich.sync import enrich_store  # lazy: spaCy, in the child only

    with open_store(db) as store:
        return enrich_store(store, processes=workers).versions


def analyse(db: str) -> int:
    """The analysis of the record as it stands, in a fresh process; returns the claims."""
    from sitroom.analyse import analyse_store  # lazy: the embedding model, in the child only

    with open_store(db) as store:
        return len(analyse_store(store).claims)


def analyse_new_posts(db: str) -> tuple[float, float]:
    """Seconds to analyse the record after one new post, twice in one process with the
    models loaded (as `sitroom serve` and `follow` run): the first time the runner reads its
    state back from the store, the second time it holds its last run."""
    from sitroom.analyse import analyse_store  # lazy: the embedding model, in the child only
    from sitroom.analyse.matching import embed  # lazy: as above
    from sitroom.enrich.nlp import get_nlp  # lazy: spaCy, in the child only

    get_nlp()
    embed(["warm up"])
    seconds = []
    for n in (1, 2):
        add_one_post(db, n)
        with open_store(db) as store:
            t0 = time.perf_counter()
            analyse_store(store)
            seconds.append(time.perf_counter() - t0)
    return seconds[0], seconds[1]


def embed_rate(db: str, limit: int = 2000) -> dict[str, float]:
    """Texts embedded per second as the analysis embeds them (batched, shortest first), the
    model loaded and warmed by one pass first (the median of three passes after it: the
    sustained rate of a long first run): on up to `limit` distinct claims of the record, and
    on as many
    distinct sentences of its posts (longer than its claims: a replicated record repeats
    its few claims, and a real one's run longer)."""
    from sitroom.analyse import embed_claims  # lazy: the embedding model, in the child only

    with open_store(db) as store:
        claims = sorted({c.text for c in store.saved_claims() if c.actor})[:limit]
        sentences: list[str] = []
        for post in store.posts(PostQuery(limit=5 * limit)):
            sentences += [s for s in SENTENCE_END.split(post.body or "") if len(s) > 40]
    sentences = sorted(set(sentences) - set(claims))[:limit]
    out: dict[str, float] = {}
    for name, texts in (("claims", claims), ("sentences", sentences)):
        embed_claims(texts)  # warm: the first batches of each size run slower (kernel set-up)
        rates = []
        for _ in range(3):  # the median of three passes: one pass of a few hundred is noisy
            t0 = time.perf_counter()
            embed_claims(texts)
            seconds = time.perf_counter() - t0
            rates.append(len(texts) / seconds if seconds else 0.0)
        out[name], out[f"{name}_per_s"] = len(texts), statistics.median(rates)
        out[f"{name}_chars"] = sum(map(len, texts)) / len(texts) if texts else 0.0
    return out


def add_one_post(db: str, n: int = 1) -> None:
    """New post `n` on a new page, stored and enriched (not timed: the analysis after it is):
    an attributed quote, so that it has a claim to parse, embed and group."""
    from sitroom.enrich.sync import enrich_store  # lazy: spaCy, in the child only

    with open_store(db) as store:
        newest = store.posts(PostQuery(order="-time", limit=1))
        when = newest[0].published if newest and newest[0].published else None
        post = Post(
            key=f"scale-new-post-{n}",
            position=1,
            title="Talks resume",
            body=f'Sergei Lavrov said: "Talks will resume on Friday in Geneva, round {n}."',
            published=when + timedelta(minutes=5) if when else None,
        )
        added = store.ingest_document(
            Document(source=f"scale://new-post/{n}", kind="live", format="live-text", posts=[post])
        )
        # its own document only: a reused record may predate the enricher (--reuse)
        enrich_store(store, processes=1, documents={added.document_id})


# --- the web ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _endpoints(db: str) -> list[str]:
    """URL paths of every page and API endpoint, with ids and names from the record."""
    with open_store(db) as store:
        newest = store.posts(PostQuery(order="-time", limit=1))
        actors = store.actors_summary()
    post = newest[0].id if newest else "0"
    actor = quote(actors[0].name) if actors else "nobody"
    return [
        "/",
        f"/posts/{post}",
        "/actors",
        f"/actors/{actor}",
        "/quotes",
        "/figures",
        "/map",
        "/disputes",
        "/indicators",
        "/api/posts",
        f"/api/posts/{post}",
        "/api/search?q=minister%20said",
        "/api/briefing",
        "/api/sources",
        "/api/actors",
        f"/api/actors/{actor}",
        "/api/quotes",
        "/api/figures",
        "/api/places",
        "/api/claims",
        "/api/disputes",
        "/api/indicators",
    ]


def _hammer(base: str, path: str, requests: int, clients: int) -> dict:
    """`clients` threads share `requests` requests of one path: latencies and sizes."""
    latencies: list[float] = []
    sizes: list[int] = []
    errors = 0
    lock = threading.Lock()
    left = [requests]

    def client() -> None:
        nonlocal errors
        with httpx.Client(base_url=base, timeout=120) as http:
            while True:
                with lock:
                    if left[0] <= 0:
                        return
                    left[0] -= 1
                t0 = time.perf_counter()
                response = http.get(path)
                took = time.perf_counter() - t0
                with lock:
                    latencies.append(took * 1000)
                    sizes.append(len(response.content))
                    errors += response.status_code >= 400

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    p50, p95, p99 = percentiles(latencies)
    return {"p50_ms": p50, "p95_ms": p95, "p99_ms": p99, "max_bytes": max(sizes), "errors": errors}


def measure_api(db: str, requests: int, clients: int) -> tuple[dict, float]:
    """Per-endpoint latency under `clients` concurrent clients, and the server's peak MB."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    server = subprocess.Popen(
        [sys.executable, "-m", "sitroom", "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        wait_until_up(base, server, "/api/sources", seconds=120)
        paths = _endpoints(db)
        first = {}
        for path in paths:  # warm: first computations and caches are not what is measured...
            t0 = time.perf_counter()
            httpx.get(base + path, timeout=600)
            first[path] = (time.perf_counter() - t0) * 1000
        for path in paths:  # ...nor a page made again when a view it shows finished loading
            httpx.get(base + path, timeout=600)
        found = {path: _hammer(base, path, requests, clients) for path in paths}
        for path, figures in found.items():
            figures["first_ms"] = first[path]  # the first answer, uncached, for the record
        peak_mb = _server_peak_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return found, peak_mb


def _server_peak_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return 0.0
    match = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
    return int(match.group(1)) / 1024 if match else 0.0


# --- the run ---------------------------------------------------------------------------------


def run(args: argparse.Namespace, db: str) -> dict:
    corpus = str(args.corpus) if args.corpus and args.corpus.is_dir() else None
    peaks: dict[str, float] = {}
    out: dict = {
        "backend": "postgresql" if db.startswith("postgres") else "sqlite",
        "cores": os.cpu_count(),
    }
    if args.reuse:
        posts = in_child(count_posts, db).result
        out["posts"], out["reused"] = posts, True
    else:
        built: Measured = in_child(build_record, db, corpus, args.posts)
        posts = built.result["posts"]
        peaks["ingest"] = built.peak_mb
        out["posts"] = posts
        out["ingest_posts_per_s"] = posts / (built.result["read_s"] + built.result["store_s"])
        out["read_posts_per_s"] = posts / built.result["read_s"]
        out["store_posts_per_s"] = posts / built.result["store_s"]
    if not args.skip_enrich:
        out.update(_enrich_steps(args, db, posts, peaks))
    if not args.skip_analysis:
        out.update(_analysis_steps(db, peaks))
    if not args.skip_api:
        out["api"], peaks["serve"] = measure_api(db, args.requests, args.clients)
    out["peak_mb"] = peaks
    return out


def _enrich_steps(args: argparse.Namespace, db: str, posts: int, peaks: dict[str, float]) -> dict:
    """Enrichment rates per worker count (nothing written), then the whole record enriched."""
    out: dict = {}
    enrich_posts = min(args.enrich_posts or posts, posts)
    rates: dict[str, float] = {}
    starts: dict[str, float] = {}
    for workers in args.workers:
        step = in_child(enrich_only, db, enrich_posts, workers)
        done, start_s, work_s = step.result
        rates[str(workers)] = done / work_s
        starts[str(workers)] = start_s
        peaks[f"enrich_{workers}"] = step.peak_mb
    out["enrich_posts"] = enrich_posts
    out["enrich_posts_per_s"] = rates
    out["enrich_speedup"] = {w: r / rates[str(args.workers[0])] for w, r in rates.items()}
    out["enrich_start_s"] = starts
    if args.reuse:
        return out  # the record as it stands: not enriched again
    most = max(args.workers)
    step = in_child(enrich_record, db, most)
    out["enrich_store_posts_per_s"] = step.result / step.seconds
    peaks["enrich_store"] = step.peak_mb
    return out


def _analysis_steps(db: str, peaks: dict[str, float]) -> dict:
    """First analysis (a fresh process, nothing kept); then one new post at a time, in a
    process with the models loaded (reading the last run back from the store, then holding
    it) and in a fresh process (imports and model loads included); the embedding rate."""
    out: dict = {}
    step = in_child(analyse, db)
    out["claims"], out["analysis_first_s"] = step.result, step.seconds
    out["analysis_peak_mb"] = peaks["analysis_first"] = step.peak_mb
    step = in_child(analyse_new_posts, db)
    out["analysis_incremental_store_s"], out["analysis_incremental_s"] = step.result
    peaks["analysis_incremental"] = step.peak_mb
    in_child(add_one_post, db, 3)
    step = in_child(analyse, db)
    out["analysis_incremental_cold_s"] = step.seconds
    rates = in_child(embed_rate, db).result
    out["embed_claims"], out["embed_claims_per_s"] = rates["claims"], rates["claims_per_s"]
    out["embed_sentences"], out["embed_sentences_per_s"] = (
        rates["sentences"], rates["sentences_per_s"],
    )  # fmt: skip
    out["embed_chars"] = {"claims": rates["claims_chars"], "sentences": rates["sentences_chars"]}
    return out


def _print(out: dict) -> None:
    print(f"record: {out['posts']} posts ({out['backend']}, {out['cores']} cores)")
    if out.get("reused"):
        print("ingest:     not measured (--reuse: the record in --db as it stands)")
    else:
        print(
            f"ingest:     {out['ingest_posts_per_s']:8.0f} posts/s  (read "
            f"{out['read_posts_per_s']:.0f}, store {out['store_posts_per_s']:.0f})"
            f"   peak {out['peak_mb']['ingest']:.0f} MB"
        )
    if "enrich_posts_per_s" in out:
        print(f"enrichment of {out['enrich_posts']} posts, nothing written, once workers are up:")
        for workers, rate in out["enrich_posts_per_s"].items():
            print(
                f"  {workers:>3} worker(s): {rate:8.1f} posts/s  x{out['enrich_speedup'][workers]:.2f}"
                f"   (start {out['enrich_start_s'][workers]:.1f} s)"
                f"   peak {out['peak_mb'][f'enrich_{workers}']:.0f} MB"
            )
        if "enrich_store_posts_per_s" in out:
            print(
                f"enrich the record (writes too): {out['enrich_store_posts_per_s']:.1f} posts/s"
                f"   peak {out['peak_mb']['enrich_store']:.0f} MB"
            )
    if "analysis_first_s" in out:
        print(
            f"analysis, first:        {out['analysis_first_s']:8.1f} s   peak "
            f"{out['analysis_peak_mb']:.0f} MB ({out['claims']} claims)"
        )
        print(
            f"analysis, one new post: {out['analysis_incremental_s']:8.2f} s   peak "
            f"{out['peak_mb']['analysis_incremental']:.0f} MB (a running process; reading "
            f"its state from the store {out['analysis_incremental_store_s']:.2f} s; a fresh "
            f"process {out['analysis_incremental_cold_s']:.1f} s)"
        )
        chars = out["embed_chars"]
        print(
            f"embeddings:             {out['embed_claims_per_s']:8.0f} claims/s "
            f"({out['embed_claims']} distinct claims, {chars['claims']:.0f} characters on "
            f"average); {out['embed_sentences_per_s']:.0f} sentences/s ({out['embed_sentences']}"
            f" sentences of posts, {chars['sentences']:.0f} characters)"
        )
    if "api" in out:
        print(f"web, {CLIENTS} concurrent clients (server peak {out['peak_mb']['serve']:.0f} MB):")
        print(
            f"  {'endpoint':40} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max bytes':>10}"
            f" {'first ms':>9}"
        )
        for path, f in out["api"].items():
            flag = f"  {f['errors']} errors" if f["errors"] else ""
            print(
                f"  {path[:40]:40} {f['p50_ms']:8.1f} {f['p95_ms']:8.1f} {f['p99_ms']:8.1f}"
                f" {f['max_bytes']:10d} {f.get('first_ms', 0):9.0f}{flag}"
            )


def _workers(text: str) -> list[int]:
    counts = sorted({int(w) for w in text.split(",") if w.strip()})
    if not counts or counts[0] < 1:
        raise argparse.ArgumentTypeError("--workers takes counts of 1 or more: 1,2,4")
    return counts


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitroom.bench scale")
    parser.add_argument("--posts", type=int, default=100_000, help="posts in the record")
    parser.add_argument(
        "--workers", type=_workers, default=[1, 2], help="enrichment worker counts: 1,2,4"
    )
    parser.add_argument(
        "--db", default=None, help="an empty database file or postgresql:// URL (default: temp)"
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of pages")
    parser.add_argument(
        "--enrich-posts",
        type=int,
        default=None,
        help="posts for the per-worker enrichment figures (default: all)",
    )
    parser.add_argument("--requests", type=int, default=100, help="requests per endpoint")
    parser.add_argument("--clients", type=int, default=CLIENTS, help="concurrent clients")
    parser.add_argument(
        "--skip-enrich",
        action="store_true",
        help="no enrichment (for the web figures of a large record without hours of spaCy)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the record already in --db as it stands (built and enriched before:"
        " at 100k posts that takes most of an hour): no ingest, the record not enriched again"
        " (the per-worker enrichment rates are still taken, nothing written)",
    )
    parser.add_argument("--skip-analysis", action="store_true")
    parser.add_argument("--skip-api", action="store_true")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.reuse and not args.db:
        parser.error("--reuse measures the record in --db: give --db")
    with tempfile.TemporaryDirectory() as tmp:
        out = run(args, args.db or str(Path(tmp) / "scale.db"))
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        _print(out)
    return 0
