"""Fetching pages over HTTP(S) with httpx: size limit, timeouts, conditional GET."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from sitroom import __version__

USER_AGENT = f"sitroom/{__version__} (+live coverage reader)"


@dataclass
class FetchResult:
    status: int
    data: bytes | None  # None when the server says the page has not changed (304)
    etag: str | None
    last_modified: str | None
    content_type: str | None
    url: str


def check_url(url: str) -> None:
    from sitroom.read import ReadError

    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise ReadError(f"{url}: only http and https URLs are read (not {scheme or 'this'}:)")


def fetch_url(
    url: str,
    *,
    client: httpx.Client | None = None,
    timeout: float = 20.0,
    max_bytes: int,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchResult:
    """GET `url`, stopping at `max_bytes`; with validators, a 304 comes back as data=None."""
    from sitroom.read import ReadError

    check_url(url)
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,application/xml,text/plain;q=0.9,*/*;q=0.5",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    own = client is None
    client = client or httpx.Client(follow_redirects=True, timeout=timeout)
    try:
        with client.stream("GET", url, headers=headers, timeout=timeout) as response:
            if response.status_code == 304:
                return FetchResult(304, None, etag, last_modified, None, str(response.url))
            if response.status_code >= 400:
                raise ReadError(
                    f"{url}: the server answered {response.status_code} {response.reason_phrase}"
                )
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise ReadError(
                    f"{url}: {int(declared) / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit"
                )
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise ReadError(
                        f"{url}: more than the {max_bytes / 1e6:.0f} MB limit; stopped reading"
                    )
                chunks.append(chunk)
            return FetchResult(
                response.status_code,
                b"".join(chunks),
                response.headers.get("etag"),
                response.headers.get("last-modified"),
                response.headers.get("content-type"),
                str(response.url),
            )
    except httpx.TimeoutException as exc:
        raise ReadError(f"{url}: no answer within {timeout:.0f} s") from exc
    except httpx.HTTPError as exc:
        raise ReadError(f"{url}: cannot reach it ({exc.__class__.__name__}: {exc})") from exc
    finally:
        if own:
            client.close()
