"""Fetching safely: the SSRF guard, a total deadline, server text kept out of rich markup, and
file sizes checked before reading. Every server here listens on 127.0.0.1 only, and every
loop is bounded."""

from __future__ import annotations

import io
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rich.console import Console

from sitroom.follow import SourceState, follow, poll_once
from sitroom.read import ReadError
from sitroom.read import fetch as fetch_module
from sitroom.read.fetch import fetch_url, refusal
from sitroom.store import open_store

PAGE = (
    "Summary\n\n  • The dam is holding\n\n"
    "  1. Spillway openedpublished at 10:15 British Summer Time 3 June 2024\n\n"
    "    Engineers opened the spillway at dawn.\n"
).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 -- http.server's name
        if self.path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "400")
            self.end_headers()
            for _ in range(40):  # 40 bytes over 8 s at most, then gives up
                try:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.2)
            return
        if self.path == "/markup":
            self.send_response(503, "[/red] [bold]down")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", self.path.split("to=", 1)[1])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args):
        pass


@pytest.fixture()
def port():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


LOOPBACK_FORMS = ["127.0.0.1", "localhost", "2130706433", "0x7f.1", "127.1"]


@pytest.mark.parametrize("host", LOOPBACK_FORMS)
def test_loopback_in_any_form_is_refused_by_default_and_allowed_with_opt_in(port, host):
    url = f"http://{host}:{port}/page"
    with pytest.raises(ReadError, match="a loopback address; refused"):
        fetch_url(url, max_bytes=10_000, timeout=5)
    assert fetch_url(url, max_bytes=10_000, timeout=5, allow_private=True).data == PAGE


def test_environment_opt_in(port, monkeypatch):
    monkeypatch.setenv("SITROOM_ALLOW_PRIVATE", "1")
    assert fetch_url(f"http://127.0.0.1:{port}/", max_bytes=10_000).data == PAGE


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.9", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),  # the cloud metadata address
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "non-public"),  # carrier-grade NAT
        ("93.184.215.14", None),
        ("2606:4700::1111", None),
    ],
)
def test_refused_address_classes(address, why):
    assert refusal(address) == why


@pytest.mark.parametrize(
    "url", ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]:9/"]
)
def test_private_link_local_and_ipv6_loopback_refused_before_connecting(url):
    started = time.monotonic()
    with pytest.raises(ReadError, match="refused"):
        fetch_url(url, max_bytes=1000, timeout=5)
    assert time.monotonic() - started < 1


def test_redirect_into_loopback_is_refused(port, monkeypatch):
    # Let 127.0.0.1 pass as if it were a public server; its redirect to 127.0.0.2 (another
    # loopback address, written as a number) must be checked and refused.
    monkeypatch.setattr(fetch_module, "refusal", lambda a: None if a == "127.0.0.1" else refusal(a))
    target = f"http://2130706434:{port}/page"
    with pytest.raises(ReadError, match="127.0.0.2, a loopback address; refused"):
        fetch_url(f"http://127.0.0.1:{port}/redirect?to={target}", max_bytes=10_000, timeout=5)
    redirected = fetch_url(
        f"http://127.0.0.1:{port}/redirect?to=http://127.0.0.1:{port}/page",
        max_bytes=10_000,
        timeout=5,
    )
    assert redirected.data == PAGE


def test_trickling_server_is_cut_off_at_the_total_deadline(port):
    started = time.monotonic()
    with pytest.raises(ReadError, match="within 1 s"):
        fetch_url(
            f"http://127.0.0.1:{port}/trickle", max_bytes=10_000, timeout=1, allow_private=True
        )
    assert time.monotonic() - started < 4.5  # the server would trickle for 8 s


def test_markup_in_a_reason_phrase_is_printed_not_parsed(port, tmp_path):
    with open_store(tmp_path / "m.db") as store:
        state = SourceState(f"http://127.0.0.1:{port}/markup", allow_private=True)
        result = poll_once(state, store, enrich=False, timeout=5)
    assert result.status == "error"
    out = io.StringIO()
    Console(file=out, width=300, color_system=None).print(result.line())
    assert "503 [/red] [bold]down" in out.getvalue()


@pytest.mark.slow  # waits out a slow server (seconds)
def test_a_slow_source_delays_only_itself(port, tmp_path):
    with open_store(tmp_path / "s.db") as store:
        slow = SourceState(f"http://127.0.0.1:{port}/trickle", interval=60, allow_private=True)
        fast = SourceState(f"http://127.0.0.1:{port}/page", interval=60, allow_private=True)
        stop = threading.Event()
        lines: list[tuple[float, str]] = []
        started = time.monotonic()

        def log(line: str) -> None:
            lines.append((time.monotonic() - started, line))
            if len(lines) == 2:
                stop.set()

        runner = threading.Thread(
            target=follow,
            args=([slow, fast], store),
            kwargs={"stop": stop, "log": log, "enrich": False, "timeout": 3},
        )
        runner.start()
        runner.join(timeout=15)
        stop.set()
        assert not runner.is_alive()
        assert len(store.posts()) == 1
    first_at, first = lines[0]
    assert "2 new" in first and first_at < 2.5  # before the slow source's 3 s deadline
    assert "error" in lines[1][1] and "within 3 s" in lines[1][1]


def test_followed_file_size_is_checked_before_reading(tmp_path):
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(3 * 1024**3)  # 3 GB, sparse: reading it whole would take minutes
    with open_store(tmp_path / "b.db") as store:
        started = time.monotonic()
        result = poll_once(SourceState(str(big)), store, enrich=False, max_bytes=1_000_000)
    assert result.status == "error" and "over the 1 MB limit" in result.error
    assert time.monotonic() - started < 1
    os.remove(big)
