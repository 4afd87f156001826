"""Live pages as plain text, in the shape a BBC live page has when copied out of a browser.

    Summary

      • first bullet

      1. Analysis

        Title running into the stamppublished at 17:33 Greenwich Mean Time 16 February 2022

        Reporter Name
        Reporter role

        Alt textImage source, Agency
        Image caption,

        Caption text

        Body paragraph.

        • list item

Posts are numbered, newest first. The reader learns each piece from its shape, not from a
list of known labels or names: a label is a short bare line next to the title, a byline a name
line with a role line directly under it, media lines are recognised by the page's own markers
("Image source,", "Image caption,", "Media caption,") and by how the copy lays out alt text
(a bare line glued to the next one, or a bare unpunctuated line before the first paragraph).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Unpack

import yaml

from sitroom.read.draft import Draft
from sitroom.read.page import PageFacts, text_copy
from sitroom.read.times import (
    Stamp,
    YearEvidence,
    caption_dates,
    elapsed_years,
    full_dates,
    parse_stamp,
    to_utc,
)
from sitroom.records import Byline, Document, Media, Post

PUBLISHED_RE = re.compile(r"published at\s+", re.IGNORECASE)
POST_NUMBER_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<n>\d{1,4})\.[ \t]+(?P<rest>\S.*)$", re.M)
BULLET_RE = re.compile(r"^[•●▪◦‣∙·*-][ \t]+(?P<item>\S.*)$")
SUMMARY_RE = re.compile(r"^\s*(summary|key points|in summary)\s*$", re.IGNORECASE)
IMAGE_SOURCE_RE = re.compile(r"(?P<alt>.*?)Image source,\s*(?P<credit>.*)$")
CAPTION_MARKER_RE = re.compile(r"^(?P<kind>Image|Media|Video) caption,\s*(?P<rest>.*)$")
# Browser-widget text that a copy of the page carries but nobody wrote as coverage.
WIDGET_RE = re.compile(
    r"^(Quote Message|Skip \w+.*|Follow( I follow)?|Share|Copy link|"
    r"View more on \w+|External)$",
    re.IGNORECASE,
)
# A credit that names a newsroom group instead of a person ("Visual Journalism Team").
TEAM_CREDIT_RE = re.compile(
    r"\b(team|desk|staff|unit|newsroom|reporters|correspondents|editors|journalists)$",
    re.IGNORECASE,
)
TERMINAL_PUNCT = tuple(".!?:;\"'”’»)…")
NAME_CONNECTORS = {
    "de",
    "der",
    "van",
    "von",
    "bin",
    "al",
    "da",
    "di",
    "la",
    "le",
    "du",
    "of",
    "and",
}
HONORIFICS = {"professor", "prof", "dr", "sir", "dame", "lord", "lady", "general", "gen"}


def looks_like_live_text(text: str) -> bool:
    """True when `text` has at least two numbered posts stamped "published at HH:MM"."""
    stamped = 0
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if POST_NUMBER_RE.match(line):
            window = " ".join(lines[i : i + 4])
            if PUBLISHED_RE.search(window) and parse_stamp(PUBLISHED_RE.split(window, 1)[1]):
                stamped += 1
                if stamped >= 2:
                    return True
    # A single stamped post still reads as a live page when the page has a Summary block.
    return stamped == 1 and any(SUMMARY_RE.match(line) for line in lines[:5])


# --- line shapes ------------------------------------------------------------------------------


def _words(line: str) -> list[str]:
    return line.split()


def _is_short_bare(line: str, max_words: int) -> bool:
    """A short line without sentence punctuation: the shape of labels, names and roles."""
    words = _words(line)
    return 0 < len(words) <= max_words and not line.rstrip().endswith(TERMINAL_PUNCT)


def is_name(line: str) -> bool:
    """A person's or a newsroom's name: 1-6 capitalised words, no sentence punctuation."""
    if not _is_short_bare(line, 6) or any(ch.isdigit() for ch in line):
        return False
    if line.count(",") or "Image" in line:
        return False
    words = [w for w in _words(line) if w.lower() not in NAME_CONNECTORS]
    return bool(words) and all(w[0].isupper() or not w[0].isalpha() for w in words)


def is_person_name(line: str) -> bool:
    """A bare personal name (optionally with an honorific): 2-5 capitalised words."""
    if not is_name(line) or TEAM_CREDIT_RE.search(line):
        return False
    words = [w for w in _words(line) if w.lower().rstrip(".") not in HONORIFICS]
    return 2 <= len(words) <= 4


def _is_role(line: str) -> bool:
    """A byline's role line: short and unpunctuated at the end ("BBC defence correspondent")."""
    return _is_short_bare(line.rstrip("."), 16) and "Image source" not in line


