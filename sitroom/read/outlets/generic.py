"""The layouts many outlets share: feeds, live-blog markup, BBC-style live text, articles."""

from __future__ import annotations

import re
from collections.abc import Callable

from sitroom.read.article_text import read_article_text
from sitroom.read.feed import read_feed
from sitroom.read.html_article import read_article_html
from sitroom.read.html_live import read_live_html
from sitroom.read.live_text import looks_like_live_text, read_live_text
from sitroom.read.page import Page
from sitroom.records import Document

_GUARDIAN_RE = re.compile(
    r"""id=["']block-[0-9a-f]{6,}|data-gu-name|theguardian\.com|guardian\.co\.uk""", re.IGNORECASE
)
_BBC_RE = re.compile(
    r"""bbc\.co\.uk|bbc\.com|data-testid=["'](lx-|live-post|liveblog|postList|content-post)""",
    re.IGNORECASE,
)
_LIVE_MARKUP_RE = re.compile(
    r"""LiveBlogPosting|data-testid=["'](lx-|postList|content-post)|"""
    r"""class=["'][^"']*(live-?blog|live-post|liveblog|live-event)""",
    re.IGNORECASE,
)


def always(page: Page) -> bool:
    return True


def is_feed(page: Page) -> bool:
    return page.is_feed


def is_html(page: Page) -> bool:
    return page.is_html


def is_guardian_html(page: Page) -> bool:
    return (
        page.is_html
        and bool(_GUARDIAN_RE.search(page.text))
        and bool(re.search(r"""id=["']block-""", page.text))
    )


def _live_markup(page: Page) -> bool:
    return page.is_html and bool(_LIVE_MARKUP_RE.search(page.text))


def is_bbc_html(page: Page) -> bool:
    return _live_markup(page) and (
        page.host_is("bbc.co.uk", "bbc.com") or bool(_BBC_RE.search(page.text))
    )


def is_live_html(page: Page) -> bool:
    if not page.is_html:
        return False
    return _live_markup(page) or looks_like_live_text(page.visible)


def is_live_text(page: Page) -> bool:
    return not page.is_html and looks_like_live_text(page.text)


def read_feed_page(page: Page) -> Document:
    return read_feed(page.text, source=page.source)


def read_live_markup(page: Page) -> Document:
    return read_live_html(page)


def read_article_page(page: Page) -> Document:
    return read_article_html(page)


def _text_reader(read_text: Callable[..., Document]) -> Callable[[Page], Document]:
    """A reader of a page's text that is told what is known of the page besides its text."""

    def read(page: Page) -> Document:
        return read_text(
            page.text,
            source=page.source,
            date_hint=page.date_hint,
            now=page.now,
            retrieved=page.retrieved,
        )

    return read


read_live_text_page = _text_reader(read_live_text)
read_article_text_page = _text_reader(read_article_text)
