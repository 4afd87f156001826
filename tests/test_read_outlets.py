"""Outlet layouts (fixtures written for the project from each outlet's public conventions),
the reader table, and the real saved pages in ../shared/corpus/html."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sitroom.read import FORMATS, read_bytes, read_path
from sitroom.read.manifest import parse_retrieved
from sitroom.read.registry import READERS
from sitroom.records import Byline, Provenance


@pytest.fixture()
def outlets_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "outlets"


def _posts(doc):
    return [p for p in doc.posts if p.kind == "post"]


def test_every_reader_is_one_line_of_the_table() -> None:
    assert FORMATS == tuple(r.name for r in READERS)
    assert len(set(FORMATS)) == len(FORMATS)
    assert FORMATS[-1] == "article-text"  # the reader of last resort comes last


def test_cnn_live_updates(outlets_dir: Path) -> None:
    doc = read_path(outlets_dir / "cnn_live.txt")
    assert (doc.format, doc.outlet) == ("cnn-live", "CNN")
    assert doc.title == "Harbour talks resume as ferries stay in port: live updates"
    # "By Mara Quist and Tobias Reyes, CNN": two people, the outlet apart.
    assert doc.bylines == [Byline("Mara Quist"), Byline("Tobias Reyes")]
    first, second, third = _posts(doc)
    # Updated 6:15 p.m. ET (EST, UTC-5) on 3 March 2024 = 23:15 UTC; 25 min and 72 min before.
    assert first.published == datetime(2024, 3, 3, 22, 50, tzinfo=UTC)
    assert second.published == datetime(2024, 3, 3, 22, 3, tzinfo=UTC)
    assert third.published == datetime(2024, 3, 2, 22, 2, tzinfo=UTC)
    assert not any(p.time_inferred for p in (first, second, third))
    assert first.title == "Harbour authority says ferries will sail on Monday"
    assert first.bylines == [Byline("Sam Dahl")]
    assert first.body.startswith("The harbour authority said on Sunday")
    assert "Ticket offices" in first.body
    assert (second.labels, second.title) == (
        ["Analysis"],
        "Why the harbour talks matter for the whole coast",
    )
    assert second.bylines == [Byline("Ivo Petrov")]
    assert third.bylines == [Byline("Lena Ortiz"), Byline("Sam Dahl")]


def test_cnn_relative_times_without_updated_line_count_back_from_retrieval(outlets_dir) -> None:
    text = (outlets_dir / "cnn_live.txt").read_text(encoding="utf-8")
    text = text.replace("Updated 6:15 p.m. ET, March 3, 2024\n", "")
    meta = Provenance(retrieved=datetime(2024, 3, 4, 12, 0, tzinfo=UTC))
    doc = read_bytes(text.encode(), source="cnn.txt", meta=meta)
    first = _posts(doc)[0]
    assert first.published == datetime(2024, 3, 4, 11, 35, tzinfo=UTC)
    assert first.time_inferred


def test_ap_untimed_untitled_posts_with_datelines(outlets_dir: Path) -> None:
    doc = read_path(outlets_dir / "ap_live.txt")
    assert (doc.format, doc.outlet) == ("ap-live", "AP")
    assert doc.bylines == []  # "By The Associated Press" names the outlet, not a person
    posts = _posts(doc)
    assert len(posts) == 3
    assert [p.dateline for p in posts] == ["PORTVILLE, Freedonia (AP)", "BRUSSELS (AP)", None]
    assert posts[0].body.startswith("The harbour authority said Friday")
    assert "(AP)" not in posts[0].body and "The union has asked" in posts[0].body
    assert posts[1].body.startswith("European transport ministers")
    assert posts[2].body.startswith("Ferry operators have lost")
    assert all(p.title is None for p in posts)
    assert all(p.published.date() == date(2023, 2, 24) and p.time_inferred for p in posts)
    assert "Follow AP" not in " ".join(p.body for p in posts)


def test_guardian_live_blog_as_text(outlets_dir: Path) -> None:
    doc = read_path(outlets_dir / "guardian_live.txt")
    assert (doc.format, doc.outlet) == ("guardian-text", "The Guardian")
    # "Andrew Sparrow (now) and Rachel Hall (earlier)": two people.
    assert doc.bylines == [Byline("Andrew Sparrow"), Byline("Rachel Hall")]
    summary, rejects, resume = _posts(doc)
    # The header dates the newest post; a later time below it is from the day before.
    assert summary.published == datetime(2024, 2, 25, 0, 20, tzinfo=UTC)
    assert rejects.published == datetime(2024, 2, 24, 23, 40, tzinfo=UTC)
    assert resume.published == datetime(2024, 2, 24, 9, 10, tzinfo=UTC)
    # The summary cites other posts' times "(23.40)": they open no post.
    assert summary.title is None and "(23.40)" in summary.body
    assert (rejects.title, rejects.labels) == ("Union rejects pay offer", ["Key event"])
    assert "Updated at" not in rejects.body
    assert resume.labels == ["Key event"]  # listed under "Key events"


def test_guardian_records(outlets_dir: Path) -> None:
    doc = read_path(outlets_dir / "guardian_records.txt")
    assert doc.format == "guardian-text"
    posts = _posts(doc)
    assert [p.title for p in posts] == ["Union rejects pay offer", None, "Talks resume"]
    assert [p.published for p in posts] == [
        datetime(2024, 2, 24, 12, 5, tzinfo=UTC),
        datetime(2024, 2, 24, 10, 42, tzinfo=UTC),
        datetime(2024, 2, 24, 9, 10, tzinfo=UTC),
    ]
    assert posts[0].body.endswith("Its leader will speak to members tonight.")
    assert posts[1].body == "Ferries remain in port at Portville and Easthaven."


def test_aljazeera_live_blog(outlets_dir: Path) -> None:
    doc = read_path(outlets_dir / "aljazeera_live.txt")
    assert (doc.format, doc.outlet) == ("aljazeera-live", "Al Jazeera")
    posts = _posts(doc)
    assert [p.title for p in posts] == ["Union rejects pay offer", "Ferries remain in port"]
    assert [p.published for p in posts] == [
        datetime(2024, 2, 24, 14, 5, tzinfo=UTC),
        datetime(2024, 2, 24, 12, 40, tzinfo=UTC),
    ]
    assert posts[1].body.startswith("No ferry has left")


def test_aljazeera_key_events_list(outlets_dir: Path) -> None:
    doc = read_path(outlets_dir / "aljazeera_key_events.txt")
    assert doc.format == "aljazeera-live"
    assert doc.title == "Harbour strike: List of key events, day 9"
    posts = _posts(doc)
    assert [p.title for p in posts] == ["Talks", "Transport"]
    assert posts[0].body.startswith("Union leaders and ferry owners met")
    assert posts[1].body.endswith("between the two towns.")
    assert all(p.published.date() == date(2024, 2, 24) and p.time_inferred for p in posts)


def test_bbc_live_reporting_layout(outlets_dir: Path) -> None:
    meta = Provenance(retrieved=parse_retrieved("2017-03-04"))
    data = (outlets_dir / "bbc_live_reporting.txt").read_bytes()
    doc = read_bytes(data, source="old.txt", meta=meta)
    assert (doc.format, doc.outlet) == ("bbc-live-reporting", "BBC")
    assert doc.title == "Harbour storm: ferries cancelled across the coast"
    assert doc.bylines == [Byline("Sarah Smith", "Editor")]
    posts = _posts(doc)
    assert [p.title for p in posts] == [
        "Harbour reopens after storm",
        "Ferry services suspended",
        "Storm warning issued",
    ]
    assert posts[0].bylines == [Byline("Mara Quist", "BBC News, Portville")]
    assert posts[1].bylines == [Byline("BBC Monitoring")]  # no role line
    assert all(p.published.date() == date(2017, 3, 4) and p.time_inferred for p in posts)
    assert not doc.warnings


def test_outlet_layouts_as_html(outlets_dir: Path) -> None:
    text = (outlets_dir / "cnn_live.txt").read_text(encoding="utf-8")
    body = "".join(f"<p>{line}</p>\n" for line in text.splitlines() if line.strip())
    page = f"<!doctype html><html><head><title>t</title></head><body>{body}</body></html>"
    doc = read_bytes(
        page.encode(), source="https://edition.cnn.com/world/live-news/harbour-03-03-24"
    )
    assert (doc.format, doc.outlet) == ("cnn-live", "CNN")
    assert [p.title for p in _posts(doc)][0] == "Harbour authority says ferries will sail on Monday"


def test_outlet_article_urls_are_not_live_layouts() -> None:
    page = b"<html><body><h1>Harbour talks</h1><p>Delegates met at the harbour office on Friday, officials said, and agreed to meet again.</p></body></html>"
    doc = read_bytes(page, source="https://www.theguardian.com/world/2024/feb/24/harbour-talks")
    assert doc.kind == "article" and doc.outlet == "The Guardian"


# --- real saved pages ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html_dir(shared_dir: Path) -> Path:
    folder = shared_dir / "corpus" / "html"
    if not folder.is_dir():
        pytest.skip("no real HTML in ../shared/corpus/html")
    return folder


def test_real_bbc_current_live_layout(html_dir: Path) -> None:
    doc = read_path(next(html_dir.glob("bbc_*_live-*EXCERPT.html")))
    posts = _posts(doc)
    assert doc.outlet == "BBC"
    # 14:48, 14:39 and 14:27 BST on 20 April 2026 (the year from the manifest's retrieval date)
    assert [p.published for p in posts] == [
        datetime(2026, 4, 20, 13, 48, tzinfo=UTC),
        datetime(2026, 4, 20, 13, 39, tzinfo=UTC),
        datetime(2026, 4, 20, 13, 27, tzinfo=UTC),
    ]
    assert all(p.title and "BST" not in p.title for p in posts)
    assert posts[0].bylines[0].role == "Live reporter"
    assert not posts[0].body.startswith(posts[0].bylines[0].name)


def test_real_guardian_live_body(html_dir: Path) -> None:
    doc = read_path(next(html_dir.glob("guardian_*_live-*.html")))
    posts = _posts(doc)
    assert len(posts) == 35 and all(p.published for p in posts)
    assert sum(1 for p in posts if p.title) == 13
    assert sum(1 for p in posts if "Key event" in p.labels) == 12


@pytest.mark.parametrize(
    ("pattern", "count"), [("mirror_*", 428), ("repubblica_*", 79), ("timesofindia_*", 8)]
)
def test_real_live_pages_of_other_outlets(html_dir: Path, pattern: str, count: int) -> None:
    doc = read_path(next(html_dir.glob(pattern)))
    assert doc.kind == "live"
    posts = _posts(doc)
    assert len(posts) == count
    assert all(p.published is not None for p in posts)
    manifest = {
        json.loads(line)["file"]: json.loads(line) for line in (html_dir / "MANIFEST.jsonl").open()
    }
    assert doc.outlet == manifest[Path(doc.source).name]["outlet"]


def test_real_articles_are_articles(html_dir: Path) -> None:
    for path in html_dir.glob("*_article-*.html"):
        doc = read_path(path)
        assert doc.kind == "article", path.name
        assert doc.posts[0].body