def _is_label(line: str) -> bool:
    """A post label: one to three words, capitalised, bare (Breaking, Analysis, BBC Verify)."""
    words = _words(line)
    return (
        1 <= len(words) <= 3
        and len(line) <= 30
        and _is_short_bare(line, 3)
        and words[0][0].isupper()
        and not any(ch.isdigit() for ch in line)
    )


def ends_sentence(line: str) -> bool:
    return line.rstrip().endswith(TERMINAL_PUNCT)


# --- blocks -------------------------------------------------------------------------------------


@dataclass
class Block:
    """Lines of a post that the copy kept together (no blank line between them)."""

    lines: list[str]
    blank_after: bool  # a blank line follows (paragraph end) rather than the next post
    # The line after it holds only spaces: the copy kept an empty line where a role line
    # goes, so a name alone in the block is a byline with no role.
    role_gap: bool = False


@dataclass
class Layout:
    """How this copy of the page lays text out; pages copied from other browsers or tools
    may drop the blank lines the usual copy has."""

    blank_paragraphs: bool = True  # paragraphs end with a blank line
    blank_between_posts: bool = True  # a blank line comes before each post's number


def _layout(lines: list[str], header_lines: list[int]) -> Layout:
    if not header_lines:
        return Layout()
    headers = set(header_lines)
    body_lines = [
        i
        for i in range(header_lines[0], len(lines))
        if lines[i].strip() and not BULLET_RE.match(lines[i].strip()) and i not in headers
    ]
    followed_by_blank = sum(
        1 for i in body_lines if i + 1 < len(lines) and not lines[i + 1].strip()
    )
    preceded_by_blank = sum(1 for i in header_lines[1:] if not lines[i - 1].strip())
    return Layout(
        blank_paragraphs=followed_by_blank >= 0.3 * max(1, len(body_lines)),
        blank_between_posts=preceded_by_blank >= 0.5 * max(1, len(header_lines) - 1),
    )


def _blocks(lines: list[str], layout: Layout | None = None) -> list[Block]:
    if layout is not None and not layout.blank_paragraphs:
        return _line_blocks(lines)
    blocks: list[Block] = []
    current: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped:
            current.append(stripped)
        elif current:
            blocks.append(Block(current, blank_after=True, role_gap=bool(line)))
            current = []
    if current:
        blocks.append(Block(current, blank_after=False))
    return blocks


def _line_blocks(lines: list[str]) -> list[Block]:
    """Blocks for a copy without blank lines: one paragraph a line, list items kept together,
    and a name line with a role line under it kept together near the top of the post."""
    stripped = [ln.strip() for ln in lines if ln.strip()]
    blocks: list[Block] = []
    i = 0
    while i < len(stripped):
        line = stripped[i]
        if BULLET_RE.match(line):
            items = [line]
            while i + 1 < len(stripped) and BULLET_RE.match(stripped[i + 1]):
                i += 1
                items.append(stripped[i])
            blocks.append(Block(items, blank_after=True))
        elif (
            len(blocks) < 3
            and i + 2 < len(stripped)
            and is_name(line)
            and _is_role(stripped[i + 1])
            and not CAPTION_MARKER_RE.match(stripped[i + 1])
        ):
            blocks.append(Block([line, stripped[i + 1]], blank_after=True))
            i += 1
        elif (
            IMAGE_SOURCE_RE.match(line)
            and i + 1 < len(stripped)
            and CAPTION_MARKER_RE.match(stripped[i + 1])
        ):
            blocks.append(Block([line, stripped[i + 1]], blank_after=True))
            i += 1
        else:
            blocks.append(Block([line], blank_after=True))
        i += 1
    return blocks


