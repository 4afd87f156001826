"""The readers, in ONE table: each has a name (the `--format` value), a test that recognises
a page it reads, and the function that reads it. Detection asks them in table order, so the
specific outlets come before the generic layouts. A new outlet is a module under
`sitroom/read/outlets/` plus one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sitroom.read.outlets import aljazeera, ap, bbc_reporting, cnn, generic, guardian_text
from sitroom.read.page import Page
from sitroom.records import Document


@dataclass(frozen=True)
class Reader:
    name: str  # the format name, as `--format` takes it and Document.format records it
    recognise: Callable[[Page], bool]  # does this reader read that page?
    read: Callable[[Page], Document]
    what: str  # one line for --help and the README
    outlet: str | None = None  # the outlet a page this reader recognises comes from


READERS: tuple[Reader, ...] = (
    Reader("feed", generic.is_feed, generic.read_feed_page, "RSS and Atom feeds"),
    Reader("guardian-html", generic.is_guardian_html, generic.read_live_markup, "Guardian live blog HTML (block markup)", "The Guardian"),
    Reader("bbc-html", generic.is_bbc_html, generic.read_live_markup, "BBC live page HTML", "BBC"),
    Reader("live-text", generic.is_live_text, generic.read_live_text_page, "BBC-style live pages as text ('published at HH:MM')"),
    Reader("cnn-live", cnn.recognise, cnn.read, "CNN live updates, text or HTML", "CNN"),
    Reader("ap-live", ap.recognise, ap.read, "AP live updates, text or HTML", "AP"),
    Reader("aljazeera-live", aljazeera.recognise, aljazeera.read, "Al Jazeera live blogs and key-events lists", "Al Jazeera"),
    Reader("guardian-text", guardian_text.recognise, guardian_text.read, "Guardian live blogs as text, and Update/Date/Title/Content records", "The Guardian"),
    Reader("bbc-live-reporting", bbc_reporting.recognise, bbc_reporting.read, "BBC's older 'Live Reporting' layout (no per-post times)", "BBC"),
    Reader("live-html", generic.is_live_html, generic.read_live_markup, "other live blogs: schema.org LiveBlogPosting, post markup, or BBC-style visible text"),
    Reader("article-html", generic.is_html, generic.read_article_page, "article pages (trafilatura)"),
    Reader("article-text", generic.always, generic.read_article_text_page, "articles as text"),
)  # fmt: skip
BY_NAME = {reader.name: reader for reader in READERS}
FORMATS = tuple(BY_NAME)


def pick_reader(page: Page) -> Reader:
    """The first reader in the table that recognises the page."""
    return next(reader for reader in READERS if reader.recognise(page))
