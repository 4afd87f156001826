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
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from sitroom.records import Document

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
FORMATS = (
    "live-text",
    "article-text",
    "bbc-html",
    "guardian-html",
    "live-html",
    "article-html",
    "feed",
)


class ReadError(Exception):
    """An input that cannot be read, with a message saying what and why."""


class OverBudget(ReadError):
    """An input that took longer to read than its time budget."""


@cache
def budgets() -> dict[str, float]:
    """The per-input budgets from sitroom/data/read_budgets.yaml."""
    text = resources.files("sitroom.data").joinpath("read_budgets.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@contextmanager
def time_budget(seconds: float | None, source: str) -> Iterator[None]:
    """Raise OverBudget in the reading thread once `seconds` have passed.

    The alarm is a process signal, so it is set only on the main thread (the CLI's ingest);
    elsewhere the size budgets, which keep every reader near-linear, are what bound the
    time."""
    usable = (
        seconds
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )
    if not usable:
        yield
        return

    def expire(signum, frame):  # noqa: ARG001 -- signal handler signature
        raise OverBudget(f"{source}: reading took over {seconds:g} s; refused (a budget per input)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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
    from charset_normalizer import from_bytes

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
    time_limit: float | None = None,
) -> Document:
    """Read one input into a Document (format detected unless given).

    Whatever goes wrong inside a reader comes out as a ReadError naming the input, so a
    caller that reads many inputs reports this one and goes on; `time_limit` (default: the
    budget in read_budgets.yaml) bounds the seconds one input may take."""
    _check(data, source, max_bytes)
    if format is not None and format not in FORMATS:
        raise ReadError(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    limit = budgets()["time_budget_s"] if time_limit is None else time_limit
    try:
        with time_budget(limit, source):
            return _read(data, source, format, content_type, date_hint, now)
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
) -> Document:
    from sitroom.read.detect import detect_format

    text, warnings = decode_bytes(data, source=source, content_type=content_type)
    if not text.strip():
        raise ReadError(f"{source}: is empty")
    fmt = format or detect_format(text, content_type=content_type, source=source)
    text, cut = _within_budget(text, fmt)
    document = _dispatch(fmt, text, source=source, date_hint=date_hint, now=now)
    document.warnings = warnings + cut + document.warnings
    return document


def _within_budget(text: str, fmt: str) -> tuple[str, list[str]]:
    """`text` cut to the size its reader handles in bounded time, with a warning if cut."""
    limits = budgets()
    if fmt == "article-html" and len(text) > limits["article_html_max_chars"]:
        keep = int(limits["article_html_max_chars"])
        return text[:keep], [
            f"the page is {len(text) / 1e6:.1f} M characters; read only the first "
            f"{keep / 1e6:.1f} M (incomplete)"
        ]
    longest = int(limits["text_max_line_chars"])
    if fmt in ("live-text", "article-text") and len(text) > longest:
        lines = text.split("\n")
        if any(len(line) > longest for line in lines):
            return "\n".join(line[:longest] for line in lines), [
                f"a line over {longest / 1e6:.1f} M characters was cut (incomplete)"
            ]
    return text, []


def _dispatch(
    fmt: str, text: str, *, source: str, date_hint: date | None, now: datetime | None
) -> Document:
    if fmt == "live-text":
        from sitroom.read.live_text import read_live_text

        return read_live_text(text, source=source, date_hint=date_hint, now=now)
    if fmt == "article-text":
        from sitroom.read.article_text import read_article_text

        return read_article_text(text, source=source, date_hint=date_hint, now=now)
    if fmt == "feed":
        from sitroom.read.feed import read_feed

        return read_feed(text, source=source)
    if fmt in ("bbc-html", "guardian-html", "live-html"):
        from sitroom.read.html_live import read_live_html

        return read_live_html(text, source=source, flavour=fmt, date_hint=date_hint, now=now)
    if fmt == "article-html":
        from sitroom.read.html_article import read_article_html

        return read_article_html(text, source=source, date_hint=date_hint)
    raise ReadError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def read_path(
    path: str | Path,
    *,
    format: str | None = None,
    date_hint: date | None = None,
    now: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """Read a file; its source is its absolute path."""
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
    )
