"""Articles as plain text: an optional title, a byline block, then paragraphs.

A copied article often has no title line at all (the copy starts at the standfirst), and the
byline block (a name line, then a role line) can sit between paragraphs, where the page puts
its author box, together with widget text such as "Follow". The reader finds the byline by
its shape near the top, keeps it out of the body, and never takes a sentence as a title.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from typing import Unpack

from sitroom.read import live_text as live  # the live reader's conventions for text copies
from sitroom.read.blocks import text_blocks
from sitroom.read.names import people_in_byline
from sitroom.read.page import PageFacts, text_copy
from sitroom.read.times import full_dates, parse_full_time
from sitroom.records import Byline, Document, Media, Post

DATELINE_RE = re.compile(r"^(published|updated|posted)\b[:\s]*(?P<rest>.+)$", re.IGNORECASE)
BY_RE = re.compile(r"^by\s+(?P<names>.+)$", re.IGNORECASE)
# The author box sits within the first few blocks; past that a name line is body text.
BYLINE_WINDOW = 12
MAX_TITLE_WORDS = 25
MAX_ROLE_WORDS = 30


def _is_widget(line: str) -> bool:
    bullet = live.BULLET_RE.match(line)
    return bool(live.WIDGET_RE.match(bullet["item"] if bullet else line))


# Words that make a longer line a job description rather than a sentence of the story.
ROLE_WORD_RE = re.compile(
    r"\b(correspondent|editor|reporter|writer|analyst|journalist|columnist|contributor|"
    r"producer|chief|head|professor|fellow|director|author|based in|reporting from|bureau)\b",
    re.IGNORECASE,
)


def _role_line(line: str, own_block: bool = False) -> bool:
    """A role line under a byline name. On a block of its own (a blank line between name and
    role) it must be short or name a job, or the first paragraph would be taken for a role."""
    words = line.split()
    if not 0 < len(words) <= MAX_ROLE_WORDS or line.endswith(("?", "!", ":", '"', "”")):
        return False
    return not own_block or len(words) <= 6 or bool(ROLE_WORD_RE.search(line))


# Lines of an article page's metadata, never its title.
METADATA_RE = re.compile(
    r"^(by\s.+|from\s.+[’']s\s.+|published\b.*|updated\b.*|posted\b.*|last (updated|modified)\b.*|"
    r"\d+\s*(min|minute)s?\s+read|share|save|listen|print|advertisement|"
    r"(mon|tue|wed|thu|fri|sat|sun)[a-z]*\s+\d{1,2}\s+\w+\s+\d{4}.*|\d+\s+(hours?|minutes?|days?)\s+ago)$",
    re.IGNORECASE,
)


def _is_metadata(line: str) -> bool:
    return (
        bool(METADATA_RE.match(line.strip()))
        or bool(parse_full_time(line) and len(line.split()) <= 10)
        or (bool(full_dates(line)) and len(line.split()) <= 6)
    )


def _title_shaped(block: list[str]) -> bool:
    line = block[0]
    return (
        len(block) == 1
        and len(line.split()) <= MAX_TITLE_WORDS
        and not line.endswith((".", ":", ";", ","))
        and not live.is_person_name(line)
        and not _is_metadata(line)
    )


def read_article_text(text: str, *, source: str, **facts: Unpack[PageFacts]) -> Document:
    """Read an article copied as plain text into a Document with one post holding its body.

    An article that gives no date takes the source's own date (--date, a date in its URL or
    file name), else its reference point (`retrieved`, else the ingest time `now`), marked
    inferred: it was written no later than it was read."""
    page = text_copy(text, source, facts)
    blocks = text_blocks(page.text)
    doc = Document(source=source, kind="article", format="article-text")
    if not blocks:
        doc.warnings.append("the article is empty")
        doc.posts.append(Post(key="article", position=1, title=None, body="", kind="article"))
        return doc

    # Title: a first block of one short line that is not a sentence, not a byline name and
    # not a line of the page's metadata (a date, "By ...", "5 min read", "Share").
    k = next(
        (n for n, b in enumerate(blocks[:4]) if not (len(b) == 1 and _is_metadata(b[0]))), None
    )
    if k is not None and _title_shaped(blocks[k]) and len(blocks) > k + 1:
        doc.title = blocks[k][0]
        blocks = blocks[:k] + blocks[k + 1 :]

    published: datetime | None = None
    bylines: list[Byline] = []
    media: list[Media] = []
    paragraphs: list[str] = []
    i = 0
    while i < len(blocks):
        lines = blocks[i]
        near_top = i < BYLINE_WINDOW
        if all(_is_widget(ln) for ln in lines):
            i += 1
            continue
        if near_top and len(lines) == 1 and published is None:
            dateline = DATELINE_RE.match(lines[0])
            if dateline and full_dates(dateline["rest"]):
                published = parse_full_time(dateline["rest"]) or datetime.combine(
                    full_dates(dateline["rest"])[0], time(0, 0), tzinfo=UTC
                )
                i += 1
                continue
        if near_top and len(lines) == 1 and _is_metadata(lines[0]) and not BY_RE.match(lines[0]):
            i += 1  # "5 min read", "Share", a stray date: page furniture, not text
            continue
        if near_top and not bylines:
            by = BY_RE.match(lines[0]) if len(lines) == 1 else None
            if by and len(lines[0].split()) <= 16 and not live.ends_sentence(lines[0]):
                # "By A and B, CNN": two people; the outlet is not a person.
                people, outlet = people_in_byline(lines[0])
                bylines.extend(people)
                doc.outlet = doc.outlet or outlet
                i += 1
                continue
            if live.is_name(lines[0]) and live.is_person_name(lines[0]):
                # The role is the next line of the block, or the next block when the copy put
                # a blank line between them.
                role_line: str | None = None
                used = 1
                if len(lines) == 2 and _role_line(lines[1]):
                    role_line = lines[1]
                elif (
                    len(lines) == 1
                    and i + 1 < len(blocks)
                    and len(blocks[i + 1]) == 1
                    and _role_line(blocks[i + 1][0], own_block=True)
                    and not blocks[i + 1][0][0].islower()
                ):
                    role_line = blocks[i + 1][0]
                    used = 2
                if role_line is not None or len(lines) == 1:
                    role = role_line.rstrip(".").strip() if role_line else None
                    bylines.append(Byline(name=lines[0], role=role))
                    i += used
                    continue
        source_line = next(
            (live.IMAGE_SOURCE_RE.match(ln) for ln in lines if "Image source," in ln), None
        )
        if source_line is not None:
            picture = Media(
                kind="image", alt=source_line["alt"].strip() or None, source=source_line["credit"]
            )
            media.append(picture)
            if live.CAPTION_MARKER_RE.match(lines[-1]) and i + 1 < len(blocks):
                picture.caption = " ".join(blocks[i + 1])
                i += 1
            i += 1
            continue
        if live.CAPTION_MARKER_RE.match(lines[-1]) and i + 1 < len(blocks):
            media.append(Media(kind="image", caption=" ".join(blocks[i + 1])))
            i += 2
            continue
        bullets = [live.BULLET_RE.match(ln) for ln in lines]
        if all(bullets):
            paragraphs.append("\n".join(f"• {b['item'].strip()}" for b in bullets if b))
        else:
            paragraphs.append(" ".join(lines))
        i += 1

    from_hint = published is None
    if from_hint:
        # The user's --date (or the source's own date), else the day it was read: the best
        # we have, marked inferred.
        day = page.date_hint or page.reference.date()
        published = datetime.combine(day, time(0, 0), tzinfo=UTC)
    doc.published = published
    doc.time_inferred = from_hint
    doc.bylines = bylines
    doc.posts.append(
        Post(
            key="article",
            position=1,
            title=doc.title,
            body="\n\n".join(paragraphs),
            published=published,
            time_inferred=from_hint,
            bylines=bylines,
            media=media,
            kind="article",
        )
    )
    if not paragraphs:
        doc.warnings.append("no article text was found")
    return doc
