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
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml
from rich.markup import escape

from sitroom.pipeline import Fetched, ingest_sources
from sitroom.read import DEFAULT_MAX_BYTES, ReadError, manifest_entry
from sitroom.read.fetch import DEFAULT_TIMEOUT, fetch_url
from sitroom.read.inputs import canonical_url
from sitroom.records import Provenance
from sitroom.store import Store

MAX_BACKOFF_SECONDS = 15 * 60
MAX_PARALLEL_POLLS = 8  # sources fetched at once; reading and storing are one at a time


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
    allow_private: bool | None = None  # None: the SITROOM_ALLOW_PRIVATE default

    @property
    def is_url(self) -> bool:
        return self.target.startswith(("http://", "https://"))

    @property
    def source(self) -> str:
        if self.is_url:
            try:
                return canonical_url(self.target)
            except ValueError:  # a malformed URL is reported when it is fetched
                return self.target
        return str(Path(self.target).resolve())

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
        """The result as one line of rich markup; text from servers and pages is escaped."""
        when = self.at.strftime("%H:%M:%S")
        source = escape(self.source)
        if self.status == "error":
            return f"{when} [red]error[/red] {source}: {escape(self.error or '')}"
        if self.status == "not-modified":
            return f"{when} [dim]not modified[/dim] {source}"
        if self.status == "unchanged":
            return f"{when} [dim]unchanged[/dim] {source}"
        return f"{when} [green]{self.new} new, {self.updated} edited, {self.vanished} gone[/green] {source} ({self.seconds:.1f} s)"


@dataclass
class Polled:
    """What one poll brought back before reading: bytes, or why there are none."""

    status: str  # changed | unchanged | not-modified | error
    data: bytes | None = None
    content_type: str | None = None
    error: str | None = None
    meta: Provenance | None = None  # the page's URL and fetch time, or the file's manifest line


def fetch_source(
    state: SourceState,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Polled:
    """Fetch one source's bytes if it changed (safe in a worker thread: it touches no
    store). Every failure comes back as status 'error'."""
    try:
        if not state.is_url:
            data = _changed_file(state, max_bytes)
            if data is None:
                return Polled("unchanged")
            return Polled("changed", data, meta=manifest_entry(Path(state.target)))
        fetched = fetch_url(
            state.target,
            timeout=timeout,
            max_bytes=max_bytes,
            etag=state.etag,
            last_modified=state.last_modified,
            allow_private=state.allow_private,
        )
        if fetched.data is None:
            return Polled("not-modified")
        state.etag, state.last_modified = fetched.etag, fetched.last_modified
        # A fetched page knows its own address and when it was taken (the reference point
        # for times it leaves out).
        meta = Provenance(url=fetched.url or state.target, retrieved=datetime.now(UTC))
        return Polled("changed", fetched.data, fetched.content_type, meta=meta)
    except ReadError as exc:
        return Polled("error", error=str(exc))
    except Exception as exc:  # noqa: BLE001 -- one source's failure must not stop the others
        return Polled("error", error=f"{type(exc).__name__}: {str(exc)[:200]}")


def _changed_file(state: SourceState, max_bytes: int) -> bytes | None:
    """The file's bytes if it changed since the last poll; its size is checked first."""
    path = Path(state.target)
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise ReadError(f"{state.target}: no such file") from exc
    if state.mtime is not None and info.st_mtime == state.mtime:
        return None
    if info.st_size > max_bytes:
        raise ReadError(
            f"{state.target}: {info.st_size / 1e6:.1f} MB is over the "
            f"{max_bytes / 1e6:.0f} MB limit (raise it with --max-size)"
        )
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)  # the file may have grown since stat
    if len(data) > max_bytes:
        raise ReadError(f"{state.target}: over the {max_bytes / 1e6:.0f} MB limit")
    state.mtime = info.st_mtime
    return data


