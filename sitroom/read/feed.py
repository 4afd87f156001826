"""RSS and Atom feeds through feedparser: one post per entry."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime

from lxml import html as lxml_html

from sitroom.read.errors import ReadError
from sitroom.records import Byline, Document, Post

_CHARREF_RE = re.compile(r"&#(x[0-9a-fA-F]+|[0-9]+);?")


def _safe_charrefs(text: str) -> str:
    """Character references outside Unicode replaced by U+FFFD: feedparser's own handler
    fails on them (chr() of a number too large)."""

    def fix(match: re.Match) -> str:
        digits = match.group(1)
        if len(digits) > 9:  # past U+10FFFF however written (and past int()'s digit limit)
            return "&#xFFFD;"
        value = int(digits[1:], 16) if digits[0] in "xX" else int(digits)
        return match.group(0) if 0 < value < 0x110000 else "&#xFFFD;"

    return _CHARREF_RE.sub(fix, text)


def _html_to_text(fragment: str | None) -> str:
    fragment = fragment or ""
    if "<" not in fragment:
        return fragment.strip()
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # feed HTML is often broken; its raw text is better than nothing
        return fragment.strip()
    paragraphs = [" ".join(p.text_content().split()) for p in root.xpath(".//p|.//li")]
    paragraphs = [p for p in paragraphs if p]
    return "\n\n".join(paragraphs) if paragraphs else " ".join(root.text_content().split())


def _when(entry) -> datetime | None:
    for field in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(field)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (ValueError, OverflowError, OSError):  # a date outside the calendar
                continue
    return None


def read_feed(text: str, *, source: str) -> Document:
    import feedparser  # lazy: a heavy parser only feeds need

    parsed = feedparser.parse(_safe_charrefs(text))
    warnings = []
    if parsed.bozo:
        if not parsed.entries:
            raise ReadError(
                f"{source}: not a readable RSS/Atom feed ({parsed.get('bozo_exception')})"
            )
        warnings.append(
            f"feed is not well-formed ({parsed.get('bozo_exception')}); kept the {len(parsed.entries)} entries that parsed"
        )
    posts = []
    for n, entry in enumerate(parsed.entries, 1):
        content = entry.get("content")
        body = _html_to_text(content[0].get("value", "") if content else entry.get("summary", ""))
        key = (
            entry.get("id")
            or entry.get("link")
            or f"{entry.get('title')}|{entry.get('published', n)}"
        )
        authors = [a.get("name") for a in entry.get("authors", []) if a.get("name")] or (
            [entry["author"]] if entry.get("author") else []
        )
        posts.append(
            Post(
                key=key,
                position=n,
                title=entry.get("title"),
                body=body,
                published=_when(entry),
                labels=[t.get("term") for t in entry.get("tags", []) if t.get("term")][:5],
                bylines=[Byline(a) for a in authors],
                kind="entry",
                url=entry.get("link"),
            )
        )
    feed = parsed.get("feed", {})
    return Document(
        source=source,
        kind="feed",
        format="feed",
        title=feed.get("title"),
        posts=posts,
        warnings=warnings,
        outlet=feed.get("title"),
    )
