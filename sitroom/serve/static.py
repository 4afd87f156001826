"""The pages' stylesheet, script and icons, read once and served from memory.

Pages link them as `/static/NAME?v=DIGEST` (the `static_url` template global): such a URL
names one version of the file, so browsers keep it for a year; a URL without the right
digest is answered with `no-cache` and an ETag (a browser checks it each time, and gets a
304 while the file is unchanged)."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

router = APIRouter(include_in_schema=False)
FOREVER = "public, max-age=31536000, immutable"


def package_dir(name: str) -> Path:
    """A folder of this package (static, templates)."""
    return Path(str(resources.files("sitroom.serve").joinpath(name)))


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    media_type: str
    digest: str


@lru_cache(maxsize=1)
def static_files() -> dict[str, StaticFile]:
    found = {}
    for path in sorted(package_dir("static").iterdir()):
        if path.is_file():
            body = path.read_bytes()
            media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if path.suffix == ".ico":
                media = "image/x-icon"
            found[path.name] = StaticFile(body, media, hashlib.sha256(body).hexdigest()[:12])
    return found


def static_url(name: str) -> str:
    """The URL of a static file, naming its version."""
    return f"/static/{name}?v={static_files()[name].digest}"


def _serve(request: Request, name: str) -> Response:
    found = static_files().get(name)
    if found is None:
        raise HTTPException(404, f"no file {name}")
    etag = f'"{found.digest}"'
    cache = FOREVER if request.query_params.get("v") == found.digest else "no-cache"
    headers = {"ETag": etag, "Cache-Control": cache}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(found.body, media_type=found.media_type, headers=headers)


@router.get("/static/{name}")
def static(request: Request, name: str) -> Response:
    return _serve(request, name)


@router.get("/favicon.ico")
def favicon(request: Request) -> Response:
    return _serve(request, "favicon.ico")
