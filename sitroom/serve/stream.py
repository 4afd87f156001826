"""`/api/stream`: server-sent events, a 'post' event for every new or edited post, carrying
the post rendered from the timeline's own template (_post.html)."""

from __future__ import annotations

import asyncio
import json
import time
from functools import lru_cache

from fastapi import APIRouter, Query, Request
from sse_starlette.sse import EventSourceResponse

from sitroom.serve.web import Site, post_json, site_of

router = APIRouter(prefix="/api")


@router.get("/stream", summary="Server-sent events: a 'post' event for every new or edited post")
async def api_stream(request: Request, after: int | None = Query(None, ge=0)):
    site = site_of(request)
    replay = site.config.stream.replay_changes
    latest = site.store.latest_change_id()
    # A reconnecting client catches up on what it missed, within a bound: never the whole
    # record.
    start = latest if after is None else max(after, latest - replay)

    async def events():
        mark = start
        yield {"event": "hello", "data": json.dumps({"change_id": mark})}
        while not await request.is_disconnected():
            latest = _latest(site)
            if latest > mark:
                for event in await asyncio.to_thread(stream_events, site, mark, latest):
                    yield event
                mark = latest
            await asyncio.sleep(site.config.stream.poll_s)

    return EventSourceResponse(events(), ping=15)


def _latest(site: Site) -> int:
    """The record's change id, read at most twice per poll interval however many listeners
    ask (they all run on the event loop's thread)."""
    now = time.monotonic()
    at, latest = site.stream_seen
    if now - at >= site.config.stream.poll_s / 2:
        latest = site.store.latest_change_id()
        site.stream_seen = (now, latest)
    return latest


@lru_cache(maxsize=64)
def stream_events(site: Site, mark: int, latest: int) -> tuple[dict, ...]:
    """The 'post' events between two change ids, made once for every listener."""
    found = []
    for post_id in site.store.post_ids_since(mark)[-site.config.stream.replay_changes :]:
        post = site.store.post(post_id)
        if post is not None and post.kind != "summary":
            data = post_json(post)
            data["html"] = str(site.post_card(post))
            found.append(
                {"event": "post", "id": str(latest), "data": json.dumps(data, ensure_ascii=False)}
            )
    return tuple(found)
