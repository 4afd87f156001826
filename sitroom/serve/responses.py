"""Rendered pages and JSON, made once and served from memory until what they were made from
changes.

A response is cached under its URL and the versions of everything it was made from: the
record's posts, its enrichment, and the generation of each view it reads (serve/cache.py).
So a new post, a re-enrichment or a recomputed view makes a new key, and a response is never
older than what it shows. The cache is bounded in bytes (least recently used dropped); one
request builds a missing response while others asking for the same one wait for it. Each
response carries an ETag, and a client that has it gets a 304.

An HTML page carries the record's change id (for the live stream to resume from); it is
cached with a marker there and the id is put in when it is served.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response

CHANGE_MARK = "__sitroom_change_id__"  # where an HTML page's change id goes when served


@dataclass(frozen=True)
class Cached:
    """A response made once: its body (split at the change-id marker for HTML pages)."""

    parts: tuple[bytes, ...]
    media_type: str
    headers: tuple[tuple[str, str], ...]
    etag: str

    @property
    def size(self) -> int:
        return sum(len(p) for p in self.parts) + 200

    @classmethod
    def of(cls, response: Response) -> Cached:
        body = bytes(response.body)
        kept = tuple(
            (k, v)
            for k, v in response.headers.items()
            if k.lower() not in ("content-length", "content-type")
        )
        return cls(
            tuple(body.split(CHANGE_MARK.encode())),
            response.media_type or "application/octet-stream",
            kept,
            hashlib.blake2b(body, digest_size=12).hexdigest(),
        )


class ResponseCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, Cached] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, build: Callable[[], Response]) -> Cached | Response:
        """The cached response for `key`, built (once) when missing. A response that is not
        a 200 is returned as it is and not kept."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return found
            building = self._building.setdefault(key, threading.Lock())
        try:
            with building:
                with self._lock:
                    found = self._entries.get(key)
                if found is not None:
                    return found
                response = build()  # may raise (a 404): nothing is kept then
                self.misses += 1
                if response.status_code != 200:
                    return response
                made = Cached.of(response)
                self._put(key, made)
                return made
        finally:
            with self._lock:  # however it ended: a key asked for once leaves nothing behind
                self._building.pop(key, None)

    def _put(self, key: Hashable, made: Cached) -> None:
        if made.size > self.max_bytes // 4:
            return  # one huge answer would push out everything else
        with self._lock:
            old = self._entries.pop(key, None)
            self._bytes -= old.size if old is not None else 0
            self._entries[key] = made
            self._bytes += made.size
            while self._bytes > self.max_bytes and self._entries:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


def respond(request: Request, made: Cached | Response, change_id: int | None = None) -> Response:
    """The response to send: a 304 when the client holds this one (ETag), else the body
    with the change id put in where the page has its marker."""
    if isinstance(made, Response):
        return made
    filled = str(change_id).encode() if change_id is not None else b""
    etag = f'"{made.etag}-{change_id}"' if len(made.parts) > 1 else f'"{made.etag}"'
    headers = {**dict(made.headers), "ETag": etag, "Cache-Control": "no-cache"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    body = filled.join(made.parts) if len(made.parts) > 1 else made.parts[0]
    return Response(body, media_type=made.media_type, headers=headers)
