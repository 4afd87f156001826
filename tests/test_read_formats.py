"""HTML live pages, articles and feeds (fixtures written for the project), and detection."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sitroom.read import read_bytes, read_path
from sitroom.read.detect import detect_format


def test_guardian_live_blog(fixtures_dir):
    doc = read_path(fixtures_dir / "html" / "guardian_live.html")
    assert (doc.format, doc.kind, doc.outlet) == ("guardian-html", "live", "The Guardian")
    assert doc.summary == [
        "Ports at Varna and Lisk closed for a second day",
        "Unions reject the ministry's 4% offer",
    ]
    posts = [p for p in doc.posts if p.kind == "post"]
    assert [p.key for p in posts] == [
        "block-66a1f0c2e8f0b1a2c3d4e5f6",
        "block-66a1e9aa0000111122223333",
    ]
    first, second = posts
    assert first.title == "Unions reject pay offer"
    assert first.published == datetime(2024, 6, 12, 14, 5, tzinfo=UTC)
    assert second.published == datetime(2024, 6, 12, 12, 40, tzinfo=UTC)  # +01:00 to UTC
    assert first.labels == ["Key event"]
    assert first.bylines[0].name == "Nadia Okoro"
    assert first.media[0].caption == "Strikers outside the port of Varna on Wednesday."
    assert "Strikers outside" not in first.body  # a caption is not body text
    assert first.body.startswith("The dockworkers' union has rejected")
    assert "• Varna: closed" in second.body


def test_bbc_live_page_markup(fixtures_dir):
    doc = read_path(fixtures_dir / "html" / "bbc_live.html")
    assert doc.format == "bbc-html" and doc.outlet == "BBC"
    posts = [p for p in doc.posts if p.kind == "post"]
    assert [p.title for p in posts] == [
        "Red warning extended to midnight",
        "Engineers working through the night",
    ]
    assert posts[0].labels == ["Breaking"]
    assert posts[1].bylines[0].name == "Priya Shah"
    assert posts[1].bylines[0].role == "BBC North reporter"
    assert posts[1].body.startswith("Northern Grid says engineers")
    assert posts[0].published == datetime(2024, 1, 21, 16, 30, tzinfo=UTC)


def test_live_html_without_known_markup_falls_back_to_visible_text(seeds_dir):
    text = (seeds_dir / "000_b66fc7ec3bdce415.txt").read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{line}</p>\n" for line in text.splitlines() if line.strip())
    page = f"<!doctype html><html><head><title>Live</title></head><body>{paragraphs}</body></html>"
    doc = read_bytes(page.encode(), source="https://example.org/live/copy")
    assert doc.format == "live-html"
    assert len([p for p in doc.posts if p.kind == "post"]) == 20


def test_article_page_through_trafilatura(fixtures_dir):
    doc = read_path(fixtures_dir / "html" / "article.html")
    assert (doc.format, doc.kind) == ("article-html", "article")
    assert doc.title == "Ferry operators warn of summer delays"
    assert [b.name for b in doc.bylines] == ["Lena Fischer"]
    assert doc.published.date().isoformat() == "2024-05-02"
    body = doc.posts[0].body
    assert body.startswith("Ferry operators on the northern routes")
    assert "Home" not in body and "Example Media" not in body


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_feeds_give_one_post_per_entry(fixtures_dir, name):
    doc = read_path(fixtures_dir / "feeds" / name)
    assert doc.kind == "feed" and doc.format == "feed"
    assert all(p.kind == "entry" and p.url.startswith("https://example.org/") for p in doc.posts)
    first = doc.posts[0]
    if name == "rss.xml":
        assert len(doc.posts) == 2 and doc.outlet == "Example World News"
        assert first.key == "ex-10021"
        assert first.published == datetime(2024, 5, 14, 8, 30, tzinfo=UTC)  # +0100 to UTC
        assert (
            first.body
            == "The crossing at Kolm reopened on Tuesday morning.\n\nQueues stretched for 5km."
        )
        assert first.bylines[0].name == "Ana Ruiz"
    else:
        assert first.key == "urn:example:live:77"
        assert first.published == datetime(2024, 5, 14, 9, 58, tzinfo=UTC)
        assert first.bylines[0].name == "Jonas Berg"


def test_detection(fixtures_dir, seeds_dir):
    assert detect_format((fixtures_dir / "feeds" / "atom.xml").read_text()) == "feed"
    assert detect_format((fixtures_dir / "html" / "article.html").read_text()) == "article-html"
    assert detect_format((seeds_dir / "001_5936794e593d59a3.txt").read_text()) == "live-text"
    assert detect_format((seeds_dir / "003_e649704279e36c29.txt").read_text()) == "article-text"


def test_format_override(fixtures_dir):
    page = fixtures_dir / "text" / "live_gmt_page.txt"
    assert (read_path(page).format, read_path(page).kind) == ("live-text", "live")
    # --format wins over what detection picks: the live page read as one article
    doc = read_path(page, format="article-text")
    assert (doc.format, doc.kind, len(doc.posts)) == ("article-text", "article", 1)


def test_article_metadata_lines_are_never_the_title_and_outlet_is_not_a_person() -> None:
    from sitroom.read.article_text import read_article_text

    text = (
        "3 hours ago\n\nHarbour talks collapse after union walks out\n\n"
        "By Mara Quist and Tobias Reyes, CNN\n\n5 min read\n\n"
        "Talks between the union and the ferry owners collapsed on Friday, officials said.\n"
    )
    doc = read_article_text(text, source="a.txt", now=datetime(2024, 3, 1, tzinfo=UTC))
    assert doc.title == "Harbour talks collapse after union walks out"
    assert [b.name for b in doc.bylines] == ["Mara Quist", "Tobias Reyes"]
    assert doc.outlet == "CNN"
    assert doc.posts[0].body.startswith("Talks between the union")
    only_meta = read_article_text(
        "Published 4 March 2024\n\nTalks collapsed on Friday, officials said.\n", source="b.txt"
    )
    assert only_meta.title is None
    assert only_meta.published == datetime(2024, 3, 4, tzinfo=UTC)


def test_html_article_byline_with_outlet_is_people_and_outlet() -> None:
    page = (
        '<html><head><meta name="author" content="Mara Quist and Tobias Reyes, CNN">'
        "<title>Harbour talks collapse</title></head><body><article><h1>Harbour talks collapse</h1>"
        "<p>Talks between the union and the ferry owners collapsed on Friday, officials said, "
        "after a third day of meetings at the harbour office ended without agreement.</p>"
        "<p>The union said it would meet its members on Monday to decide what to do next.</p>"
        "</article></body></html>"
    )
    doc = read_bytes(page.encode(), source="a.html", format="article-html")
    assert [b.name for b in doc.bylines] == ["Mara Quist", "Tobias Reyes"]
    assert doc.outlet == "CNN"
