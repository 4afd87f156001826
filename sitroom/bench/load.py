"""`python -m sitroom.bench load`: the web server under a newsroom's load, on loopback only.

Builds a record of `--posts` posts (live pages of an invented flood, with quotes, figures,
mentions and places written in alongside, so that every page and API endpoint has work to
do), starts `sitroom serve` on it, warms the cached views (briefing, analysis), then for
`--seconds`: `--clients` HTTP clients (arriving spread over the first think time) each request
a page or API endpoint, wait a think time (`--think` seconds on average) and go again; `--listeners` clients hold `/api/stream` open
(from the change id the record had when the news started, as a page served then would);
and `sitroom follow` polls a local live page that gains a post every `--new-every` seconds.

It prints requests, errors, p50/p95/p99 per endpoint (as the clients waited, and as the
server's app took: its Server-Timing header), the SSE delivery delay (from the first time
`follow` fetched a page holding the post to its arrival at each listener), the server's
peak memory (each process's peak, summed; and the most held at once, sampled) and the CPU
time it used; `--json` prints one object. Every connection is to 127.0.0.1; every loop ends
with `--seconds`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from sitroom.bench.pages import free_port, live_text, serve_page, wait_until_up
from sitroom.records import (
    Actor,
    Document,
    Figure,
    Mention,
    Place,
    Post,
    PostEnrichment,
    Quote,
)
from sitroom.store import open_store

START = datetime(2024, 7, 1, 6, 0, tzinfo=UTC)
PEOPLE = ["Dana Pell", "Ivo Marr", "Lena Ortiz", "Sam Dahl", "Tomas Reyes", "Mira Quist"]
PLACES = [("Ostry", 50.1, 14.4), ("Vell", 50.3, 14.9), ("Kolm", 49.8, 15.2), ("Brana", 50.6, 13.8)]
TOPICS = ["bridge", "dam", "barrier", "shelter", "pumping station", "rail line", "school"]
VERBS = ["reopened", "closed", "held", "flooded", "was inspected", "was evacuated"]


QUOTE_EVERY = 10  # one post in this many quotes someone (--quote-every)


def _text(i: int, rng: random.Random) -> tuple[str, str, PostEnrichment]:
    """Title, body and the enrichment written in with them, for post number i."""
    topic, verb = rng.choice(TOPICS), rng.choice(VERBS)
    place, lat, lon = rng.choice(PLACES)
    person = rng.choice(PEOPLE)
    count = rng.randint(2, 900)
    title = f"The {topic} at {place} {verb} ({i})"
    first = f"The {topic} at {place} {verb} on the {i % 28 + 1}th, and {count} people were moved."
    spoken = f"We will keep the {topic} under watch all night"
    second = f'"{spoken}," {person} said.'
    body = f"{first}\n\n{second}\n\nCrews from {place} worked in shifts near the river."
    enrichment = PostEnrichment(post_key=f"k{i}")
    n = body.index(str(count))
    enrichment.figures.append(
        Figure(str(count), float(count), "people", "body", n, n + len(str(count)))
    )
    n = body.index(place)
    enrichment.places.append(Place(place, place, "city", "body", n, n + len(place), "XX", lat, lon))
    n = body.index(person)
    enrichment.mentions.append(Mention(person, person, "body", n, n + len(person)))
    if i % QUOTE_EVERY == 0:  # the quotes are the claims the analysis groups
        n = body.index(spoken)
        enrichment.quotes.append(
            Quote(spoken, "direct", person, "body", n, n + len(spoken), person, "said")
        )
    return title, body, enrichment


def build_record(db: Path, posts: int, pages: int = 20, seed: int = 13) -> float:
    """A record of `posts` posts over `pages` live pages; returns the seconds it took."""
    started = time.perf_counter()
    rng = random.Random(seed)
    per_page = posts // pages + 1
    with open_store(db) as store:
        for page in range(pages):
            numbers = range(page * per_page, min(posts, (page + 1) * per_page))
            written = {i: _text(i, rng) for i in numbers}
            doc = Document(
                source=f"https://live.example/ostry-{page}",
                kind="live",
                format="live-text",
                title=f"Ostry floods live, page {page}",
                posts=[
                    Post(
                        key=f"k{i}",
                        position=len(numbers) - n,
                        title=written[i][0],
                        body=written[i][1],
                        published=START + timedelta(minutes=7 * i),
                    )
                    for n, i in enumerate(numbers)
                ],
            )
            result = store.ingest_document(doc)
            ids = store.document_version_ids(result.document_id)
            store.save_document_enrichment(
                result.document_id,
                {ids[f"k{i}"]: written[i][2] for i in numbers},
                "bench-load",
                actors=[Actor(name, "person", [name.split()[-1]]) for name in PEOPLE],
            )
    return time.perf_counter() - started


class LivePage:
    """A live page on 127.0.0.1 that gains a post every `every` seconds; it remembers when
    each post was first served (the earliest `follow` can have stored it)."""

    def __init__(self, every: float) -> None:
        self.every = every
        self.started = time.monotonic()
        self.first_served: dict[str, float] = {}
        self.lock = threading.Lock()

    def titles(self) -> list[str]:
        n = int((time.monotonic() - self.started) / self.every)
        return [f"Gauge reading {k} at the Ostry weir" for k in range(n + 1)]

    def body(self) -> bytes:
        titles = self.titles()
        now = time.monotonic()
        with self.lock:
            for title in titles:
                self.first_served.setdefault(title, now)
        posts = [
            (
                k + 1,
                titles[k],
                (START + timedelta(days=400, minutes=k)).strftime("%H:%M")
                + " Greenwich Mean Time 4 August 2025",
                f"The weir gauge read {k}.{k % 10} metres on check {k}.",
            )
            for k in reversed(range(len(titles)))
        ]
        return live_text("The Vell keeps rising", posts)


def _endpoints(db: Path) -> list[tuple[str, str]]:
    """(route name, URL path) pairs the clients pick from."""
    with open_store(db) as store:
        some = [p.id for p in store.posts(PostQuery_newest(200))]
    post = random.Random(1).choice(some)
    return [
        ("/", "/"),
        ("/posts/{id}", f"/posts/{post}"),
        ("/actors", "/actors"),
        ("/actors/{name}", "/actors/Dana%20Pell"),
        ("/quotes", "/quotes?speaker=Ivo%20Marr"),
        ("/figures", "/figures"),
        ("/map", "/map"),
        ("/disputes", "/disputes"),
        ("/indicators", "/indicators"),
        ("/api/posts", "/api/posts?limit=50"),
        ("/api/posts?text=", "/api/posts?limit=50&text=Kolm"),
        ("/api/posts/{id}", f"/api/posts/{post}"),
        ("/api/search", "/api/search?q=barrier%20Brana"),
        ("/api/briefing", "/api/briefing"),
        ("/api/sources", "/api/sources"),
        ("/api/actors", "/api/actors"),
        ("/api/quotes", "/api/quotes?limit=100"),
        ("/api/figures", "/api/figures?limit=100"),
        ("/api/places", "/api/places"),
        ("/api/claims", "/api/claims"),
        ("/api/disputes", "/api/disputes"),
        ("/api/indicators", "/api/indicators"),
        ("/static/app.css", "/static/app.css"),
    ]


def PostQuery_newest(n: int):  # noqa: N802 -- reads as the query it builds
    from sitroom.store import PostQuery

    return PostQuery(order="-time", limit=n)


async def _client(base, endpoints, until, think, rng, latencies, errors) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        # Clients arrive spread over one think time, as readers do, not all in one instant.
        await asyncio.sleep(think * rng.random())
        while time.monotonic() < until:
            name, path = rng.choice(endpoints)
            started = time.perf_counter()
            try:
                response = await http.get(path)
                ok = response.status_code == 200
                timing = response.headers.get("server-timing", "")
                if timing.startswith("app;dur="):  # the time the server's app took
                    latencies.setdefault(("app", name), []).append(float(timing[8:]) / 1000)
            except httpx.HTTPError:
                ok = False
            latencies.setdefault(name, []).append(time.perf_counter() - started)
            if not ok:
                errors[name] = errors.get(name, 0) + 1
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))


async def _listener(base, until, arrivals: dict[str, float], since: int) -> None:
    """Hold /api/stream open from change id `since` (as a page does with the change id it
    was served with); on a dropped or refused connection, reconnect with the last change id
    seen (as a browser's EventSource does) until the run ends."""
    state: dict[str, str | None] = {"last": str(since)}
    async with httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(30, read=None)) as http:
        while time.monotonic() < until:
            path = "/api/stream" + (f"?after={state['last']}" if state["last"] else "")
            try:
                async with http.stream("GET", path) as response:
                    await _read_events(response, until, arrivals, state)
            except httpx.HTTPError:
                await asyncio.sleep(0.5)


