"""Paged list responses: the items in the body, the total and the next page in headers.

Every list endpoint takes `limit` (1..MAX_PAGE) and `cursor` (from the `Link: <...>;
rel="next"` header of the page before); `X-Total-Count` says how many there are in all
where that is known. The body stays a plain JSON list, so a client that reads one page
works as before.
"""

from __future__ import annotations

import json

from fastapi import HTTPException, Request
from fastapi.responses import Response

from sitroom.util.jsonable import to_jsonable

MAX_PAGE = 5000  # the largest `limit` a list endpoint takes
MAX_RESPONSE_BYTES = 1_000_000  # a list response is cut to fit (its next cursor goes on)


def cursor_offset(cursor: str | None) -> int:
    """The offset a `cursor` (from a previous page's Link header) stands for."""
    if cursor is None or cursor == "":
        return 0
    if not cursor.isdigit() or len(cursor) > 9:
        raise HTTPException(
            422, f"cursor={cursor!r}: use the cursor from the Link header of the page before"
        )
    return int(cursor)


def paged(
    request: Request,
    items: list,
    offset: int,
    limit: int,
    *,
    total: int | None = None,
    more: bool | None = None,
) -> Response:
    """A page of a list as JSON: the items in the body; `X-Total-Count` (when known) and a
    `Link: <...>; rel="next"` header with the next cursor in the headers. A page is cut to
    stay under MAX_RESPONSE_BYTES; the next cursor then starts where it was cut."""
    body = json.dumps(items, ensure_ascii=False).encode("utf-8")
    cut = False
    while len(body) > MAX_RESPONSE_BYTES and len(items) > 1:
        items, cut = items[: len(items) // 2], True
        body = json.dumps(items, ensure_ascii=False).encode("utf-8")
    end = offset + len(items)
    has_more = (end < total) if total is not None else (bool(more) or cut)
    headers = {}
    if total is not None:
        headers["X-Total-Count"] = str(total)
    if has_more and items:
        headers["Link"] = f'<{next_url(request, end)}>; rel="next"'
    return Response(body, media_type="application/json", headers=headers)


def next_url(request: Request, end: int, **params: str) -> str:
    """The address of the page that starts at `end` (this request's, or with `params`)."""
    return str(request.url.include_query_params(**params, cursor=str(end)))


def page_link(request: Request, end: int) -> str:
    """A link (path and query) from an HTML page to its next page, which starts at `end`."""
    url = request.url.include_query_params(cursor=str(end))
    return f"{url.path}?{url.query}"


def paged_object(request: Request, body: dict, part: str, offset: int, total: int) -> Response:
    """An object one of whose lists (`part`) is paged: the page in the body with
    `{part}_total` and `next` (the next page's address, or null), and the same in the
    `X-Total-Count` and `Link` headers as a paged list has them."""
    end = offset + len(body[part])
    body[f"{part}_total"] = total
    body["next"] = next_url(request, end) if end < total else None
    headers = {"X-Total-Count": str(total)}
    if body["next"]:
        headers["Link"] = f'<{body["next"]}>; rel="next"'
    data = json.dumps(to_jsonable(body), ensure_ascii=False).encode("utf-8")
    return Response(data, media_type="application/json", headers=headers)


def paged_list(request: Request, everything: list, limit: int, cursor: str | None) -> Response:
    offset = cursor_offset(cursor)
    page_items = to_jsonable(everything[offset : offset + limit])
    return paged(request, page_items, offset, limit, total=len(everything))
