"""A page copied as text, as the text readers take it (read/page.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sitroom.read.article_text import read_article_text
from sitroom.read.page import text_copy


def test_text_copy_makes_line_ends_and_spaces_plain_and_dates_from_the_source():
    page = text_copy("\ufeffFirst\r\nsecond\u00a0line\rthird", "news/2024-02-03/flood.txt", {})
    assert page.text == "First\nsecond line\nthird"
    assert page.date_hint == date(2024, 2, 3)
    retrieved = datetime(2024, 2, 5, 8, 0, tzinfo=UTC)
    given = text_copy(
        "x", "news/2024-02-03/flood.txt", {"date_hint": date(2024, 1, 1), "retrieved": retrieved}
    )
    assert (given.date_hint, given.reference) == (date(2024, 1, 1), retrieved)


def test_a_misspelt_fact_is_an_error_not_ignored():
    with pytest.raises(TypeError, match="unknown page facts: date_hnt"):
        read_article_text("A short article.", source="a.txt", date_hnt=date(2024, 1, 1))