async def _read_events(response, until, arrivals, state) -> None:
    event = None
    async for line in response.aiter_lines():
        if time.monotonic() > until:
            return
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("id:"):
            state["last"] = line[3:].strip()
        elif line.startswith("data:") and event == "post":
            title = json.loads(line[5:]).get("title") or ""
            arrivals.setdefault(title, time.monotonic())


async def _drive(base, endpoints, args, since: int) -> tuple[dict, dict, list[dict]]:
    until = time.monotonic() + args.seconds
    rng = random.Random(7)
    latencies: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    arrivals: list[dict[str, float]] = [{} for _ in range(args.listeners)]
    listeners = [asyncio.create_task(_listener(base, until + 3, a, since)) for a in arrivals]
    await asyncio.sleep(1)  # listeners connected before the news starts
    clients = [
        _client(base, endpoints, until, args.think, random.Random(rng.random()), latencies, errors)
        for _ in range(args.clients)
    ]
    await asyncio.gather(*clients)
    await asyncio.sleep(3)  # the last posts reach the listeners
    for task in listeners:
        task.cancel()
    await asyncio.gather(*listeners, return_exceptions=True)
    return latencies, errors, arrivals


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _group(pgid: int) -> dict[int, list[str]]:
    """The processes of the server's group (the server and its views worker): pid ->
    the fields of /proc/PID/stat after the command name."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if len(fields) > 12 and fields[2] == str(pgid):
                found[int(entry.name)] = fields
    return found


def _group_peak_mb(pgid: int) -> float:
    """Peak memory of every process in the server's group, summed: an upper bound on what
    they held at once."""
    total = 0.0
    for pid in _group(pgid):
        with contextlib.suppress(OSError, ValueError):
            total += _peak_mb(pid)
    return total


def _group_cpu_s(pgid: int) -> dict[int, float]:
    """CPU seconds (user + system) used so far by each process of the server's group."""
    tick = os.sysconf("SC_CLK_TCK")
    return {pid: (int(f[11]) + int(f[12])) / tick for pid, f in _group(pgid).items()}


