"""What the user named on the command line, as inputs to read: files, folders (recursively),
globs, http(s) URLs and "-" for standard input. A name that matches nothing is an input whose
loading fails with a clear message, so it is reported with the rest instead of stopping the
batch."""

from __future__ import annotations

import glob
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, Literal
from urllib.parse import urlsplit, urlunsplit

from sitroom.read import DEFAULT_MAX_BYTES, ReadError
from sitroom.read.fetch import DEFAULT_TIMEOUT, fetch_url
from sitroom.read.manifest import is_manifest, read_manifest
from sitroom.records import Provenance

_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def canonical_url(url: str) -> str:
    """The URL without its fragment: the same page however it was linked."""
    parts = urlsplit(url)
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


@dataclass
class InputItem:
    source: str  # the canonical source: absolute path, URL without fragment, or "stdin"
    kind: Literal["file", "url", "stdin", "missing", "refused"]
    path: Path | None = None
    stdin: BinaryIO | None = field(default=None, repr=False)
    problem: str | None = None
    # What is known besides the text: the folder's MANIFEST.jsonl line, or for a URL the
    # address it was fetched from and when (set by `load`).
    meta: Provenance | None = None
    # How a URL is fetched: its total deadline in seconds, and whether private addresses
    # may be fetched (None: the SITROOM_ALLOW_PRIVATE default). See read/fetch.py.
    timeout: float | None = None
    allow_private: bool | None = None

    def load(
        self,
        max_bytes: int = DEFAULT_MAX_BYTES,
        *,
        timeout: float | None = None,
        allow_private: bool | None = None,
        client=None,
    ) -> tuple[bytes, str | None]:
        """The input's bytes and content type; ReadError when it cannot be had."""
        if self.kind in ("missing", "refused"):
            raise ReadError(self.problem or f"{self.source}: cannot be read")
        if self.kind == "file":
            size = self.path.stat().st_size
            if size > max_bytes:
                raise ReadError(
                    f"{self.source}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit "
                    "(raise it with --max-size if this is really one page)"
                )
            try:
                return self.path.read_bytes(), None
            except OSError as exc:
                raise ReadError(f"{self.source}: cannot read it ({exc.strerror})") from exc
        if self.kind == "stdin":
            data = self.stdin.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise ReadError(f"stdin: over the {max_bytes / 1e6:.0f} MB limit")
            return data, None
        result = fetch_url(
            self.source,
            max_bytes=max_bytes,
            timeout=timeout or self.timeout or DEFAULT_TIMEOUT,
            allow_private=self.allow_private if allow_private is None else allow_private,
            client=client,
        )
        self.meta = Provenance(url=result.url or self.source, retrieved=datetime.now(UTC))
        return result.data or b"", result.content_type


def _files_under(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if (
            path.is_file()
            and not is_manifest(path)
            and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        ):
            yield path


def _file_item(path: Path) -> InputItem:
    """A file, with what its folder's manifest says about it; a broken manifest is an input
    that fails with the manifest's message."""
    try:
        meta = read_manifest(path.parent).get(path.name)
    except ValueError as exc:
        return InputItem(str(path.resolve()), "missing", problem=str(exc))
    return InputItem(str(path.resolve()), "file", path=path, meta=meta)


def iter_inputs(specs: list[str], *, stdin: BinaryIO | None = None) -> Iterator[InputItem]:
    seen: set[str] = set()

    def once(item: InputItem) -> Iterator[InputItem]:
        if item.source not in seen or item.kind in ("missing", "refused"):
            seen.add(item.source)
            yield item

    for spec in specs:
        if spec == "-":
            yield from once(InputItem("stdin", "stdin", stdin=stdin or sys.stdin.buffer))
            continue
        if _SCHEME_RE.match(spec) and not re.match(r"^[a-zA-Z]:[\\/]", spec):
            scheme = spec.split(":", 1)[0].lower()
            if scheme in ("http", "https"):
                try:
                    yield from once(InputItem(canonical_url(spec), "url"))
                except ValueError as exc:  # e.g. http://[::1/ (an unclosed IPv6 bracket)
                    yield InputItem(spec, "refused", problem=f"{spec}: not a valid URL ({exc})")
            else:
                yield InputItem(
                    spec,
                    "refused",
                    problem=f"{spec}: only http and https URLs are read (not {scheme}:)",
                )
            continue
        path = Path(spec).expanduser()
        if path.is_dir():
            found = list(_files_under(path))
            if not found:
                yield InputItem(
                    str(path.resolve()), "missing", problem=f"{spec}: the folder holds no files"
                )
            for f in found:
                yield from once(_file_item(f))
        elif path.is_file():
            if not is_manifest(path):  # a manifest describes documents, it is not one
                yield from once(_file_item(path))
        elif glob.has_magic(spec):
            matches = sorted(Path(m) for m in glob.glob(spec, recursive=True) if Path(m).is_file())
            if not matches:
                yield InputItem(spec, "missing", problem=f"{spec}: no files match")
            for f in matches:
                if not is_manifest(f):
                    yield from once(_file_item(f))
        else:
            yield InputItem(str(path), "missing", problem=f"{spec}: no such file or folder")


def merge_provenance(given: Provenance | None, known: Provenance | None) -> Provenance | None:
    """What the user gave on the command line, filled in from what the input knows."""
    if given is None or known is None:
        return given or known
    return Provenance(
        url=given.url or known.url,
        outlet=given.outlet or known.outlet,
        retrieved=given.retrieved or known.retrieved,
    )
