"""Times as live pages write them, normalised to aware UTC datetimes.

Live pages stamp each post "published at 17:36 Greenwich Mean Time 16 February 2022", and
often leave out the year ("... 17 February") or the whole date ("... 17:36 GMT"). The helpers
here parse the stamp, find dated evidence elsewhere on a page, and pick the missing year so
that the stamp lands next to that evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {"mo": 0, "tu": 1, "we": 2, "th": 3, "fr": 4, "sa": 5, "su": 6}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))

# Zone names as pages write them. Fixed offsets where the name says which one applies
# (BST is always UTC+1); an unnamed zone on a British page is read as UK civil time.
ZONE_OFFSETS: dict[str, tzinfo] = {
    "greenwich mean time": UTC,
    "gmt": UTC,
    "utc": UTC,
    "british summer time": timezone(timedelta(hours=1)),
    "bst": timezone(timedelta(hours=1)),
    "central european time": timezone(timedelta(hours=1)),
    "cet": timezone(timedelta(hours=1)),
    "central european summer time": timezone(timedelta(hours=2)),
    "cest": timezone(timedelta(hours=2)),
    "eastern european time": timezone(timedelta(hours=2)),
    "eet": timezone(timedelta(hours=2)),
    "eest": timezone(timedelta(hours=3)),
    # US pages write "ET" for New York time whatever the season; EST and EDT name the offset.
    "eastern time": ZoneInfo("America/New_York"),
    "et": ZoneInfo("America/New_York"),
    "est": timezone(timedelta(hours=-5)),
    "edt": timezone(timedelta(hours=-4)),
    "pt": ZoneInfo("America/Los_Angeles"),
    "pst": timezone(timedelta(hours=-8)),
    "pdt": timezone(timedelta(hours=-7)),
}
_ZONE_RE = "|".join(re.escape(z) + r"\b" for z in sorted(ZONE_OFFSETS, key=len, reverse=True))
UK_TIME = ZoneInfo("Europe/London")

STAMP_RE = re.compile(
    rf"(?P<hour>\d{{1,2}})[:.](?P<minute>\d{{2}})\s*(?P<ampm>[ap]\.?m\.?)?"
    rf"(?:\s*(?P<zone>{_ZONE_RE}))?"
    rf"(?:,?\s*(?:on\s+)?(?:(?P<weekday>mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?,?\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTH_RE})"
    rf"(?:,?\s+(?P<year>\d{{4}}))?)?",
    re.IGNORECASE,
)

# The parts of a written date: "15th", "Feb." or "February", "2022".
DAY_PART = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
MONTH_PART = rf"(?P<month>{_MONTH_RE})\.?"
YEAR_PART = r"(?P<year>(?:19|20)\d{2})"
# Full dates anywhere on a page: "15 February 2025", "February 15, 2022".
_DMY_RE = re.compile(rf"\b{DAY_PART}\s+{MONTH_PART},?\s+{YEAR_PART}(?!\d)", re.IGNORECASE)
_MDY_RE = re.compile(rf"\b{MONTH_PART}\s+{DAY_PART},\s*{YEAR_PART}(?!\d)", re.IGNORECASE)
# A photo credit dates the picture, and pictures on a live page are from its own days.
_CAPTION_DATE_RE = re.compile(r"\bPhoto(?:graph)?:\s*", re.IGNORECASE)


@dataclass
class Stamp:
    """A parsed "HH:MM zone [D Month [YYYY]]" stamp, before any inference (None: not given;
    `parse_stamp` always gives the time of day)."""

    hour: int | None = None
    minute: int | None = None
    zone: str | None = None  # lower-cased zone name as written
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None  # 0 = Monday, when the stamp names the day of the week

    @property
    def has_date(self) -> bool:
        return self.day is not None and self.month is not None


def parse_stamp(text: str) -> Stamp | None:
    """Parse the first time stamp in `text` ("17:36 Greenwich Mean Time 16 February 2022")."""
    match = STAMP_RE.search(text)
    if not match:
        return None
    hour, minute = int(match["hour"]), int(match["minute"])
    ampm = (match["ampm"] or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    month = MONTHS[match["month"].lower()] if match["month"] else None
    day = int(match["day"]) if match["day"] else None
    if day is not None and not 1 <= day <= 31:
        day, month = None, None
    return Stamp(
        hour=hour,
        minute=minute,
        zone=match["zone"].lower() if match["zone"] else None,
        day=day,
        month=month,
        year=int(match["year"]) if match["year"] else None,
        weekday=WEEKDAYS[match["weekday"][:2].lower()] if match["weekday"] else None,
    )


def to_utc(day: date, hour: int, minute: int, zone: str | None) -> datetime:
    """The UTC instant of a local wall-clock time in the named zone (UK time when unnamed)."""
    tz = ZONE_OFFSETS.get(zone or "", UK_TIME)
    return datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(UTC)


def parse_full_time(text: str) -> datetime | None:
    """'17:36 Greenwich Mean Time 16 February 2022' -> aware UTC datetime; None without a year."""
    stamp = parse_stamp(text)
    if stamp is None or not stamp.has_date or stamp.year is None:
        return None
    try:
        day = date(stamp.year, stamp.month, stamp.day)  # type: ignore[arg-type]
    except ValueError:
        return None
    return to_utc(day, stamp.hour, stamp.minute, stamp.zone)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # 29 February in a common year, 31 April, ...
        return None


def full_dates(text: str) -> list[date]:
    """Every full calendar date written in `text`, in order of appearance."""
    found: list[tuple[int, date]] = []
    for regex in (_DMY_RE, _MDY_RE):
        for m in regex.finditer(text):
            d = _safe_date(int(m["year"]), MONTHS[m["month"].lower()], int(m["day"]))
            if d is not None:
                found.append((m.start(), d))
    return [d for _, d in sorted(found)]


def caption_dates(text: str) -> list[date]:
    """Dates given by photo credits such as "Photo: 15 February 2025"."""
    dates = []
    for m in _CAPTION_DATE_RE.finditer(text):
        after = full_dates(text[m.end() : m.end() + 40])
        if after:
            dates.append(after[0])
    return dates


def year_near(month: int, day: int, anchor: date) -> date | None:
    """The (month, day) in the year that puts it closest to `anchor` (pages span days, not
    months, so the nearest candidate is the right one across a new year too)."""
    candidates = [_safe_date(anchor.year + k, month, day) for k in (-1, 0, 1)]
    valid = [d for d in candidates if d is not None]
    if not valid:
        return None
    return min(valid, key=lambda d: abs((d - anchor).days))


def year_not_after(month: int, day: int, limit: date) -> date | None:
    """The latest (month, day) that is not after `limit` (a page read today cannot be dated
    in the future)."""
    for year in range(limit.year, limit.year - 8, -1):
        d = _safe_date(year, month, day)
        if d is not None and d <= limit:
            return d
    return None


def years_not_after(month: int, day: int, limit: date, span: int = 12) -> list[date]:
    """Every (month, day) not after `limit` within `span` years, latest first."""
    found = [_safe_date(year, month, day) for year in range(limit.year, limit.year - span, -1)]
    return [d for d in found if d is not None and d <= limit]


_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
# "nearly three years" of something that began in a named year: that year plus the span is
# about now. Spans that look back from another time ("three years ago", "in three years'
# time") say nothing about when the page was written.
_ELAPSED_RE = re.compile(
    r"\b(?:nearly|almost|about|around|some|over|more than|just over|just under|after)\s+"
    r"(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\s+years?\b"
    r"(?!\s+(?:ago|earlier|before|later|from now|time|'|’))",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"(?<![\d/-])(?P<year>(?:19|20)\d{2})(?![\d/-])")
_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+")


def elapsed_years(text: str) -> list[int]:
    """Years that "N years" since a named year points to ("nearly three years since the
    invasion in 2022" -> 2025), one per sentence that has both."""
    found = []
    for sentence in _SENTENCE_SPLIT_RE.split(text):
        span = _ELAPSED_RE.search(sentence)
        if span is None:
            continue
        years = [int(m["year"]) for m in _YEAR_RE.finditer(sentence)]
        if years:
            n = span["n"].lower()
            found.append(min(years) + (int(n) if n.isdigit() else _NUMBER_WORDS[n]))
    return found


@dataclass
class YearEvidence:
    """Where a missing year comes from, strongest first.

    `now` is the page's reference point: when the copy was retrieved (a manifest, a fetch,
    `--retrieved`) or, failing that, the ingest time. A post is never dated after it: the
    year is the latest that keeps the date at or before the reference point, unless a named
    weekday or the text's own evidence picks an earlier one.
    """

    page_dates: list[date]  # full dates in post stamps or photo captions of the page
    date_hint: date | None  # --date, or the source's own date
    other_dates: list[date]  # any other full date written on the page
    now: datetime | None  # the reference point (retrieval time, else ingest time)
    retrieved: bool = False  # `now` is a real retrieval time, not just the ingest time
    elapsed: list[int] = field(default_factory=list)  # years named by "N years since YYYY"

    def complete(self, month: int, day: int, weekday: int | None = None) -> date | None:
        if self.page_dates or self.date_hint is not None:
            return self._near(month, day, weekday)
        reference = (self.now or datetime.now(UTC)).astimezone(UTC).date()
        candidates = years_not_after(month, day, reference)
        if not candidates:
            return None
        if weekday is not None:
            # A named weekday picks the latest year where the date falls on that day.
            named = [d for d in candidates if d.weekday() == weekday]
            if named:
                return named[0]
        for year in sorted(set(self.elapsed), reverse=True):
            chosen = [d for d in candidates if d.year == year]
            if chosen:
                return chosen[0]
        if self.other_dates and not self.retrieved:
            # Only the ingest time to go on: a date in the running text is closer to the page
            # than today (pages cite older events, so the latest one).
            anchor = max(self.other_dates)
            return min(candidates, key=lambda d: abs((d - anchor).days))
        return candidates[0]

    def _near(self, month: int, day: int, weekday: int | None) -> date | None:
        anchor = max(self.page_dates) if self.page_dates else self.date_hint
        assert anchor is not None
        guess = year_near(month, day, anchor)
        if weekday is None or guess is None or guess.weekday() == weekday:
            return guess
        # A named weekday pins the year down: the nearest year where the date falls on it.
        for offset in sorted(range(-6, 7), key=abs):
            candidate = _safe_date(guess.year + offset, month, day)
            if candidate is not None and candidate.weekday() == weekday:
                return candidate
        return guess


# Dates that URLs and file names carry: /2025/02/13/, /2025/feb/13/, 2025-02-13, 20250213.
_SOURCE_DATE_RES = [
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})/(?P<month>\d{1,2})/(?P<day>\d{1,2})(?!\d)"),
    re.compile(
        rf"(?<!\d)(?P<year>(?:19|20)\d{{2}})/(?P<month>{_MONTH_RE})/(?P<day>\d{{1,2}})(?!\d)", re.I
    ),
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)"),
    # Only as a whole token, so that runs of digits inside hashes and ids are not read as dates.
    re.compile(
        r"(?<![0-9A-Za-z])(?P<year>(?:19|20)\d{2})(?P<month>[01]\d)(?P<day>[0-3]\d)(?![0-9A-Za-z])"
    ),
]


def date_from_source(source: str) -> date | None:
    """The date a URL or file name carries (the source's own date), if any."""
    for regex in _SOURCE_DATE_RES:
        m = regex.search(source)
        if not m:
            continue
        month_text = m["month"]
        month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower())
        if month is None:
            continue
        found = _safe_date(int(m["year"]), month, int(m["day"]))
        if found is not None:
            return found
    return None
