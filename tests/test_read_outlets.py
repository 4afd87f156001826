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
    assert [p.position for p in posts] == [3, 2, 1]  # the records' own numbering


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


@pytest.mark.parametrize(
    ("line", "is_stamp"),
    [
        ("25 min ago", True),
        ("1 hr 12 min ago", True),
        ("an hour ago", True),
        ("1h ago 12.05 BST", True),
        ("6:15 p.m. ET, March 3, 2024", True),
        ("Sat 24 Feb 2024 12.05 GMT", True),
        ("0402 GMT", True),
        ("(10.42)", False),  # a summary citing a post's time
        ("The union rejected the offer (23.40) after talks resumed.", False),
        ("In 2020, 1500 people left.", False),
        ("Updated 6:15 p.m. ET, March 3, 2024", False),  # the page's header, not a post
    ],
)
def test_what_opens_a_timed_post(line: str, is_stamp: bool) -> None:
    from sitroom.read.outlets.common import is_time_line

    assert is_time_line(line) is is_stamp


def test_cnn_international_edition_header_and_reporter_places() -> None:
    text = (
        "Live Updates\n\nHarbour talks: live updates\n\nBy Mara Quist, CNN\n\n"
        "Updated 0402 GMT (1202 HKT) March 23, 2020\n\n"
        "44 min ago\n\nFerries sail again\n\nFrom CNN’s Sam Dahl in Portville and Ivo Petrov\n\n"
        "The first ferry left at dawn, the operator said.\n\n"
        "2:28 a.m. ET, March 22, 2020\n\nTalks resume\n\nFrom CNN staff\n\n"
        "Delegates met again on Sunday, officials said.\n"
    )
    doc = read_bytes(text.encode(), source="cnn.txt")
    assert doc.format == "cnn-live"
    first, second = _posts(doc)
    assert first.published == datetime(2020, 3, 23, 3, 18, tzinfo=UTC)
    assert first.bylines == [Byline("Sam Dahl"), Byline("Ivo Petrov")]
    assert second.published == datetime(2020, 3, 22, 6, 28, tzinfo=UTC)  # EDT from 8 March
    assert second.bylines == []  # "CNN staff" credits the outlet


def test_guardian_records_with_times_only_take_the_date_from_the_url() -> None:
    text = (
        "Update: 1\nDate: 00.20 BST\nTitle: Night shift begins\nContent: Crews began work.\n\n"
        "Update: 2\nDate: 23.40 BST\nTitle:\nContent: The union rejected the offer.\n\n"
        "Update: 3\nDate: 17/08/2016 21:05\nTitle: Talks resume\nContent: Delegates met.\n"
    )
    meta = Provenance(url="https://www.theguardian.com/uk/live/2016/aug/18/harbour-live")
    doc = read_bytes(text.encode(), source="g.txt", meta=meta)
    posts = _posts(doc)
    assert [p.published for p in posts] == [
        datetime(2016, 8, 17, 23, 20, tzinfo=UTC),  # 00.20 BST on 18 August
        datetime(2016, 8, 17, 22, 40, tzinfo=UTC),  # 23.40 BST the day before
        datetime(2016, 8, 17, 20, 5, tzinfo=UTC),  # UK time on 17/08/2016
    ]
    assert posts[0].time_inferred and not posts[2].time_inferred


