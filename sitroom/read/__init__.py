"""Readers: bytes of a page, article or feed in; a `Document` of `Post`s out.

`read_bytes` checks the input (empty, binary, oversized), decodes it (BOM, declared charset,
else detection), picks a reader by format (detected unless given) and returns the Document.
Bad input raises `ReadError` with a message a user can act on; a page that only partly
parses comes back with `Document.warnings`. Readers know nothing of the store.
"""

from __future__ import annotations

import codecs
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from sitroom.read.errors import OverBudget, ReadError
from sitroom.read.manifest import read_manifest
from sitroom.read.names import resolve_outlet
from sitroom.read.page import Page
from sitroom.read.registry import BY_NAME, FORMATS, pick_reader
from sitroom.read.times import date_from_source
from sitroom.records import Document, Provenance

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@cache
def budgets() -> dict[str, float]:
    """The per-input budgets from sitroom/data/read_budgets.yaml."""
    text = resources.files("sitroom.data").joinpath("read_budgets.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@contextmanager
def time_budget(seconds: float | None, source: str) -> Iterator[None]:
    """Raise OverBudget in the reading thread once reading has used `seconds` of CPU time.

    CPU time, not the wall clock: on a busy machine an input is not refused for waiting its
    turn. The timer is a process signal, so it is set only on the main thread (the CLI's
    ingest); elsewhere the size budgets, which keep every reader near-linear, bound the
    time."""
    usable = (
        seconds
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_PROF)[0] == 0
    )
    if not usable:
        yield
        return

    def expire(signum, frame):  # noqa: ARG001 -- signal handler signature
        # Raised where the reader happens to be; if that is a __del__ (which swallows it),
        # the timer fires again shortly.
        signal.setitimer(signal.ITIMER_PROF, 0.05)
        raise OverBudget(
            f"{source}: reading took over {seconds:g} s of CPU; refused (a budget per input)"
        )

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset=["']?([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING_RE = re.compile(rb"""^<\?xml[^>]+encoding=["']([\w.:-]+)""", re.IGNORECASE)
_CT_CHARSET_RE = re.compile(r"charset=([\w.:-]+)", re.IGNORECASE)


def _declared_charset(data: bytes, content_type: str | None) -> str | None:
    if content_type:
        match = _CT_CHARSET_RE.search(content_type)
        if match:
            return match.group(1).decode() if isinstance(match.group(1), bytes) else match.group(1)
    head = data[:4096]
    for pattern in (_XML_ENCODING_RE, _META_CHARSET_RE):
        match = pattern.search(head)
        if match:
            return match.group(1).decode("ascii", "replace")
    return None


def decode_bytes(
    data: bytes, *, source: str, content_type: str | None = None
) -> tuple[str, list[str]]:
    """The text of `data` and any warnings about how it was decoded."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), []
    if b"\x00" in data[:8192]:
        raise ReadError(
            f"{source}: looks like a binary file (it contains NUL bytes), not a page or feed"
        )
    declared = _declared_charset(data, content_type)
    if declared:
        try:
            return data.decode(declared), []
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall through to detection
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # lazy: its detectors load only for undeclared text

    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding is None:
        raise ReadError(
            f"{source}: cannot tell the text encoding; is it a text file? Convert it to UTF-8 and try again"
        )
    warning = (
        f"{source}: not valid UTF-8 and no charset declared; decoded as {best.encoding} (detected)"
    )
    return data.decode(best.encoding, errors="replace"), [warning]


def _check(data: bytes, source: str, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise ReadError(
            f"{source}: {len(data) / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit "
            "(raise it with --max-size if this is really one page)"
        )
    if not data.strip():
        raise ReadError(f"{source}: is empty")


def read_bytes(
    data: bytes,
    *,
    source: str,
    format: str | None = None,
    content_type: str | None = None,
    date_hint: date | None = None,
    now: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    meta: Provenance | None = None,
    time_limit: float | None = None,
) -> Document:
    """Read one input into a Document (format detected unless given).

    `meta` is what is known besides the text (URL, outlet, retrieval time); `now` is the
    ingest time. The retrieval time, else the ingest time, is the reference point for times
    the page leaves out: no post is dated after it.

    Whatever goes wrong inside a reader comes out as a ReadError naming the input, so a
    caller that reads many inputs reports this one and goes on; `time_limit` (default: the
    budget in read_budgets.yaml) bounds the seconds one input may take."""
    _check(data, source, max_bytes)
    if format is not None and format not in FORMATS:
        raise ReadError(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    limit = budgets()["time_budget_s"] if time_limit is None else time_limit
    try:
        with time_budget(limit, source):
            return _read(data, source, format, content_type, date_hint, now, meta)
    except ReadError:
        raise
    except RecursionError as exc:
        raise ReadError(f"{source}: nested too deeply to read ({exc})") from exc
    except MemoryError as exc:
        raise ReadError(f"{source}: too large to read in the memory available") from exc
    except Exception as exc:  # noqa: BLE001 -- any reader failure is this input's error
        raise ReadError(
            f"{source}: could not be read ({type(exc).__name__}: {str(exc)[:200]}); "
            "the page may be damaged or of an unexpected shape"
        ) from exc


def _read(
    data: bytes,
    source: str,
    format: str | None,
    content_type: str | None,
    date_hint: date | None,
    now: datetime | None,
    meta: Provenance | None,
) -> Document:
    text, warnings = decode_bytes(data, source=source, content_type=content_type)
    if not text.strip():
        raise ReadError(f"{source}: is empty")
    meta = meta or Provenance()
    url = meta.url or (source if source.startswith(("http://", "https://")) else None)
    text, cut = _within_budget(text, format)
    page = Page(
        text=text,
        source=source,
        content_type=content_type,
        date_hint=date_hint or date_from_source(url or "") or date_from_source(source),
        now=now or datetime.now(UTC),
        retrieved=meta.retrieved,
        url=url,
        outlet=meta.outlet,
    )
    reader = BY_NAME[format] if format else pick_reader(page)
    if format is None and reader.name == "article-html":
        page.text, more = _within_budget(page.text, reader.name)
        cut += more
    document = reader.read(page)
    document.format = reader.name
    document.url = document.url or url
    document.retrieved = meta.retrieved or page.now
    document.outlet = resolve_outlet(meta.outlet, document, page.host, reader.outlet)
    document.warnings = warnings + cut + page.warnings + document.warnings
    return document


def _within_budget(text: str, fmt: str | None) -> tuple[str, list[str]]:
    """`text` cut to the size its reader handles in bounded time, with a warning if cut."""
    limits = budgets()
    if fmt == "article-html" and len(text) > limits["article_html_max_chars"]:
        keep = int(limits["article_html_max_chars"])
        return text[:keep], [
            f"the page is {len(text) / 1e6:.1f} M characters; read only the first "
            f"{keep / 1e6:.1f} M (incomplete)"
        ]
    longest = int(limits["text_max_line_chars"])
    if len(text) > longest and "<" not in text[:1000]:
        lines = text.split("\n")
        if any(len(line) > longest for line in lines):
            return "\n".join(line[:longest] for line in lines), [
                f"a line over {longest / 1e6:.1f} M characters was cut (incomplete)"
            ]
    return text, []


def read_path(
    path: str | Path,
    *,
    format: str | None = None,
    date_hint: date | None = None,
    now: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    meta: Provenance | None = None,
) -> Document:
    """Read a file; its source is its absolute path. Without `meta`, the MANIFEST.jsonl
    beside the file (if any) says what is known about it."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReadError(
                f"{path}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit "
                "(raise it with --max-size if this is really one page)"
            )
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ReadError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise ReadError(
            f"{path}: is a folder (pass its files, or the folder to `sitroom ingest`)"
        ) from exc
    except PermissionError as exc:
        raise ReadError(f"{path}: not allowed to read it") from exc
    return read_bytes(
        data,
        source=str(path.resolve()),
        format=format,
        date_hint=date_hint,
        now=now,
        max_bytes=max_bytes,
        meta=meta if meta is not None else manifest_entry(path),
    )


def manifest_entry(path: Path) -> Provenance | None:
    """What the MANIFEST.jsonl of the file's folder says about it (None when nothing)."""
    try:
        return read_manifest(path.parent).get(path.name)
    except ValueError:
        return None  # a broken manifest is reported where the folder is ingested