def _media_from_line(line: str) -> Media | None:
    m = IMAGE_SOURCE_RE.match(line)
    if m:
        alt = m["alt"].strip() or None
        return Media(kind="image", alt=alt, source=m["credit"].strip() or None)
    return None


def _list_items(lines: list[str]) -> tuple[str, list[str]]:
    """(text before the list, list items) of a block; a line that is not a bullet after a
    bullet continues that item (a wrapped line)."""
    lead_in: list[str] = []
    items: list[str] = []
    for line in lines:
        bullet = BULLET_RE.match(line)
        if bullet:
            items.append(bullet["item"].strip())
        elif items:
            items[-1] = f"{items[-1]} {line}"
        else:
            lead_in.append(line)
    return " ".join(lead_in), items


def _caption_block(blocks: list[Block], i: int, parts: Draft) -> int:
    """Media: an "Image source," credit and/or a caption marker whose text may be the next
    block. Returns the number of blocks taken (0 when block i is not media)."""
    lines = blocks[i].lines
    marker_index = next(
        (
            k
            for k, ln in enumerate(lines)
            if CAPTION_MARKER_RE.match(ln) or IMAGE_SOURCE_RE.match(ln)
        ),
        None,
    )
    if marker_index is None:
        return 0
    media: Media | None = None
    consumed_caption = False
    rest_lines: list[str] = []
    for k, ln in enumerate(lines):
        from_source = _media_from_line(ln)
        caption_marker = CAPTION_MARKER_RE.match(ln)
        if from_source is not None:
            media = from_source
            parts.media.append(media)
        elif caption_marker is not None:
            kind = "video" if caption_marker["kind"] != "Image" else "image"
            caption = caption_marker["rest"].strip() or None
            if caption is None and k == len(lines) - 1 and i + 1 < len(blocks):
                caption = " ".join(blocks[i + 1].lines)
                consumed_caption = True
            if media is not None and media.caption is None and kind == "image":
                media.caption = caption
            else:
                alt = " ".join(rest_lines) or None
                rest_lines = []
                media = Media(kind=kind, caption=caption, alt=alt)
                parts.media.append(media)
        elif k < marker_index:
            rest_lines.append(ln)  # alt text on its own line above the marker
        else:
            parts.media.append(Media(kind="image", alt=ln))
    if rest_lines and media is not None and media.alt is None:
        media.alt = " ".join(rest_lines)
    return 2 if consumed_caption else 1


def _byline_pairs(lines: list[str]) -> list[Byline] | None:
    """A name line with its role line directly under it; several reporters come as name/role
    pairs in one block."""
    pairs = list(zip(lines[::2], lines[1::2], strict=False))
    if (
        len(lines) % 2 == 0
        and len(lines) <= 8
        and all(is_name(name) and len(name.split()) >= 2 and _is_role(role) for name, role in pairs)
    ):
        return [Byline(name=name, role=role.rstrip(".").strip()) for name, role in pairs]
    return None


def _is_newsroom(line: str) -> bool:
    """A name that is a newsroom, not a person: one word ("Reuters"), an acronym in it
    ("BBC Monitoring", "ITV News"), or a team word at its end ("Visual Journalism Team")."""
    words = line.split()
    return is_name(line) and (
        len(words) == 1
        or any(len(w) >= 2 and w.isalpha() and w.isupper() for w in words)
        or bool(TEAM_CREDIT_RE.search(line))
    )


def _roleless_byline(block: Block, first: bool) -> bool:
    """A name credited with no role line. An empty role line under it says so whatever the
    name; otherwise only a newsroom's name counts, as the post's first line (a person's bare
    name there is the caption of their picture whose credit line was lost) or, for a team,
    anywhere above the text."""
    line = block.lines[0]
    if block.role_gap and _is_short_bare(line, 8) and line[0].isupper():
        return True
    return (first and _is_newsroom(line)) or (is_name(line) and bool(TEAM_CREDIT_RE.search(line)))


