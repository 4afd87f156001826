"""The benchmarks' local servers: the live page they play and the wait for a server."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from sitroom.bench.pages import free_port, live_text, serve_page, wait_until_up


class _Growing:
    def __init__(self) -> None:
        self.n = 1

    def body(self) -> bytes:
        posts = [
            (k, f"Gauge {k}", "09:0{k} GMT 4 August 2025", f"Read {k}.")
            for k in range(self.n, 0, -1)
        ]
        return live_text("The river rises", posts)


def test_live_text_is_a_summary_then_numbered_posts():
    assert live_text("The river rises", [(2, "Gauge 2", "09:02 GMT", "Read 2.")]) == (
        b"Summary\n\n  \xe2\x80\xa2 The river rises\n\n"
        b"  2. Gauge 2published at 09:02 GMT\n\n    Read 2.\n"
    )


def test_the_served_page_reads_as_it_is_now():
    page = _Growing()
    server = serve_page(page)
    url = f"http://127.0.0.1:{server.server_address[1]}/live"
    try:
        assert httpx.get(url).content.count(b"published at") == 1
        page.n = 3
        assert httpx.get(url).content.count(b"published at") == 3
    finally:
        server.shutdown()


def test_wait_until_up_returns_once_the_server_answers():
    server = serve_page(_Growing())
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        wait_until_up(f"http://127.0.0.1:{server.server_address[1]}", sleeper, "/", seconds=5)
    finally:
        sleeper.kill()
        server.shutdown()


def test_wait_until_up_refuses_a_server_that_exited():
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    with pytest.raises(RuntimeError, match="exited before it answered"):
        wait_until_up(f"http://127.0.0.1:{free_port()}", done, "/", seconds=5)
