"""Local servers for the benchmarks: a live page played on 127.0.0.1, and waiting for
`sitroom serve` to answer."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol

import httpx


class Playable(Protocol):
    def body(self) -> bytes:
        """The page as it reads now."""
        ...


def serve_page(page: Playable) -> ThreadingHTTPServer:
    """An HTTP server on a free local port answering every GET with the page as it reads
    now (plain text), serving in a background thread."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 -- http.server's name
            body = page.body()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def live_text(summary: str, posts: list[tuple[int, str, str, str]]) -> bytes:
    """A BBC-style live page as text: the Summary's one bullet, then the posts as given
    (newest first), each (number, title, "published at" time, body)."""
    lines = ["Summary", "", f"  • {summary}", ""]
    for number, title, when, body in posts:
        lines += [f"  {number}. {title}published at {when}", "", f"    {body}", ""]
    return "\n".join(lines).encode()


def wait_until_up(base: str, server: subprocess.Popen, path: str, seconds: float) -> None:
    """Return once the `sitroom serve` process at `base` answers `path` without a server
    error; raise RuntimeError when it exits first or does not answer within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("sitroom serve exited before it answered")
        try:
            if httpx.get(base + path, timeout=5).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"sitroom serve did not answer within {seconds:g} s")
