"""Time stamps: zones, missing years from each kind of evidence, carried dates, midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sitroom.read.live_text import read_live_text
from sitroom.read.times import (
    YearEvidence,
    caption_dates,
    date_from_source,
    full_dates,
    parse_full_time,
    parse_stamp,
    year_near,
    year_not_after,
)


def test_gmt_stamp_is_utc() -> None:
    assert parse_full_time("17:36 Greenwich Mean Time 16 February 2022") == datetime(
        2022, 2, 16, 17, 36, tzinfo=UTC
    )


def test_bst_stamp_is_one_hour_ahead_of_utc() -> None:
    assert parse_full_time("09:05 British Summer Time 2 July 2024") == datetime(
        2024, 7, 2, 8, 5, tzinfo=UTC
    )


def test_bst_just_after_midnight_falls_on_previous_utc_day() -> None:
    assert parse_full_time("00:20 BST 3 July 2024") == datetime(2024, 7, 2, 23, 20, tzinfo=UTC)


def test_twelve_hour_clock_and_missing_parts() -> None:
    stamp = parse_stamp("9:05pm GMT")
    assert stamp is not None and (stamp.hour, stamp.minute, stamp.zone) == (21, 5, "gmt")
    assert not stamp.has_date
    no_year = parse_stamp("14:50 Greenwich Mean Time 17 February")
    assert no_year is not None and (no_year.day, no_year.month, no_year.year) == (17, 2, None)
    assert parse_full_time("14:50 Greenwich Mean Time 17 February") is None
    assert parse_stamp("25:99 GMT") is None


def test_dates_in_text_and_photo_captions() -> None:
    text = "A crowd outside. Photo: 4 May 2023Image source, Agency. Talks began on June 1, 2021."
    assert caption_dates(text) == [date(2023, 5, 4)]
    assert full_dates(text) == [date(2023, 5, 4), date(2021, 6, 1)]
    assert full_dates("31 February 2023") == []  # not a calendar day


def test_year_near_crosses_new_year() -> None:
    assert year_near(12, 31, date(2024, 1, 2)) == date(2023, 12, 31)
    assert year_near(1, 2, date(2023, 12, 30)) == date(2024, 1, 2)


def test_year_not_after_never_gives_a_future_date() -> None:
    assert year_not_after(12, 30, date(2026, 1, 5)) == date(2025, 12, 30)
    assert year_not_after(1, 3, date(2026, 1, 5)) == date(2026, 1, 3)
    assert year_not_after(2, 29, date(2026, 3, 1)) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        (YearEvidence([date(2021, 3, 1)], date(2019, 3, 1), [date(2018, 1, 1)], None), 2021),
        (YearEvidence([], date(2019, 3, 1), [date(2018, 1, 1)], None), 2019),
        (YearEvidence([], None, [date(2015, 1, 1), date(2018, 2, 20)], None), 2018),
        (YearEvidence([], None, [], datetime(2030, 2, 1, tzinfo=UTC)), 2029),
    ],
)
def test_year_evidence_order(evidence: YearEvidence, expected: int) -> None:
    assert evidence.complete(3, 2) == date(expected, 3, 2)


def _page(stamps: list[str], extra: str = "") -> str:
    """A small invented live page with one post per stamp, newest first."""
    posts = []
    for n, stamp in enumerate(stamps, 1):
        posts.append(
            f"  {n}. Update number {n}published at {stamp}\n\n"
            f"    Something happened in the valley, officials said.{extra if n == 1 else ''}\n"
        )
    return "\n".join(posts)


def test_missing_year_from_photo_caption() -> None:
    page = _page(
        ["10:00 Greenwich Mean Time 2 January", "09:00 Greenwich Mean Time 2 January"],
        extra="\n\n    A bridge. Photo: 30 December 2019Image source, Agency\n    Image caption,\n\n    The bridge\n",
    )
    doc = read_live_text(page, source="t", now=datetime(2026, 5, 1, tzinfo=UTC))
    assert [p.published for p in doc.posts] == [
        datetime(2020, 1, 2, 10, 0, tzinfo=UTC),
        datetime(2020, 1, 2, 9, 0, tzinfo=UTC),
    ]
    assert all(p.time_inferred for p in doc.posts)


def test_missing_year_from_another_post_stamp() -> None:
    page = _page(
        ["08:00 Greenwich Mean Time 1 March", "23:00 Greenwich Mean Time 28 February 2021"]
    )
    doc = read_live_text(page, source="t", now=datetime(2026, 5, 1, tzinfo=UTC))
    assert doc.posts[0].published == datetime(2021, 3, 1, 8, 0, tzinfo=UTC)
    assert doc.posts[0].time_inferred and not doc.posts[1].time_inferred


def test_missing_year_from_date_hint() -> None:
    page = _page(["08:00 Greenwich Mean Time 1 March"])
    doc = read_live_text(page, source="t", date_hint=date(2018, 3, 1))
    assert doc.posts[0].published == datetime(2018, 3, 1, 8, 0, tzinfo=UTC)


def test_missing_year_from_dates_in_the_text() -> None:
    page = _page(
        ["08:00 Greenwich Mean Time 1 March"],
        extra=" The accord of 12 May 2011 was extended on 20 February 2017.",
    )
    doc = read_live_text(page, source="t", now=datetime(2026, 5, 1, tzinfo=UTC))
    assert doc.posts[0].published == datetime(2017, 3, 1, 8, 0, tzinfo=UTC)


def test_missing_year_from_ingest_date_is_never_in_the_future() -> None:
    page = _page(["08:00 Greenwich Mean Time 30 December"])
    doc = read_live_text(page, source="t", now=datetime(2026, 1, 4, tzinfo=UTC))
    assert doc.posts[0].published == datetime(2025, 12, 30, 8, 0, tzinfo=UTC)
    assert doc.posts[0].time_inferred


def test_missing_date_carried_from_post_above_across_midnight() -> None:
    page = _page(
        [
            "00:10 Greenwich Mean Time 5 April 2022",
            "23:50 Greenwich Mean Time",
            "23:10 Greenwich Mean Time",
        ]
    )
    doc = read_live_text(page, source="t")
    assert [p.published for p in doc.posts] == [
        datetime(2022, 4, 5, 0, 10, tzinfo=UTC),
        datetime(2022, 4, 4, 23, 50, tzinfo=UTC),
        datetime(2022, 4, 4, 23, 10, tzinfo=UTC),
    ]
    assert [p.time_inferred for p in doc.posts] == [False, True, True]
    # Ordered by true time, the post just after midnight comes last.
    assert [p.position for p in doc.posts_by_time()] == [3, 2, 1]


def test_missing_date_carried_from_post_below() -> None:
    page = _page(["00:05 British Summer Time", "22:30 British Summer Time 9 June 2023"])
    doc = read_live_text(page, source="t")
    # 00:05 BST on 10 June is 23:05 UTC on 9 June.
    assert doc.posts[0].published == datetime(2023, 6, 9, 23, 5, tzinfo=UTC)
    assert doc.posts[1].published == datetime(2023, 6, 9, 21, 30, tzinfo=UTC)


def test_no_dates_at_all_uses_ingest_day_and_walks_back_over_midnight() -> None:
    page = _page(["00:30 Greenwich Mean Time", "22:00 Greenwich Mean Time"])
    doc = read_live_text(page, source="t", now=datetime(2024, 11, 3, 9, 0, tzinfo=UTC))
    assert [p.published for p in doc.posts] == [
        datetime(2024, 11, 3, 0, 30, tzinfo=UTC),
        datetime(2024, 11, 2, 22, 0, tzinfo=UTC),
    ]
    assert all(p.time_inferred for p in doc.posts)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("https://news.example/world/live/2025/feb/13/border-talks", date(2025, 2, 13)),
        ("https://news.example/2024/03/05/story", date(2024, 3, 5)),
        ("/data/pages/flood-2023-11-02.txt", date(2023, 11, 2)),
        ("/data/pages/report_20220215.txt", date(2022, 2, 15)),
        ("/data/pages/000_a20230115f.txt", None),  # digits inside a hash are not a date
        ("https://news.example/live/world-60383385", None),
    ],
)
def test_date_from_source(source: str, expected: date | None) -> None:
    assert date_from_source(source) == expected


def test_missing_year_from_the_sources_own_date() -> None:
    page = _page(["08:00 Greenwich Mean Time 1 March"])
    doc = read_live_text(
        page, source="https://news.example/live/2019/mar/01/x", now=datetime(2026, 5, 1, tzinfo=UTC)
    )
    assert doc.posts[0].published == datetime(2019, 3, 1, 8, 0, tzinfo=UTC)
    assert doc.posts[0].time_inferred


def test_named_weekday_pins_the_missing_year() -> None:
    page = _page(["10:00 Greenwich Mean Time Tuesday 15 February"])
    doc = read_live_text(page, source="t", now=datetime(2026, 11, 23, tzinfo=UTC))
    # 15 February fell on a Tuesday in 2022; 2026's is a Sunday, and 2028's is in the future.
    assert doc.posts[0].published == datetime(2022, 2, 15, 10, 0, tzinfo=UTC)
    assert doc.posts[0].time_inferred
