"""Which reader a text needs: feed, live page or article, as HTML or plain text."""

from __future__ import annotations

import re

_FEED_RE = re.compile(r"<(rss|feed|rdf:RDF)\b", re.IGNORECASE)
_HTML_RE = re.compile(r"<(!doctype html|html|head|body|article|div|p)\b", re.IGNORECASE)
_GUARDIAN_RE = re.compile(
    r"""id=["']block-[0-9a-f]{6,}|data-gu-name|theguardian\.com|guardian\.co\.uk""", re.IGNORECASE
)
_BBC_RE = re.compile(
    r"""bbc\.co\.uk|bbc\.com|data-testid=["'](lx-|live-post|liveblog)""", re.IGNORECASE
)
_LIVE_MARKUP_RE = re.compile(
    r"""LiveBlogPosting|data-testid=["']lx-|class=["'][^"']*(live-?blog|live-post|liveblog)""",
    re.IGNORECASE,
)


def detect_format(text: str, *, content_type: str | None = None, source: str = "") -> str:
    head = text[:20000].lstrip()
    ctype = (content_type or "").lower()
    if "xml" in ctype and ("rss" in ctype or "atom" in ctype) or _FEED_RE.search(head[:2000]):
        return "feed"
    if "html" in ctype or _HTML_RE.search(head[:5000]):
        if _GUARDIAN_RE.search(text) and re.search(r"""id=["']block-""", text):
            return "guardian-html"
        if _LIVE_MARKUP_RE.search(text):
            return "bbc-html" if _BBC_RE.search(text) else "live-html"
        from sitroom.read.html_live import visible_text
        from sitroom.read.live_text import looks_like_live_text

        if looks_like_live_text(visible_text(text)):
            return "live-html"
        return "article-html"
    from sitroom.read.live_text import looks_like_live_text

    return "live-text" if looks_like_live_text(text) else "article-text"