@cache
def _role_words_re() -> re.Pattern[str]:
    text = resources.files("sitroom.data").joinpath("bylines.yaml").read_text(encoding="utf-8")
    words = yaml.safe_load(text)["role_words"]
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def _loose_pair(block: Block, first: bool) -> Byline | None:
    """A name and role at the very top of a post whose name line is not capitalised like a
    name ("The World at One" / "BBC Radio 4"): the role line must read as a role or a
    newsroom (a role word, or an acronym such as BBC)."""
    if not first or len(block.lines) != 2:
        return None
    name, role = block.lines
    if not (0 < len(name.split()) <= 8 and name[0].isalnum()) or name.endswith((".", "?", "!")):
        return None
    if not _is_role(role) or len(role.split()) > 10 or CAPTION_MARKER_RE.match(role):
        return None
    has_acronym = any(len(w) >= 2 and w.isalpha() and w.isupper() for w in role.split())
    if has_acronym or _role_words_re().search(role):
        return Byline(name=name, role=role.rstrip(".").strip())
    return None


def _header_block(blocks: list[Block], i: int, parts: Draft, first: bool) -> bool:
    """Bylines and bare alt text, which come before a post's first paragraph. True when
    block i was one of them."""
    lines = blocks[i].lines
    pairs = _byline_pairs(lines)
    if pairs is not None:
        parts.bylines.extend(pairs)
        return True
    loose = _loose_pair(blocks[i], first)
    if loose is not None:
        parts.bylines.append(loose)
        return True
    if len(lines) == 1 and _roleless_byline(blocks[i], first):
        parts.bylines.append(Byline(name=lines[0], role=None))
        return True
    # Unpunctuated text ahead of the first paragraph is image alt text (unless it leads
    # into a list).
    if (
        len(lines) == 1
        and not ends_sentence(lines[0])
        and not BULLET_RE.match(lines[0])
        and i + 1 < len(blocks)
        and not BULLET_RE.match(blocks[i + 1].lines[0])
    ):
        parts.media.append(Media(kind="image", alt=lines[0]))
        return True
    return False


def _body_block(
    block: Block, parts: Draft, in_header: bool, last_post: bool, layout: Layout | None
) -> None:
    lines = block.lines
    # A bare personal name below the header is a picture whose credit line was lost: no
    # paragraph is just a name.
    if len(lines) == 1 and is_person_name(lines[0]):
        parts.media.append(Media(kind="image", alt=lines[0]))
        return
    lead_in, items = _list_items(lines)
    if items:
        # Lead-in text glued to its list: keep the text, then the list.
        if lead_in:
            parts.body.append(lead_in)
        parts.body.append("\n".join(f"• {item}" for item in items))
    elif len(lines) > 1 or (
        not block.blank_after
        and not last_post
        and not in_header
        and (layout is None or layout.blank_between_posts)
    ):
        # The copy separates paragraphs by a blank line; lines glued together or to the
        # next post are alt texts of pictures, maps and charts.
        parts.media.extend(Media(kind="image", alt=ln) for ln in lines)
    else:
        parts.body.append(lines[0])


def _split_content(blocks: list[Block], last_post: bool, layout: Layout | None = None) -> Draft:
    """Sort a post's blocks (after its title) into bylines, media and body paragraphs."""
    parts = Draft()
    i = 0
    while i < len(blocks):
        taken = _caption_block(blocks, i, parts)
        if taken:
            i += taken
            continue
        if all(WIDGET_RE.match(ln) for ln in blocks[i].lines):
            i += 1
            continue
        in_header = not parts.body
        first = in_header and not parts.bylines and not parts.media
        if in_header and _header_block(blocks, i, parts, first):
            i += 1
            continue
        _body_block(blocks[i], parts, in_header, last_post, layout)
        i += 1
    return parts


# --- posts --------------------------------------------------------------------------------------


@dataclass
class RawPost:
    number: int
    labels: list[str]
    title: str | None
    stamp_text: str | None
    stamp: Stamp | None
    content: list[str]  # the post's lines after its title
    inferred_day: bool = False  # the stamp is the page's date given to an untimed post


