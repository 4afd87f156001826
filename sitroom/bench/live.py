"""`python -m sitroom.bench live`: seconds from the poll that finds a new post to the post
showing in an open browser page (server-sent events), over several arrivals.

Everything runs on this machine: a local HTTP server plays the live page, `sitroom serve`'s
app runs under uvicorn, and Debian's headless Chromium holds the page open.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from sitroom.bench.pages import free_port, live_text, serve_page
from sitroom.follow import SourceState, poll_once
from sitroom.serve.app import create_app
from sitroom.store import open_store

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class _Page:
    """The live page, gaining a post each time `n` grows."""

    n = 3

    def body(self) -> bytes:
        return _page(self.n)


def _page(n_posts: int) -> bytes:
    posts = []
    for k in range(n_posts, 0, -1):
        hh, mm = divmod(6 * 60 + 7 * k, 60)
        when = f"{hh:02d}:{mm:02d} British Summer Time 3 June 2024"
        body = (
            f"Reporters at the scene filed update {k}: water levels changed again near bridge {k}."
        )
        posts.append((k, f"Update number {k} from the valley", when, body))
    return live_text("A developing situation on the river", posts)


def main(argv: list[str]) -> int:

    parser = argparse.ArgumentParser(prog="python -m sitroom.bench live")
    parser.add_argument("--arrivals", type=int, default=10)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument(
        "--enrich",
        action="store_true",
        help="enrich each new post before it is shown (as follow does by default)",
    )
    args = parser.parse_args(argv)
    if not Path(args.chromium).exists():
        print(f"no Chromium at {args.chromium}: apt-get install chromium")
        return 2

    page = _Page()
    page_server = serve_page(page)
    tmp = tempfile.TemporaryDirectory()
    store = open_store(Path(tmp.name) / "live.db")
    source = SourceState(
        f"http://127.0.0.1:{page_server.server_address[1]}/live", interval=1, allow_private=True
    )
    poll_once(source, store, enrich=args.enrich)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    delays = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_selector("#live.on", timeout=15000)
        for _ in range(args.arrivals):
            page.n += 1
            title = f"Update number {page.n} from the valley"
            poll_once(source, store, enrich=args.enrich)
            found_at = time.perf_counter()
            page.wait_for_selector(f"article.post:has-text('{title}')", timeout=30000)
            delays.append(time.perf_counter() - found_at)
        browser.close()
    server.should_exit = True
    page_server.shutdown()
    store.close()
    tmp.cleanup()
    delays.sort()
    p95 = delays[min(len(delays) - 1, round(0.95 * (len(delays) - 1)))]
    print(f"arrivals:         {len(delays)}")
    print(
        f"poll -> on page:  median {statistics.median(delays):.2f} s, p95 {p95:.2f} s, max {max(delays):.2f} s"
    )
    print(f"within 2 s:       {sum(d <= 2 for d in delays)}/{len(delays)}")
    return 0
