"""Pieces the outlet layouts share: paragraphs of a text copy, clock times and dates as news
sites write them ("6:15 p.m. ET, March 3, 2024", "Sat 24 Feb 2024 12.05 GMT", "25 min ago"),
bylines, datelines, and building the Document."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from importlib import resources

import yaml
from lxml import html as lxml_html

from sitroom.read.blocks import text_blocks
from sitroom.read.draft import Draft
from sitroom.read.html_live import jsonld_updates, read_live_html
from sitroom.read.names import people_in_byline
from sitroom.read.page import Page
from sitroom.read.times import (
    _ZONE_RE,
    DAY_PART,
    MONTH_PART,
    MONTHS,
    YEAR_PART,
    Stamp,
    to_utc,
    years_not_after,
)
from sitroom.records import Byline, Document, Post

_CLOCK_RE = re.compile(
    rf"(?<![\d.:])(?P<hour>\d{{1,2}})[:.](?P<minute>\d{{2}})(?![\d])\s*(?P<ampm>[ap]\.?\s?m\.?)?"
    rf"(?:\s*(?P<zone>{_ZONE_RE}))?",
    re.IGNORECASE,
)
# A day and month with or without the year: "March 3", "Sat 24 Feb 2024".
_MDY_RE = re.compile(rf"\b{MONTH_PART}\s+{DAY_PART}(?:,?\s+{YEAR_PART})?\b", re.IGNORECASE)
_DMY_RE = re.compile(rf"\b{DAY_PART}\s+{MONTH_PART}(?:,?\s+{YEAR_PART})?\b", re.IGNORECASE)
# "17/08/2016": day first, as British and most non-US pages write it.
_NUMERIC_DATE_RE = re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d{2})\b")
_ISO_RE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
# A four-digit time with its zone, as CNN's international edition writes it: "0402 GMT".
_HHMM_RE = re.compile(
    rf"(?<![\d:.])(?P<hour>[01]\d|2[0-3])(?P<minute>[0-5]\d)\s*(?P<zone>{_ZONE_RE})", re.I
)
_RELATIVE_PART_RE = re.compile(
    r"\b\d+\s*(?:d|days?|h|hrs?|hours?|m|mins?|minutes?)(?:\s+\d+\s*(?:m|mins?|minutes?))?\s+ago\b|\bjust now\b",
    re.I,
)
# "25 min ago", "1 hr 12 min ago", "2h ago", "3 hours ago", "just now"
RELATIVE_RE = re.compile(
    r"^(?:(?P<days>\d+|an?)\s*(?:d|days?)\s*)?(?:(?P<hours>\d+|an?)\s*(?:h|hrs?|hours?)\s*)?"
    r"(?:(?P<minutes>\d+|an?)\s*(?:m|mins?|minutes?)\s*)?ago$|^(?P<now>just now)$",
    re.IGNORECASE,
)
# A dateline opening a wire story: "BRUSSELS (AP) —", "KYIV, Ukraine (AP) —".
DATELINE_RE = re.compile(
    r"^(?P<dateline>[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][\w .'’-]{1,40})?\s*"
    r"\((?:AP|Reuters|AFP|Al Jazeera)\))\s*[—–-]+\s*"
)


@dataclass
class When(Stamp):
    """A clock time and/or a calendar date read from one line, before any inference."""

    instant: datetime | None = None  # an ISO time, complete in itself

    @property
    def has_time(self) -> bool:
        return self.hour is not None or self.instant is not None


def _clock(text: str, when: When) -> None:
    outside = re.sub(r"\([^)]*\)", " ", text)  # "0402 GMT (1202 HKT)": the first zone counts
    match = (
        _CLOCK_RE.search(outside)
        or _HHMM_RE.search(outside)
        or _CLOCK_RE.search(text)
        or _HHMM_RE.search(text)
    )
    if not match:
        return
    hour, minute = int(match["hour"]), int(match["minute"])
    ampm = re.sub(r"[.\s]", "", (match.groupdict().get("ampm") or "").lower())
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour <= 23 and minute <= 59:
        when.hour, when.minute = hour, minute
        when.zone = match["zone"].lower() if match["zone"] else None


def parse_when(text: str) -> When:
    """Whatever time and date a line states, in any of the usual orders."""
    when = When()
    iso = _ISO_RE.search(text)
    if iso and len(iso.group(0)) > 10:
        try:
            parsed = datetime.fromisoformat(iso.group(0).replace("Z", "+00:00").replace(" ", "T"))
            when.instant = (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
            return when
        except (ValueError, OverflowError):  # not a real time (month 13, year 1 east of UTC)
            pass
    if iso:
        try:
            d = date.fromisoformat(iso.group(0)[:10])
        except ValueError:  # "2024-13-45" is not a date: read the rest of the line without it
            d = None
        if d is not None:
            when.day, when.month, when.year = d.day, d.month, d.year
        text = text.replace(iso.group(0), " ")
    numeric = _NUMERIC_DATE_RE.search(text)
    if not iso and numeric and 1 <= int(numeric["m"]) <= 12 and 1 <= int(numeric["d"]) <= 31:
        when.day, when.month, when.year = int(numeric["d"]), int(numeric["m"]), int(numeric["y"])
        text = text.replace(numeric.group(0), " ")
    _clock(text, when)
    if when.day is None:
        for regex in (_MDY_RE, _DMY_RE):
            m = regex.search(text)
            if m and 1 <= int(m["day"]) <= 31:
                when.day, when.month = int(m["day"]), MONTHS[m["month"].lower()]
                when.year = int(m["year"]) if m["year"] else None
                break
    return when


def relative_delta(line: str) -> timedelta | None:
    """'1 hr 12 min ago' -> 72 minutes; None when the line is not a relative time."""
    m = RELATIVE_RE.match(line.strip())
    if not m or (not m["now"] and not any(m[g] for g in ("days", "hours", "minutes"))):
        return None

    def count(group: str) -> int:
        value = (m[group] or "0").lower()
        return 1 if value in ("a", "an") else int(value)  # "an hour ago"

    try:
        delta = timedelta(days=count("days"), hours=count("hours"), minutes=count("minutes"))
    except OverflowError:
        return None
    # A live page counts back hours or days; "99999999 hr ago" is no time a page could mean.
    return delta if delta <= timedelta(days=3660) else None


def is_time_line(line: str) -> bool:
    """A line that is only a time stamp (a post's), not a sentence that cites one."""
    line = line.strip()
    if relative_delta(line) is not None:
        return True
    if line.startswith("("):
        return False  # "(10.42)": a summary citing a post's time, not a post's own stamp
    line = _RELATIVE_PART_RE.sub(" ", line)  # "1h ago 12.05 BST"
    if len(line) > 48 or not (_CLOCK_RE.search(line) or _HHMM_RE.search(line)):
        return False
    rest = _HHMM_RE.sub(" ", _CLOCK_RE.sub(" ", line))
    rest = _MDY_RE.sub(" ", rest)
    rest = _DMY_RE.sub(" ", rest)
    rest = re.sub(
        r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b(published|at|on)\b", " ", rest, flags=re.I
    )
    return not re.sub(r"[\s,.\-–—|:()]+", "", rest)


def complete_date(when: When, page: Page, anchor: date | None) -> tuple[date | None, bool]:
    """The calendar day of `when` and whether any of it was inferred: a missing year from the
    page's own dated header (`anchor`) or else its reference point, never after it."""
    if when.instant is not None:
        return when.instant.date(), False
    if when.day is None or when.month is None:
        return None, True
    if when.year is not None:
        try:
            return date(when.year, when.month, when.day), False
        except ValueError:
            return None, True
    limit = anchor or page.reference.date()
    candidates = years_not_after(when.month, when.day, limit + timedelta(days=1))
    return (candidates[0] if candidates else None), True


def instant(when: When, day: date | None) -> datetime | None:
    """The UTC instant of `when` on `day` (zone as written, UK time when none)."""
    if when.instant is not None:
        return when.instant
    if day is None:
        return None
    if when.hour is None:
        return datetime.combine(day, time(0, 0), tzinfo=UTC)
    return to_utc(day, when.hour, when.minute or 0, when.zone)


@cache
def furniture(outlet: str) -> re.Pattern[str]:
    """The lines of `outlet`'s pages that are its site's furniture (sitroom/data/
    outlet_furniture.yaml), as one pattern matching a whole line."""
    text = resources.files("sitroom.data").joinpath("outlet_furniture.yaml").read_text("utf-8")
    lines = yaml.safe_load(text)[outlet]
    return re.compile("^(" + "|".join(f"(?:{line})" for line in lines) + ")$", re.IGNORECASE)


def paragraphs(text: str) -> list[list[str]]:
    """The text's blocks (runs of non-blank lines, stripped), no-break spaces made plain."""
    return text_blocks(text.replace("\u00a0", " "))


BY_LINE_RE = re.compile(r"^(?:by|from)\s+\S", re.IGNORECASE)


def byline_line(line: str) -> tuple[list[Byline], str | None] | None:
    """People and outlet of a "By ..." / "From CNN's ..." line; None when it is not one."""
    if (
        not BY_LINE_RE.match(line)
        or len(line.split()) > 16
        or line.rstrip().endswith((".", "?", "!"))
    ):
        return None
    return people_in_byline(line)


def _slug(text: str | None) -> str:
    return "-".join(re.findall(r"\w+", (text or "").lower()))[:80]


def build_document(
    page: Page,
    drafts: list[Draft],
    *,
    title: str | None,
    outlet: str | None = None,
    bylines: list[Byline] | None = None,
    summary: list[str] | None = None,
    kind: str = "live",
) -> Document:
    """The Document of a live page from its drafted posts, in page order."""
    posts: list[Post] = []
    used: dict[str, int] = {}
    if summary:
        posts.append(
            Post(key="summary", position=0, title="Summary", kind="summary",
                 body="\n".join(f"• {b}" for b in summary))
        )  # fmt: skip
    numbers = [d.number for d in drafts]
    own = sorted(n for n in numbers if n is not None) == list(range(1, len(drafts) + 1))
    for n, d in enumerate(drafts, 1):
        base = d.key or f"{_slug(d.title) or _slug(' '.join(d.body)[:60])}"
        used[base] = used.get(base, 0) + 1
        key = base if used[base] == 1 else f"{base}#{used[base]}"
        posts.append(d.to_post(key, d.number if own and d.number else n))
    doc = Document(
        source=page.source,
        kind=kind,  # type: ignore[arg-type]
        format="",
        title=title,
        bylines=bylines or [],
        summary=summary or [],
        posts=posts,
        outlet=outlet,
    )
    timed = [p.published for p in posts if p.published is not None]
    doc.published = min(timed) if timed else None
    doc.time_inferred = bool(posts) and all(p.time_inferred for p in posts if p.published)
    if not drafts:
        doc.warnings.append("no posts found in this layout")
    return doc


@dataclass
class Segment:
    """A post of a timed layout: the time lines that open it and its blocks after them."""

    stamps: list[str]
    blocks: list[list[str]]


def timed_segments(
    blocks: list[list[str]], opens: Callable[[str], bool] = is_time_line
) -> tuple[list[list[str]], list[Segment]]:
    """(blocks before the first post, posts) of a layout where each post opens with a line
    that is only its time ("25 min ago", "12.05 GMT", "2h ago" then "12.05 GMT")."""
    head: list[list[str]] = []
    segments: list[Segment] = []
    for block in blocks:
        k = 0
        while k < len(block) and (opens if not segments else is_time_line)(block[k]):
            k += 1
        if k:
            rest = block[k:]
            if segments and not segments[-1].blocks:
                segments[-1].stamps.extend(block[:k])  # "2h ago" and "12.05 GMT" apart
            else:
                segments.append(Segment(block[:k], []))
            if rest:
                segments[-1].blocks.append(rest)
        elif segments:
            segments[-1].blocks.append(block)
        else:
            head.append(block)
    return head, segments


def best_when(stamps: list[str]) -> tuple[When | None, timedelta | None]:
    """The absolute time among a post's stamps (else None) and its relative one."""
    absolute, delta = None, None
    for stamp in stamps:
        rel = relative_delta(stamp)
        if rel is not None:
            delta = rel
        else:
            when = parse_when(stamp)
            if when.has_time and (absolute is None or when.day is not None):
                absolute = when
    return absolute, delta


TITLE_MAX_WORDS = 30


def is_title(line: str) -> bool:
    """A headline: one short line that does not end a sentence with a full stop."""
    words = line.split()
    return 0 < len(words) <= TITLE_MAX_WORDS and not line.rstrip().endswith((".", ",", ";", ":"))


class Clock:
    """Dates posts newest first: a post's time on the day of the post above it, the day
    before when it is later in the day (the page crossed midnight)."""

    def __init__(self, day: date | None, inferred: bool) -> None:
        self.day, self.inferred = day, inferred
        self.last: datetime | None = None
        self.carried = False  # the last time placed had no date of its own

    def place(self, when: When, page: Page) -> tuple[datetime | None, bool]:
        if when.instant is not None:
            self.last = when.instant
            return when.instant, False
        self.carried = when.day is None
        if when.day is not None:
            day, inferred = complete_date(when, page, self.day)
            self.day = day
        else:
            day, inferred = self.day, True
            if day is None:
                day = page.reference.date()
                self.day = day
            local = instant(when, day)
            if self.last is not None and local is not None and local > self.last:
                day = day - timedelta(days=1)
                self.day = day
        at = instant(when, day)
        self.last = at
        return at, inferred or self.inferred


def timed_draft(
    stamps: list[str], page: Page, clock: Clock, anchor: datetime | None = None
) -> Draft:
    """A post dated by the time lines that open it: an absolute time placed by `clock`, else a
    relative one ("25 min ago") counted back from `anchor` (the page's "Updated" time) or,
    inferred, from when the page was read."""
    draft = Draft()
    absolute, delta = best_when(stamps)
    if absolute is not None:
        draft.published, draft.inferred = clock.place(absolute, page)
        draft.carried = clock.carried
    elif delta is not None:
        try:
            draft.published = (anchor or page.reference) - delta
        except OverflowError:  # "99999999 hr ago" reaches before year 1: no time
            draft.published = None
        draft.inferred = anchor is None
        clock.last = draft.published
    return draft


@dataclass
class Header:
    """What a layout's header lines give: the page's title, its people, and the line that
    dates it."""

    title: str | None = None
    bylines: list[Byline] = field(default_factory=list)
    dated: str | None = None


def read_header(
    lines: Iterable[str], dated: Callable[[str], object], furniture: re.Pattern[str]
) -> Header:
    """The header of a layout: the first line `dated` accepts dates the page, the first
    "By ..." line gives its people, the first title-shaped line is its title; lines of the
    site's `furniture` ("Live", "Share") are none of these."""
    header = Header()
    for line in lines:
        if furniture.match(line):
            continue
        if header.dated is None and dated(line):
            header.dated = line
        elif (found := byline_line(line)) is not None and not header.bylines:
            header.bylines = found[0]
        elif header.title is None and is_title(line):
            header.title = line
    return header


@dataclass
class Drafted:
    """What a layout reader drafted from a page's text."""

    drafts: list[Draft]
    title: str | None = None
    bylines: list[Byline] = field(default_factory=list)
    inferred: bool = False  # the page's own date was inferred


def read_outlet(
    page: Page,
    outlet: str,
    draft_text: Callable[[Page], Drafted],
    marked_post: Callable[[Post], None] | None = None,
) -> Document:
    """An outlet's page: read from its LiveBlogPosting markup where it has one (each post then
    given the outlet's conventions by `marked_post`), else from the posts `draft_text` drafts
    from its text; an HTML page's own headline wins over a title line."""
    marked = from_markup(page, outlet)
    if marked is not None:
        for post in marked.posts:
            if marked_post is not None:
                marked_post(post)
        return marked
    drafted = draft_text(page)
    doc = build_document(
        page,
        drafted.drafts,
        title=html_title(page) or drafted.title,
        outlet=outlet,
        bylines=drafted.bylines,
    )
    doc.time_inferred = drafted.inferred or doc.time_inferred
    return doc


def from_markup(page: Page, outlet: str) -> Document | None:
    """A saved HTML page that lists its posts as schema.org LiveBlogPosting JSON-LD is read
    from that list (exact times, ids); None when the page is text or has no such list."""
    if not page.is_html:
        return None
    if not jsonld_updates(page.text):
        return None
    doc = read_live_html(page)
    doc.outlet = doc.outlet or outlet
    return doc


def html_title(page: Page) -> str | None:
    """The headline of an HTML page (its h1, else og:title), None for text."""
    if not page.is_html:
        return None
    try:
        root = lxml_html.document_fromstring(page.text)
    except (ValueError, lxml_html.etree.ParserError):
        return None
    found = root.xpath("//h1//text()") or root.xpath("//meta[@property='og:title']/@content")
    text = " ".join(" ".join(str(t) for t in found[:3] if str(t).strip()).split()) if found else ""
    return text or None


def anchor_oldest(drafts: list[Draft], start: date | None) -> None:
    """Where the page says when it began (its URL's date, "First published", "Published
    On"), the oldest post is from that day: posts dated only by their time of day, all
    walked back from the newest, move together so that the oldest lands on it."""
    carried = [d for d in drafts if d.published is not None]
    if start is None or not carried or not all(d.carried for d in carried):
        return
    shift = start - carried[-1].published.date()
    if shift and abs(shift.days) <= 3:
        for d in carried:
            d.published = d.published + shift  # type: ignore[operator]