def _find_headers(lines: list[str], untimed: bool = False) -> list[tuple[int, int]]:
    """(line index of the number line, line index of the stamped title line) for each post.
    On an `untimed` page (no per-post times at all) the numbering alone makes the posts."""
    # (line index, number, indent, stamped title line index or None)
    candidates: list[tuple[int, int, str, int | None]] = []
    for i, line in enumerate(lines):
        m = POST_NUMBER_RE.match(line)
        if not m:
            continue
        # The stamp is on the number line or within the next few lines (after a label line).
        title_index = None
        seen = 0
        for j in range(i, min(len(lines), i + 6)):
            if j > i and POST_NUMBER_RE.match(lines[j]):
                break
            if lines[j].strip():
                seen += 1
                if PUBLISHED_RE.search(lines[j]):
                    title_index = j
                    break
                if seen >= 3:
                    break
        candidates.append((i, int(m["n"]), m["indent"], title_index))

    headers: list[tuple[int, int]] = []
    last: tuple[int, str] | None = None  # number and indent of the last accepted post
    for k, (i, n, indent, title_index) in enumerate(candidates):
        if title_index is None:
            # An unstamped numbered line is a post whose stamp was lost (or cut off) only when
            # it continues the page's numbering at the page's indentation, and the next
            # stamped post continues from it; otherwise it is a numbered list in a post.
            next_stamped = next((c[1] for c in candidates[k + 1 :] if c[3] is not None), None)
            continues = last is not None and n == last[0] + 1 and indent == last[1]
            opens = untimed and last is None and n == 1
            if not opens and (not continues or next_stamped not in (None, n + 1)):
                continue
            title_index = i
        headers.append((i, title_index))
        last = (n, indent)
    return headers


def _raw_posts(
    lines: list[str], headers: list[tuple[int, int]], warnings: list[str], untimed: bool = False
) -> list[RawPost]:
    posts: list[RawPost] = []
    for h, (start, title_index) in enumerate(headers):
        end = headers[h + 1][0] if h + 1 < len(headers) else len(lines)
        m = POST_NUMBER_RE.match(lines[start])
        assert m is not None
        number = int(m["n"])
        head_lines = [m["rest"].strip()] + [ln.strip() for ln in lines[start + 1 : title_index + 1]]
        head_lines = [ln for ln in head_lines if ln]
        title_line = head_lines[-1] if head_lines else ""
        labels = [ln for ln in head_lines[:-1] if _is_label(ln)]
        stamp_text: str | None = None
        stamp: Stamp | None = None
        parts = PUBLISHED_RE.split(title_line, maxsplit=1)
        if len(parts) == 2:
            title = parts[0].strip() or None
            if title is None and len(head_lines) >= 2:
                # The stamp got a line of its own: the title is the line above it.
                title = head_lines[-2]
                labels = [ln for ln in head_lines[:-2] if _is_label(ln)]
            stamp_text = " ".join(parts[1].split())
            stamp = parse_stamp(stamp_text)
            if stamp is None:
                warnings.append(f"post {number}: could not read the time {stamp_text!r}")
        else:
            title = title_line or None
            if not untimed:
                warnings.append(f"post {number}: no 'published at' time")
        content = lines[title_index + 1 : end]
        # A label may also sit on the line right under the title, with no blank line between.
        # (A name line there is a byline instead: it has its role line right under it.)
        if (
            content
            and content[0].strip()
            and _is_label(content[0].strip())
            and (len(content) == 1 or not content[1].strip() or len(content[0].split()) == 1)
        ):
            labels.append(content[0].strip())
            content = content[1:]
        posts.append(RawPost(number, labels, title, stamp_text, stamp, content))
    return posts


def _slug(text: str | None) -> str:
    return "-".join(re.findall(r"\w+", (text or "").lower()))


def _post_key(raw: RawPost, used: dict[str, int]) -> str:
    # A post's identity is its stamp as written plus its title: both are fixed when the post
    # goes up, neither depends on where the post sits as the page grows. Posts that share
    # both get "#2", "#3" in page order.
    base = f"{raw.stamp_text or 'untimed'}|{_slug(raw.title)}"
    used[base] = used.get(base, 0) + 1
    return base if used[base] == 1 else f"{base}#{used[base]}"