def _cpu_used(before: dict[int, float], after: dict[int, float], main: int) -> tuple:
    """CPU seconds the serving process, and the rest of its group, used in between."""
    used = {pid: t - before.get(pid, 0.0) for pid, t in after.items()}
    return used.pop(main, 0.0), sum(used.values())


class _MemorySampler(threading.Thread):
    """The memory the server's group holds at once (resident, summed), every 0.2 s."""

    def __init__(self, pgid: int) -> None:
        super().__init__(daemon=True)
        self.pgid, self.peak_mb, self.done = pgid, 0.0, threading.Event()

    def run(self) -> None:
        page_mb = os.sysconf("SC_PAGE_SIZE") / 2**20
        while not self.done.wait(0.2):
            now = 0.0
            for pid in _group(self.pgid):
                with contextlib.suppress(OSError, ValueError, IndexError):
                    now += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page_mb
            self.peak_mb = max(self.peak_mb, now)


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {"p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99), "n": len(ordered)}


def _warm(base: str, endpoints: list[tuple[str, str]]) -> float:
    """Request every endpoint once (the first briefing and analysis are computed here)."""
    started = time.perf_counter()
    with httpx.Client(base_url=base, timeout=1800) as http:
        for _, path in endpoints:
            http.get(path)
    return time.perf_counter() - started


def run(args) -> dict:
    workdir = Path(args.db).parent if args.db else Path(tempfile.mkdtemp(prefix="sitroom-load-"))
    db = Path(args.db) if args.db else workdir / "load.db"
    build_s = build_record(db, args.posts) if not db.exists() else 0.0
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    server = subprocess.Popen(
        [sys.executable, "-m", "sitroom", "serve", "--db", str(db), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,  # its "sitroom at ..." line is not this bench's output
        start_new_session=True,  # its views worker goes with it at the end
    )
    sampler = _MemorySampler(server.pid)
    sampler.start()
    live = LivePage(args.new_every)
    page_server = serve_page(live)
    follower = None
    try:
        wait_until_up(base, server, "/static/app.css", seconds=60)
        endpoints = _endpoints(db)
        warm_s = _warm(base, endpoints)
        cpu_before = _group_cpu_s(server.pid)
        with open_store(db) as store:  # the listeners start from here, as a page would
            since = store.latest_change_id()
        live.started = time.monotonic()
        follower = subprocess.Popen(
            [sys.executable, "-m", "sitroom", "follow", "--db", str(db), "--interval", "0.5",
             "--no-enrich", "--allow-private",
             f"http://127.0.0.1:{page_server.server_address[1]}/live"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        latencies, errors, arrivals = asyncio.run(_drive(base, endpoints, args, since))
        cpu = _cpu_used(cpu_before, _group_cpu_s(server.pid), server.pid)
        peak = (_peak_mb(server.pid), _group_peak_mb(server.pid), sampler.peak_mb, *cpu)
    finally:
        sampler.done.set()
        if follower is not None:
            follower.terminate()
            follower.wait(10)
        server.terminate()
        try:
            server.wait(10)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)  # anything the server left running
        page_server.shutdown()
    return _figures(args, db, build_s, warm_s, latencies, errors, arrivals, live, peak)


def _figures(args, db, build_s, warm_s, latencies, errors, arrivals, live, peak) -> dict:
    with open_store(db) as store:
        posts = store.count_posts()
    waits = {k: v for k, v in latencies.items() if isinstance(k, str)}
    in_app = {k[1]: v for k, v in latencies.items() if isinstance(k, tuple)}
    served = dict(live.first_served)
    # Posts that appeared on the page early enough to be stored and streamed before the end.
    expected = [t for t, at in served.items() if at < live.started + args.seconds - 2]
    delays, missed = [], 0
    for got in arrivals:
        for title in expected:
            if title in got:
                delays.append(max(0.0, got[title] - served[title]))
            else:
                missed += 1
    return {
        "posts": posts,
        "requests": sum(len(v) for k, v in latencies.items() if isinstance(k, str)),
        "errors": sum(errors.values()),
        "endpoints": {k: _percentiles(v) for k, v in sorted(waits.items())},
        # the same, timed inside the server (its Server-Timing header): what the clients
        # waited beyond it was spent queueing for the server or for a CPU
        "endpoints_in_app": {k: _percentiles(v) for k, v in sorted(in_app.items())},
        "errors_by_endpoint": errors,
        "sse_listeners": args.listeners,
        "sse_posts": len(expected),
        "sse_missed": missed,
        "sse_max_delay_s": round(max(delays), 2) if delays else None,
        "sse_median_delay_s": round(statistics.median(delays), 2) if delays else None,
        "server_peak_mb": round(peak[1], 1),
        "server_main_process_peak_mb": round(peak[0], 1),
        "server_peak_sampled_mb": round(peak[2], 1),  # resident at once, sampled every 0.2 s
        "server_cpu_s": round(peak[3], 1),  # the serving process, during the run
        "worker_cpu_s": round(peak[4], 1),  # its views worker, during the run
        "build_s": round(build_s, 1),
        "warm_s": round(warm_s, 1),
        "clients": args.clients,
        "think_s": args.think,
        "seconds": args.seconds,
        "quote_every": QUOTE_EVERY,
        "load_average": os.getloadavg()[0],
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitroom.bench load", description=__doc__)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--listeners", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between requests")
    parser.add_argument("--new-every", type=float, default=2.0, help="seconds between new posts")
    parser.add_argument("--db", help="reuse (or build) the record here")
    parser.add_argument(
        "--quote-every", type=int, default=10, help="one post in this many quotes someone"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    global QUOTE_EVERY
    QUOTE_EVERY = max(1, args.quote_every)
    figures = run(args)
    if args.json:
        print(json.dumps(figures))
        return 0
    print(
        f"{figures['posts']} posts (built in {figures['build_s']} s, views warmed in "
        f"{figures['warm_s']} s); {figures['requests']} requests from {args.clients} clients "
        f"in {args.seconds:g} s, {figures['errors']} errors"
    )
    print(f"{'endpoint':24} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'in app p95':>10}")
    for name, p in figures["endpoints"].items():
        app = figures["endpoints_in_app"].get(name, {}).get("p95_ms", "")
        print(f"{name:24} {p['n']:>6} {p['p50_ms']:>8} {p['p95_ms']:>8} {p['p99_ms']:>8} {app:>10}")
    print(
        f"SSE: {args.listeners} listeners, {figures['sse_posts']} new posts, "
        f"{figures['sse_missed']} missed, delay max {figures['sse_max_delay_s']} s "
        f"(median {figures['sse_median_delay_s']} s)"
    )
    print(
        f"server peak memory {figures['server_peak_mb']} MB with its views worker "
        f"({figures['server_main_process_peak_mb']} MB the serving process alone; "
        f"{figures['server_peak_sampled_mb']} MB the most held at once, sampled)"
    )
    print(
        f"CPU during the run: {figures['server_cpu_s']} s serving, "
        f"{figures['worker_cpu_s']} s in the views worker"
    )
    return 0