def test_the_manifests_outlet_picks_the_layout(outlets_dir: Path) -> None:
    cnn = (outlets_dir / "cnn_live.txt").read_text(encoding="utf-8").replace("From CNN’s", "By")
    assert read_bytes(cnn.encode(), source="a.txt").format != "cnn-live"
    doc = read_bytes(cnn.encode(), source="a.txt", meta=Provenance(outlet="CNN"))
    assert doc.format == "cnn-live" and len(_posts(doc)) == 3
    old_bbc = (outlets_dir / "bbc_live_reporting.txt").read_text(encoding="utf-8")
    old_bbc = old_bbc.replace("Live Reporting\n", "").replace("All times stated are UK\n", "")
    doc = read_bytes(old_bbc.encode(), source="b.txt", meta=Provenance(outlet="BBC"))
    assert doc.format == "bbc-live-reporting" and len(_posts(doc)) == 3
    # A page in the BBC's "published at" form is read as such whoever published it.
    seeds_form = "  1. Ferries sailpublished at 10:00 Greenwich Mean Time 3 March 2024\n\n    Text.\n\n  2. Talks endpublished at 09:00 Greenwich Mean Time 3 March 2024\n\n    More text.\n"
    assert (
        read_bytes(seeds_form.encode(), source="c.txt", meta=Provenance(outlet="CNN")).format
        == "live-text"
    )


def test_guardian_text_key_events_list_and_start_date_from_url() -> None:
    text = (
        "Harbour talks live\n\nKey events\n\n2h ago\n\n23.40 GMT\n\nUnion rejects pay offer\n\n"
        "1h ago\n\n00.20 GMT\n\nHere is a summary of the night.\n\n"
        "2h ago\n\n23.40 GMT\n\nKey event\n\nUnion rejects pay offer\n\n"
        "The union said the offer was too low.\n\n"
        "09.10 GMT\n\nTalks resume\n\nDelegates met at 9am, officials said.\n"
    )
    meta = Provenance(url="https://www.theguardian.com/world/live/2024/feb/24/harbour-live")
    doc = read_bytes(text.encode(), source="g.txt", meta=meta)
    posts = _posts(doc)
    # The key-events list is not three more posts; the blog began on the URL's day.
    assert [p.title for p in posts] == [None, "Union rejects pay offer", "Talks resume"]
    assert [p.published for p in posts] == [
        datetime(2024, 2, 25, 0, 20, tzinfo=UTC),
        datetime(2024, 2, 24, 23, 40, tzinfo=UTC),
        datetime(2024, 2, 24, 9, 10, tzinfo=UTC),
    ]
    assert posts[1].labels == ["Key event"]


def test_bbc_live_reporting_with_times_of_day(outlets_dir: Path) -> None:
    doc = read_path(outlets_dir / "bbc_live_reporting_timed.txt")
    assert doc.format == "bbc-live-reporting"
    assert doc.bylines == [Byline("Sarah Smith", "Editor"), Byline("Tom Bale", "Editor")]
    posts = _posts(doc)
    assert [p.title for p in posts] == [
        "Harbour reopens after storm",
        "Ferry services suspended",
        "Storm warning issued",
    ]
    # UK time (GMT in March) on the day the page names.
    assert [p.published for p in posts] == [
        datetime(2017, 3, 4, 17, 36, tzinfo=UTC),
        datetime(2017, 3, 4, 16, 5, tzinfo=UTC),
        datetime(2017, 3, 4, 9, 10, tzinfo=UTC),
    ]
    assert posts[0].bylines == [Byline("Mara Quist", "BBC News, Portville")]
    assert posts[1].bylines == [Byline("BBC Weather")]
    assert posts[2].body.startswith("A red warning")


def test_ap_posts_with_their_own_times_and_headlines() -> None:
    text = (
        "LIVE UPDATES\n\nHarbour strike: live updates\n\nBy The Associated Press\n\n"
        "Updated 4:12 PM GMT, February 24, 2023\n\n"
        "4:05 PM GMT\n\nUnion rejects pay offer\n\n"
        "PORTVILLE, Freedonia (AP) — The union rejected the owners' offer on Friday.\n\n"
        "It will meet again on Monday.\n\n"
        "2:40 PM GMT\n\nBRUSSELS (AP) — Ministers will discuss the strike next week.\n"
    )
    doc = read_bytes(text.encode(), source="ap.txt", meta=Provenance(outlet="AP"))
    first, second = _posts(doc)
    assert (first.title, first.dateline) == ("Union rejects pay offer", "PORTVILLE, Freedonia (AP)")
    assert first.published == datetime(2023, 2, 24, 16, 5, tzinfo=UTC)
    assert first.body.startswith("The union rejected") and "meet again" in first.body
    assert (second.title, second.dateline) == (None, "BRUSSELS (AP)")
    assert second.published == datetime(2023, 2, 24, 14, 40, tzinfo=UTC)