def _resolve_times(
    raws: list[RawPost], evidence: YearEvidence, now: datetime | None
) -> list[tuple[datetime | None, bool]]:
    """UTC time and 'inferred' flag for each post, filling missing years and dates."""
    days: list[date | None] = []
    inferred: list[bool] = []
    for raw in raws:
        s = raw.stamp
        day = None
        guessed = False
        if s is not None and s.has_date:
            assert s.month is not None and s.day is not None
            if s.year is not None:
                try:
                    day = date(s.year, s.month, s.day)
                except ValueError:
                    day = None
            else:
                day = evidence.complete(s.month, s.day, s.weekday)
                guessed = True
        days.append(day)
        inferred.append(guessed)

    def minutes(i: int) -> int:
        s = raws[i].stamp
        assert s is not None
        return s.hour * 60 + s.minute

    # Carry dates to undated posts. The page lists newest first, so the post above is later:
    # a time later in the day than the post above means the day before (past midnight).
    timed = [i for i, r in enumerate(raws) if r.stamp is not None]
    above: int | None = None
    for i in timed:
        if days[i] is None and above is not None:
            carried = days[above]
            assert carried is not None
            days[i] = carried - timedelta(days=1) if minutes(i) > minutes(above) else carried
            inferred[i] = True
        if days[i] is not None:
            above = i
    # Posts above the first dated one take its date, a day later when earlier in the day.
    below: int | None = None
    for i in reversed(timed):
        if days[i] is None and below is not None:
            carried = days[below]
            assert carried is not None
            days[i] = carried + timedelta(days=1) if minutes(i) < minutes(below) else carried
            inferred[i] = True
        if days[i] is not None:
            below = i
    # Nothing dated at all: the newest post is from the hint's day or from today.
    undated = [i for i in timed if days[i] is None]
    if undated:
        top = undated[0]
        if evidence.date_hint is not None:
            days[top] = evidence.date_hint
        else:
            now_utc = (now or datetime.now(UTC)).astimezone(UTC)
            day = now_utc.date()
            if minutes(top) > now_utc.hour * 60 + now_utc.minute:
                day -= timedelta(days=1)
            days[top] = day
        inferred[top] = True
        for prev, i in zip(undated, undated[1:], strict=False):
            prev_day = days[prev]
            assert prev_day is not None
            days[i] = prev_day - timedelta(days=1) if minutes(i) > minutes(prev) else prev_day
            inferred[i] = True

    result: list[tuple[datetime | None, bool]] = []
    inferred = [g or raw.inferred_day for raw, g in zip(raws, inferred, strict=True)]
    for raw, day, guessed in zip(raws, days, inferred, strict=True):
        s = raw.stamp
        if s is None or day is None:
            result.append((None, False))
        else:
            result.append((to_utc(day, s.hour, s.minute, s.zone), guessed))
    return result


def _summary(lines: list[str]) -> tuple[list[str], list[Media]]:
    """The Summary block's bullets, and the media that may sit in it (a video and caption)."""
    blocks = _blocks(lines)
    bullets = [item for b in blocks for item in _list_items(b.lines)[1]]
    others = [b for b in blocks if not BULLET_RE.match(b.lines[0])]
    return bullets, _split_content(others, last_post=True).media


# Page furniture above the coverage: "Live", "Live Reporting", "Edited by ...", "Skip to ...".
PAGE_FURNITURE_RE = re.compile(
    r"^(live|live reporting|live updates|edited by\b.*|skip\b.*|updated\b.*|last updated\b.*|"
    r"all times stated are uk|get involved|show latest updates)$",
    re.IGNORECASE,
)


def _page_title(head: list[str]) -> str | None:
    """The page's headline: the first line above the Summary block that is not furniture."""
    for line in head:
        line = line.strip()
        if not line or PAGE_FURNITURE_RE.match(line) or WIDGET_RE.match(line):
            continue
        if len(line.split()) <= 25 and not BULLET_RE.match(line) and not line.endswith("."):
            return line
        return None
    return None


def _date_untimed(
    raws: list[RawPost], head: list[str], date_hint: date | None, reference: datetime | None
) -> None:
    """Posts with no time take the page's date: --date or the source's, else the latest full
    date above the posts not after the reference point, else the reference point's day."""
    ref = (reference or datetime.now(UTC)).astimezone(UTC).date()
    dated = [d for d in full_dates("\n".join(head)) if d <= ref]
    day = date_hint or (max(dated) if dated else ref)
    stamp = Stamp(0, 0, "utc", day.day, day.month, day.year)
    for raw in raws:
        if raw.stamp is None:
            raw.stamp, raw.inferred_day = stamp, True


