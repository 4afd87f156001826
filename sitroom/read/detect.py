"""Which reader a text needs: the first in the reader table (read/registry.py) that
recognises it."""

from __future__ import annotations

from sitroom.read.page import Page
from sitroom.read.registry import pick_reader


def detect_format(
    text: str, *, content_type: str | None = None, source: str = "", url: str | None = None
) -> str:
    return pick_reader(Page(text=text, source=source, content_type=content_type, url=url)).name
