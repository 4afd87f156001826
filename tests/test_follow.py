"""Following a live page served by a local HTTP server that gains a post and edits one."""

from __future__ import annotations

import hashlib
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sitroom.follow import SourceState, follow, poll_once, read_sources_file
from sitroom.store import open_store


class Page:
    def __init__(self, live_text) -> None:
        self.live_text = live_text
        self.posts = [
            ("09:00", "Schools closed", "All schools in the valley are closed today."),
            ("09:20", "Barriers raised", "Crews raised the barriers overnight near the bridge."),
        ]
        self.requests = 0
        self.not_modified = 0

    def body(self) -> bytes:
        return self.live_text(self.posts).encode()


@pytest.fixture()
def server(live_text):
    page = Page(live_text)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 -- http.server's name
            page.requests += 1
            if self.path == "/broken":
                self.send_response(500)
                self.end_headers()
                return
            body = page.body()
            etag = '"' + hashlib.sha1(body).hexdigest() + '"'
            if self.headers.get("If-None-Match") == etag:
                page.not_modified += 1
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield page, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_follow_picks_up_new_and_edited_posts(server, tmp_path):
    page, base = server
    with open_store(tmp_path / "follow.db") as store:
        state = SourceState(f"{base}/live", interval=30, allow_private=True)
        first = poll_once(state, store, enrich=False)
        assert (first.status, first.new) == ("new", 3)  # two posts and the summary

        again = poll_once(state, store, enrich=False)
        assert again.status == "not-modified" and page.not_modified == 1

        page.posts.append(("09:45", "Bridge closed", "Police closed the old bridge to traffic."))
        page.posts[0] = (
            "09:00",
            "Schools closed",
            "All schools in the valley are closed today and tomorrow.",
        )
        grown = poll_once(state, store, enrich=False)
        assert (grown.status, grown.new, grown.updated) == ("new", 1, 1)

        titles = [p.title for p in store.posts()]
        assert titles == ["Schools closed", "Barriers raised", "Bridge closed"]
        edited = [p for p in store.posts() if p.title == "Schools closed"][0]
        versions = store.post_versions(edited.id)
        assert [v.body.endswith("and tomorrow.") for v in versions] == [False, True]
        # validators were kept in the store for the next session
        assert store.source_http_state(state.source)[0] is not None


def test_a_failing_source_backs_off_alone(server, tmp_path):
    page, base = server
    with open_store(tmp_path / "f.db") as store:
        good, bad = (
            SourceState(f"{base}/live", interval=0.2, allow_private=True),
            SourceState(f"{base}/broken", interval=0.2, allow_private=True),
        )
        stop = threading.Event()
        lines: list[str] = []

        def log(line: str) -> None:
            lines.append(line)
            if sum("not modified" in x for x in lines) >= 2:
                stop.set()

        runner = threading.Thread(
            target=follow,
            args=([bad, good], store),
            kwargs={"stop": stop, "log": log, "enrich": False},
        )
        runner.start()
        runner.join(timeout=30)
        stop.set()
        assert not runner.is_alive()
        assert any("error" in x and "500" in x for x in lines)
        assert bad.failures >= 1 and bad.backoff() > bad.interval
        assert len(store.posts()) == 2  # the good source was read in full


def test_followed_file_is_reread_when_it_changes(tmp_path, live_text):
    path = tmp_path / "page.txt"
    posts = [("09:00", "Schools closed", "All schools in the valley are closed today.")]
    path.write_text(live_text(posts))
    with open_store(tmp_path / "file.db") as store:
        state = SourceState(str(path), interval=10)
        assert poll_once(state, store, enrich=False).new == 2
        assert poll_once(state, store, enrich=False).status == "unchanged"
        posts.append(("10:00", "Roads reopen", "The main road reopened at ten."))
        path.write_text(live_text(posts))
        os.utime(path, (state.mtime + 5, state.mtime + 5))
        assert poll_once(state, store, enrich=False).new == 1


def test_sources_file(tmp_path):
    listing = tmp_path / "sources.txt"
    listing.write_text("# live pages\nhttps://example.org/live/a 30\nhttps://example.org/live/b\n")
    states = read_sources_file(listing, default_interval=90)
    assert [(s.target, s.interval) for s in states] == [
        ("https://example.org/live/a", 30.0),
        ("https://example.org/live/b", 90.0),
    ]
