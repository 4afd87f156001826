"""The helpers below the stages: times read from users, JSON conversion, row mapping."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sitroom.serve.app import create_app
from sitroom.store import open_store
from sitroom.store.rows import insert_sql, record, to_db
from sitroom.util.jsonable import from_iso, to_iso, to_jsonable
from sitroom.util.when import parse_when

NOW = datetime(2024, 5, 3, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
        ("2024-05-01T10:30Z", datetime(2024, 5, 1, 10, 30, tzinfo=UTC)),
        ("90m", datetime(2024, 5, 3, 10, 30, tzinfo=UTC)),
        ("2d", datetime(2024, 5, 1, 12, 0, tzinfo=UTC)),
        ("", None),
        (None, None),
    ],
)
def test_parse_when_reads_dates_and_spans(text, expected):
    assert parse_when(text, now=NOW) == expected


def test_parse_when_raises_value_error_not_a_cli_error():
    started = time.perf_counter()
    with pytest.raises(ValueError, match="cannot read 'not a time at all' as a time"):
        parse_when("not a time at all", now=NOW)
    assert time.perf_counter() - started < 2  # all languages would take seconds


def test_parse_when_reads_english_words():
    assert parse_when("yesterday", now=NOW).date() == date(2024, 5, 2)
    assert parse_when("3 days ago", now=NOW) == datetime(2024, 4, 30, 12, 0, tzinfo=UTC)


def test_to_jsonable_and_iso_round_trip():
    naive = datetime(2024, 5, 3, 9, 0)
    assert to_iso(naive) == "2024-05-03T09:00:00Z"
    assert from_iso("2024-05-03T09:00:00Z") == datetime(2024, 5, 3, 9, 0, tzinfo=UTC)
    assert to_jsonable({"when": NOW, "day": date(2024, 5, 3), "p": Path("a/b"), "t": (1, 2)}) == {
        "when": "2024-05-03T12:00:00Z",
        "day": "2024-05-03",
        "p": "a/b",
        "t": [1, 2],
    }


@dataclass
class _Inner:
    name: str


@dataclass
class _Row:
    id: int
    seen: datetime | None
    ok: bool
    tags: list[str]
    pairs: list[tuple[float, str]]
    inner: list[_Inner]
    note: str | None = None


def test_record_maps_columns_by_name_and_type():
    row = {
        "ok": 1,
        "id": 7,
        "extra": "ignored",
        "seen": "2024-05-03T12:00:00Z",
        "tags": '["a", "b"]',
        "pairs": '[[1.5, "cm"]]',
        "inner": '[{"name": "x"}]',
    }
    assert record(_Row, row) == _Row(7, NOW, True, ["a", "b"], [(1.5, "cm")], [_Inner("x")])
    assert record(_Row, row, note="given").note == "given"


def test_rows_written_name_their_columns():
    assert insert_sql("claims", ("id", "text")) == 'INSERT INTO claims ("id", "text") VALUES (?, ?)'
    assert [to_db(v) for v in (True, NOW, [_Inner("x")], None, 2.5)] == [
        1,
        "2024-05-03T12:00:00Z",
        '[{"name": "x"}]',
        None,
        2.5,
    ]


def test_bad_time_is_a_422_in_the_api():
    with open_store(":memory:") as store:
        client = TestClient(create_app(store))
        response = client.get("/api/posts", params={"since": "not a time at all"})
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"] == ["query", "since"]
    assert "cannot read 'not a time at all' as a time" in problem["msg"]
