"""Readers: bytes of a page, article or feed in; a `Document` of `Post`s out.

`read_bytes` checks the input (empty, binary, oversized), decodes it (BOM, declared charset,
else detection), picks a reader by format (detected unless given) and returns the Document.
Bad input raises `ReadError` with a message a user can act on; a page that only partly
parses comes back with `Document.warnings`. Readers know nothing of the store.
"""

from __future__ import annotations

import codecs
import re
from datetime import date, datetime
from pathlib import Path

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
) -> Document:
    """Read one input into a Document (format detected unless given)."""
    from sitroom.read.detect import detect_format

    _check(data, source, max_bytes)
    if format is not None and format not in FORMATS:
        raise ReadError(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    text, warnings = decode_bytes(data, source=source, content_type=content_type)
    if not text.strip():
        raise ReadError(f"{source}: is empty")
    fmt = format or detect_format(text, content_type=content_type, source=source)
    document = _dispatch(fmt, text, source=source, date_hint=date_hint, now=now)
    document.warnings = warnings + document.warnings
    return document


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
