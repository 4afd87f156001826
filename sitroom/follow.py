"""Following live sources: poll each page or file on its own interval, store what is new or
edited, enrich it, and keep going when one source fails.

URLs are fetched with conditional GET (ETag / Last-Modified kept in the store), so an
unchanged page costs the server a 304. Files are re-read when their modification time
changes. A failing source backs off exponentially (capped) without delaying the others.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from sitroom.pipeline import Fetched, ingest_sources
from sitroom.read import DEFAULT_MAX_BYTES, ReadError
from sitroom.read.fetch import fetch_url
from sitroom.read.inputs import canonical_url
from sitroom.store import Store

MAX_BACKOFF_SECONDS = 15 * 60


@dataclass
class SourceState:
    target: str  # URL or file path as given
    interval: float = 60.0
    etag: str | None = None
    last_modified: str | None = None
    mtime: float | None = None
    next_due: float = 0.0  # time.monotonic() when the next poll is due
    failures: int = 0
    format: str | None = None

    @property
    def is_url(self) -> bool:
        return self.target.startswith(("http://", "https://"))

    @property
    def source(self) -> str:
        return canonical_url(self.target) if self.is_url else str(Path(self.target).resolve())

    def backoff(self) -> float:
        return min(self.interval * (2**self.failures), MAX_BACKOFF_SECONDS)


@dataclass
class PollResult:
    source: str
    status: str  # new | unchanged | not-modified | error
    new: int = 0
    updated: int = 0
    vanished: int = 0
    error: str | None = None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    seconds: float = 0.0

    def line(self) -> str:
        when = self.at.strftime("%H:%M:%S")
        if self.status == "error":
            return f"{when} [red]error[/red] {self.source}: {self.error}"
        if self.status == "not-modified":
            return f"{when} [dim]not modified[/dim] {self.source}"
        if self.status == "unchanged":
            return f"{when} [dim]unchanged[/dim] {self.source}"
        return f"{when} [green]{self.new} new, {self.updated} edited, {self.vanished} gone[/green] {self.source} ({self.seconds:.1f} s)"


def poll_once(
    state: SourceState,
    store: Store,
    *,
    client: httpx.Client | None = None,
    enrich: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
    now: Callable[[], float] = time.monotonic,
) -> PollResult:
    """Poll one source now: read it if it changed, store and enrich what is new."""
    started = now()
    result = PollResult(source=state.source, status="unchanged")
    try:
        content_type = None
        if state.is_url:
            if state.etag is None and state.last_modified is None:
                state.etag, state.last_modified = store.source_http_state(state.source)
            fetched = fetch_url(
                state.target,
                client=client,
                max_bytes=max_bytes,
                etag=state.etag,
                last_modified=state.last_modified,
            )
            if fetched.data is None:
                result.status = "not-modified"
                state.failures = 0
                state.next_due = started + state.interval
                return result
            data, content_type = fetched.data, fetched.content_type
            state.etag, state.last_modified = fetched.etag, fetched.last_modified
        else:
            path = Path(state.target)
            try:
                mtime = path.stat().st_mtime
            except FileNotFoundError as exc:
                raise ReadError(f"{state.target}: no such file") from exc
            if state.mtime is not None and mtime == state.mtime:
                state.failures = 0
                state.next_due = started + state.interval
                return result
            state.mtime = mtime
            data = path.read_bytes()
        run = ingest_sources(
            store,
            [Fetched(state.source, data, content_type)],
            argv=f"sitroom follow {state.target}",
            format=state.format,
            max_bytes=max_bytes,
            enrich=enrich,
        )
        stored = run.results[0]
        if stored.error:
            raise ReadError(stored.error)
        if state.is_url:
            store.set_source_http_state(state.source, state.etag, state.last_modified)
        result.new, result.updated, result.vanished = stored.new, stored.updated, stored.vanished
        result.status = "new" if (stored.new or stored.updated or stored.vanished) else "unchanged"
        state.failures = 0
        state.next_due = started + state.interval
    except ReadError as exc:
        state.failures += 1
        state.next_due = started + state.backoff()
        result.status, result.error = "error", str(exc)
    result.seconds = now() - started
    return result


def read_sources_file(path: Path, default_interval: float) -> list[SourceState]:
    """A sources file: one `URL-or-path [interval-seconds]` per line (# comments), or YAML:
    a list of {url|path, interval} mappings."""
    text = path.read_text(encoding="utf-8")
    states: list[SourceState] = []
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        for entry in yaml.safe_load(text) or []:
            if isinstance(entry, str):
                states.append(SourceState(entry, default_interval))
            else:
                target = entry.get("url") or entry.get("path")
                states.append(
                    SourceState(
                        str(target),
                        float(entry.get("interval", default_interval)),
                        format=entry.get("format"),
                    )
                )
        return states
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        states.append(
            SourceState(parts[0], float(parts[1]) if len(parts) > 1 else default_interval)
        )
    return states


def follow(
    states: list[SourceState],
    store: Store,
    *,
    stop: threading.Event,
    log: Callable[[str], None],
    enrich: bool = True,
    timeout: float = 20.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> None:
    """Poll every source when it is due until `stop` is set. One failing source only
    delays itself."""
    with httpx.Client(follow_redirects=True, timeout=timeout) as client:
        while not stop.is_set():
            now = time.monotonic()
            due = [s for s in states if s.next_due <= now]
            for state in due:
                if stop.is_set():
                    break
                result = poll_once(state, store, client=client, enrich=enrich, max_bytes=max_bytes)
                log(
                    result.line()
                    + (f" (retry in {state.backoff():.0f} s)" if result.status == "error" else "")
                )
            wait = min((s.next_due for s in states), default=now + 1) - time.monotonic()
            stop.wait(max(0.2, min(wait, 5.0)))
