"""Fetching pages over HTTP(S) with httpx: size limit, a total deadline, conditional GET, and
a guard against requests into the machine's own networks (SSRF).

The guard sits where connections are made: every connection (the first and each redirect's)
resolves the host once, refuses loopback, private, link-local, multicast, reserved and other
non-public addresses (whatever form the URL wrote them in: `2130706433`, `0x7f.1`, a DNS
name that resolves to them), and connects to the address it checked, so a name cannot
resolve one way for the check and another for the connection. `allow_private=True` (the
`--allow-private` option, or `SITROOM_ALLOW_PRIVATE=1`) lifts it for intranet feeds and tests.

The deadline covers the whole request (connecting, headers, every byte of the body): a
server that trickles a byte a second is cut off when it passes, not after each read.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpcore
import httpx

from sitroom import __version__
from sitroom.read.errors import ReadError

USER_AGENT = f"sitroom/{__version__} (+live coverage reader)"
DEFAULT_TIMEOUT = 20.0
MAX_REDIRECTS = 10
ALLOW_PRIVATE_ENV = "SITROOM_ALLOW_PRIVATE"


def _read_error(message: str) -> Exception:
    return ReadError(message)


class BlockedAddress(Exception):
    """A connection the guard refused (turned into a ReadError by `fetch_url`)."""


@dataclass
class FetchResult:
    status: int
    data: bytes | None  # None when the server says the page has not changed (304)
    etag: str | None
    last_modified: str | None
    content_type: str | None
    url: str


def allow_private_default() -> bool:
    """The opt-in from the environment (`SITROOM_ALLOW_PRIVATE=1`)."""
    return os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower() in ("1", "true", "yes")


def check_url(url: str) -> str:
    """The URL's host, or a ReadError saying what is wrong with the URL."""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = parts.hostname
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number in range
    except ValueError as exc:
        raise _read_error(f"{url}: not a valid URL ({exc})") from exc
    if scheme not in ("http", "https"):
        raise _read_error(f"{url}: only http and https URLs are read (not {scheme or 'this'}:)")
    if not host:
        raise _read_error(f"{url}: not a valid URL (no host)")
    return host


def refusal(address: str) -> str | None:
    """Why connecting to `address` (an IP) is refused by default, or None if it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for name in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{name}"):
            return name.replace("_", "-")
    if not ip.is_global:
        return "non-public"
    return None


def resolve(host: str, port: int) -> list[tuple[int, str]]:
    """(family, address) for every address `host` resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise BlockedAddress(f"cannot resolve {host} ({exc})") from exc
    seen, found = set(), []
    for family, _type, _proto, _name, sockaddr in infos:
        if sockaddr[0] not in seen:
            seen.add(sockaddr[0])
            found.append((family, sockaddr[0]))
    return found


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to checked addresses, and able to cut
    every socket it opened when the request's deadline passes."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self.expired = False

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = resolve(host, port)
        if not self.allow_private:
            for _family, address in addresses:
                why = refusal(address)
                if why:
                    raise BlockedAddress(
                        f"{host} resolves to {address}, a {why} address; refused "
                        "(use --allow-private for intranet feeds)"
                    )
        last: OSError | None = None
        for family, address in addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(timeout)
                sock.connect((address, port))
            except OSError as exc:
                sock.close()
                last = exc
                continue
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for option in socket_options or []:
                sock.setsockopt(*option)
            with self._lock:
                self._sockets.append(sock)
                if self.expired:
                    sock.shutdown(socket.SHUT_RDWR)
            return httpcore._backends.sync.SyncStream(sock)
        if isinstance(last, TimeoutError):
            raise httpcore.ConnectTimeout(str(last))
        raise httpcore.ConnectError(str(last) if last else f"cannot connect to {host}")

    def expire(self) -> None:
        """Cut every socket (a blocked read returns at once)."""
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def _client(backend: GuardedBackend, timeout: float) -> httpx.Client:
    transport = httpx.HTTPTransport()
    # httpx takes no network backend; its pool is rebuilt with ours (same TLS settings).
    transport._pool = httpcore.ConnectionPool(
        ssl_context=transport._pool._ssl_context, network_backend=backend
    )
    return httpx.Client(
        transport=transport,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=timeout,
        trust_env=False,  # a proxy from the environment would bypass the address check
    )


def fetch_url(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int,
    etag: str | None = None,
    last_modified: str | None = None,
    allow_private: bool | None = None,
    client: httpx.Client | None = None,
) -> FetchResult:
    """GET `url` within `timeout` seconds in all, stopping at `max_bytes`; with validators,
    a 304 comes back as data=None. Every failure is a ReadError.

    `client` replaces the guarded client (tests pass one over httpx.MockTransport); the
    address guard is then that client's business."""
    check_url(url)
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,application/xml,text/plain;q=0.9,*/*;q=0.5",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    backend = GuardedBackend(allow_private_default() if allow_private is None else allow_private)
    deadline = time.monotonic() + timeout
    watchdog = threading.Timer(timeout, backend.expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        if client is not None:
            return _get(client, url, headers, max_bytes, deadline, timeout, etag, last_modified)
        with _client(backend, timeout) as guarded:
            return _get(guarded, url, headers, max_bytes, deadline, timeout, etag, last_modified)
    except BlockedAddress as exc:
        raise _read_error(f"{url}: {exc}") from exc
    except httpx.TimeoutException as exc:
        raise _read_error(f"{url}: no complete answer within {timeout:g} s") from exc
    except (httpx.HTTPError, httpcore.NetworkError, OSError) as exc:
        if backend.expired:
            raise _read_error(f"{url}: no complete answer within {timeout:g} s") from exc
        raise _read_error(f"{url}: cannot reach it ({exc.__class__.__name__}: {exc})") from exc
    except (ValueError, httpx.InvalidURL) as exc:  # httpx's own checks (e.g. 256.256.256.256)
        raise _read_error(f"{url}: not a valid URL ({exc})") from exc
    finally:
        watchdog.cancel()


def _get(client, url, headers, max_bytes, deadline, timeout, etag, last_modified) -> FetchResult:
    with client.stream("GET", url, headers=headers) as response:
        if response.status_code == 304:
            return FetchResult(304, None, etag, last_modified, None, str(response.url))
        if response.status_code >= 400:
            raise _read_error(
                f"{url}: the server answered {response.status_code} {response.reason_phrase}"
            )
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise _read_error(
                f"{url}: {int(declared) / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit"
            )
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise _read_error(
                    f"{url}: more than the {max_bytes / 1e6:.0f} MB limit; stopped reading"
                )
            if time.monotonic() > deadline:
                raise _read_error(f"{url}: no complete answer within {timeout:g} s")
            chunks.append(chunk)
        return FetchResult(
            response.status_code,
            b"".join(chunks),
            response.headers.get("etag"),
            response.headers.get("last-modified"),
            response.headers.get("content-type"),
            str(response.url),
        )
