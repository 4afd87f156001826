"""Outlet furniture: the site's own lines (buttons, counters, its name), read from
sitroom/data/outlet_furniture.yaml, are skipped by whole line and never match a sentence."""

from __future__ import annotations

import pytest

from sitroom.read.outlets.common import furniture


@pytest.mark.parametrize(
    ("outlet", "line"),
    [
        ("cnn", "Link copied!"),
        ("cnn", "SEE ALL UPDATES"),
        ("ap", "Here’s the latest:"),
        ("ap", "Follow AP's coverage of the harbour talks"),
        ("aljazeera", "List of 4 items"),
        ("aljazeera", "list 2 of 4"),
        ("guardian", "Updated at 12.15 GMT"),
        ("guardian", "3 of 7"),
    ],
)
def test_furniture_lines_are_known(outlet, line):
    assert furniture(outlet).match(line)


@pytest.mark.parametrize(
    ("outlet", "line"),
    [
        ("cnn", "CNN reporters saw the ferries leave port."),
        ("ap", "Share prices fell as the harbour stayed shut."),
        ("aljazeera", "Live fire was heard near the border crossing."),
        ("guardian", "X marks the spot where the dam gave way, officials said."),
    ],
)
def test_a_sentence_that_starts_like_furniture_is_not(outlet, line):
    assert furniture(outlet).match(line) is None


def test_an_outlet_without_a_list_is_an_error():
    with pytest.raises(KeyError):
        furniture("no such outlet")