def _drop_cut_post(
    raws: list[RawPost], text: str, warnings: list[str], untimed: bool
) -> list[RawPost]:
    """The posts without the last one when the copy was cut off inside its header (a time
    that does not parse, or none): no post is made of a broken header, and the warning marks
    the read incomplete, so nothing below the cut is taken for vanished. (A body cut at the
    end of the file is caught by the store, which has the text it had before.)"""
    if raws and not untimed and raws[-1].stamp is None:
        warnings.append(
            f"the page ends inside post {raws[-1].number}'s header (cut off?); "
            "that post was not read (incomplete)"
        )
        return raws[:-1]
    return raws


def read_live_text(
    text: str, *, source: str, untimed: bool = False, **facts: Unpack[PageFacts]
) -> Document:
    """Read a live page copied as plain text into a Document of posts (newest first).

    `retrieved` is when the copy was taken (a manifest, a fetch); `now` the ingest time.
    The first of them is the reference point for dates the page leaves out. An `untimed`
    page (the BBC's older layout) numbers its posts but gives them no times: they take the
    page's date, marked inferred."""
    page = text_copy(text, source, facts)
    text, date_hint, retrieved = page.text, page.date_hint, page.retrieved
    read_at = retrieved or page.now  # the reference point, when known
    lines = text.split("\n")
    warnings: list[str] = []
    headers = _find_headers(lines, untimed)
    raws = _raw_posts(lines, headers, warnings, untimed)
    raws = _drop_cut_post(raws, text, warnings, untimed)
    doc = Document(source=source, kind="live", format="live-text", warnings=warnings)
    first_post_line = headers[0][0] if headers else len(lines)

    head = lines[:first_post_line]
    summary_media: list[Media] = []
    summary_start = next((k for k, ln in enumerate(head) if SUMMARY_RE.match(ln)), None)
    if summary_start is not None:
        doc.summary, summary_media = _summary(head[summary_start + 1 :])
    doc.title = _page_title(head[:summary_start] if summary_start is not None else head)
    if not raws:
        warnings.append("no numbered posts with a 'published at' time were found")
    if untimed:
        _date_untimed(raws, head, date_hint, read_at)

    stamped_dates = []
    for r in raws:
        if r.stamp is not None and r.stamp.has_date and r.stamp.year is not None:
            try:
                stamped_dates.append(date(r.stamp.year, r.stamp.month, r.stamp.day))  # type: ignore[arg-type]
            except ValueError:
                warnings.append(f"post {r.number}: {r.stamp_text!r} is not a calendar date")
    # Weaker evidence is looked for only when the stronger is missing (it means a scan of
    # the whole page).
    page_dates = stamped_dates or caption_dates(text)
    weak = not page_dates and date_hint is None
    evidence = YearEvidence(
        page_dates=page_dates,
        date_hint=date_hint,
        other_dates=full_dates(text) if weak else [],
        now=read_at,
        retrieved=retrieved is not None,
        elapsed=elapsed_years(text) if weak else [],
    )
    times = _resolve_times(raws, evidence, read_at)
    layout = _layout(lines, [start for start, _ in headers])

    if doc.summary:
        doc.posts.append(
            Post(
                key="summary",
                position=0,
                title="Summary",
                body="\n".join(f"• {b}" for b in doc.summary),
                kind="summary",
                media=summary_media,
            )
        )
    used_keys: dict[str, int] = {}
    last_number: int | None = None
    for index, (raw, (published, inferred)) in enumerate(zip(raws, times, strict=True)):
        parts = _split_content(
            _blocks(raw.content, layout), last_post=index == len(raws) - 1, layout=layout
        )
        if last_number is not None and raw.number != last_number + 1:
            warnings.append(f"post numbering jumps from {last_number} to {raw.number}")
        last_number = raw.number
        if not parts.body and index == len(raws) - 1:
            warnings.append(f"post {raw.number} has no text (page cut off?)")
        parts.title, parts.labels = raw.title, raw.labels
        parts.published, parts.inferred = published, inferred
        doc.posts.append(parts.to_post(_post_key(raw, used_keys), raw.number))
    if doc.posts:
        timed = [p.published for p in doc.posts if p.published is not None]
        doc.published = min(timed) if timed else None  # when the page started
    return doc