def test_guardian_records_without_update_lines_and_split_time_fields() -> None:
    text = (
        "Date: 2021-08-02\nTitle: Union rejects pay offer\nContent: The union said no.\n\n"
        "Date: 2021-08-02\nTitle: Talks resume\nContent: Delegates met.\n\n"
        "Update: 10.42 BST\nDate: 2 Aug 2021\nTitle:\nContent: Ferries stay in port.\n"
    )
    doc = read_bytes(text.encode(), source="g.txt", meta=Provenance(outlet="The Guardian"))
    posts = _posts(doc)
    assert [p.title for p in posts] == ["Union rejects pay offer", "Talks resume", None]
    assert posts[2].published == datetime(2021, 8, 2, 9, 42, tzinfo=UTC)
    assert posts[0].published.date() == date(2021, 8, 2)


def _jsonld_live_page(updates: list[dict], heading: str) -> bytes:
    """A page whose posts are a schema.org LiveBlogPosting's updates in its JSON-LD."""
    blob = json.dumps(
        {"@context": "https://schema.org", "@type": "LiveBlogPosting", "liveBlogUpdate": updates}
    )
    return (
        f'<html><head><script type="application/ld+json">{blob}</script></head>'
        f"<body><h1>{heading}</h1><p>Live coverage.</p></body></html>"
    ).encode()


def test_cnn_page_with_liveblogposting_jsonld() -> None:
    updates = [
        {
            "@type": "BlogPosting",
            "headline": "Analysis: Why the harbour talks matter",
            "datePublished": "2024-03-03T22:03:00Z",
            "articleBody": "From CNN’s Ivo Petrov\n\nThree ports depend on the ferry link.",
        },
        {
            "@type": "BlogPosting",
            "headline": "Union leaders arrive for talks",
            "datePublished": "2024-03-02T22:02:00Z",
            "articleBody": "Union leaders arrived at the harbour office.",
            "author": [{"@type": "Person", "name": "Lena Ortiz"}],
        },
    ]
    doc = read_bytes(
        _jsonld_live_page(updates, "Harbour talks: live updates"),
        source="https://edition.cnn.com/world/live-news/harbour-03-03-24",
    )
    assert (doc.format, doc.outlet) == ("cnn-live", "CNN")
    first, second = _posts(doc)
    assert (first.labels, first.title) == (["Analysis"], "Why the harbour talks matter")
    assert first.bylines == [Byline("Ivo Petrov")]
    assert first.body == "Three ports depend on the ferry link."
    assert first.published == datetime(2024, 3, 3, 22, 3, tzinfo=UTC)
    assert second.bylines == [Byline("Lena Ortiz")]


def test_jsonld_text_escaped_as_html_is_read_as_characters() -> None:
    # JSON-LD bodies are often HTML-escaped: the record holds the characters, so the
    # quotation marks are marks (a saved Mirror live page had 204 such posts)
    updates = [
        {
            "@type": "BlogPosting",
            "headline": "Mayor&#x2019;s warning",
            "datePublished": "2024-08-05T18:00:00Z",
            "articleBody": "Ana Ruiz posted: &#x201C;Be in no doubt.&#x201D; She called it &quot;thuggery&quot;.",
        }
    ]
    doc = read_bytes(
        _jsonld_live_page(updates, "Harbour unrest: live"),
        source="https://example.org/live/harbour-unrest",
    )
    (post,) = _posts(doc)
    assert post.title == "Mayor’s warning"
    assert post.body == 'Ana Ruiz posted: “Be in no doubt.” She called it "thuggery".'