def store_polled(
    state: SourceState,
    polled: Polled,
    store: Store,
    *,
    enrich: bool,
    max_bytes: int,
    started: float,
) -> PollResult:
    """Read and store what `fetch_source` brought (through the one ingest path), and
    schedule the next poll."""
    result = PollResult(source=state.source, status=polled.status)
    try:
        if polled.status == "error":
            raise ReadError(polled.error or "failed")
        if polled.status == "changed":
            run = ingest_sources(
                store,
                [Fetched(state.source, polled.data or b"", polled.content_type, polled.meta)],
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
            result.new, result.updated = stored.new, stored.updated
            result.vanished = stored.vanished
            changed = stored.new or stored.updated or stored.vanished
            result.status = "new" if changed else "unchanged"
        state.failures = 0
        state.next_due = started + state.interval
    except ReadError as exc:
        state.failures += 1
        state.next_due = started + state.backoff()
        result.status, result.error = "error", str(exc)
    result.seconds = time.monotonic() - started
    return result


def _load_validators(state: SourceState, store: Store) -> None:
    if state.is_url and state.etag is None and state.last_modified is None:
        state.etag, state.last_modified = store.source_http_state(state.source)


def poll_once(
    state: SourceState,
    store: Store,
    *,
    enrich: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> PollResult:
    """Poll one source now: read it if it changed, store and enrich what is new."""
    started = time.monotonic()
    _load_validators(state, store)
    polled = fetch_source(state, timeout=timeout, max_bytes=max_bytes)
    return store_polled(state, polled, store, enrich=enrich, max_bytes=max_bytes, started=started)


def read_sources_file(path: Path, default_interval: float) -> list[SourceState]:
    """A sources file: one `URL-or-path [interval-seconds]` per line (# comments), or YAML:
    a list of {url|path, interval} mappings."""
    text = path.read_text(encoding="utf-8")
    states: list[SourceState] = []
    if path.suffix.lower() in (".yaml", ".yml"):
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
                        allow_private=entry.get("allow_private"),
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
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    parallel: int = MAX_PARALLEL_POLLS,
) -> None:
    """Poll every source when it is due until `stop` is set. Sources are fetched
    concurrently (each within `timeout` in all), so a slow or failing source delays only
    itself; what they bring is read and stored one at a time in this thread."""
    in_flight: dict[Future, tuple[SourceState, float]] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, parallel), thread_name_prefix="poll")
    try:
        while not stop.is_set():
            _submit_due(states, store, pool, in_flight, timeout, max_bytes)
            done, _ = wait(list(in_flight), timeout=_wait_seconds(states, in_flight))
            for future in done:
                state, started = in_flight.pop(future)
                if stop.is_set():
                    break
                result = store_polled(
                    state,
                    future.result(),
                    store,
                    enrich=enrich,
                    max_bytes=max_bytes,
                    started=started,
                )
                retry = f" (retry in {state.backoff():.0f} s)" if result.status == "error" else ""
                log(result.line() + retry)
            if not in_flight:
                stop.wait(_wait_seconds(states, in_flight))
    finally:
        # A fetch still running ends by its own deadline; nobody waits for it.
        pool.shutdown(wait=False, cancel_futures=True)


def _submit_due(
    states: list[SourceState],
    store: Store,
    pool: ThreadPoolExecutor,
    in_flight: dict,
    timeout: float,
    max_bytes: int,
) -> None:
    now = time.monotonic()
    busy = {id(s) for s, _ in in_flight.values()}
    for state in states:
        if state.next_due <= now and id(state) not in busy:
            _load_validators(state, store)
            future = pool.submit(fetch_source, state, timeout=timeout, max_bytes=max_bytes)
            in_flight[future] = (state, now)


def _wait_seconds(states: list[SourceState], in_flight: dict) -> float:
    """How long to wait before looking again: until the next poll is due, within bounds."""
    busy = {id(s) for s, _ in in_flight.values()}
    due = [s.next_due for s in states if id(s) not in busy]
    wait_for = (min(due) if due else time.monotonic() + 1) - time.monotonic()
    return max(0.05, min(wait_for, 0.5 if in_flight else 5.0))
