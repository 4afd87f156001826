"""What a page knows besides its text: manifest, --url/--retrieved/--outlet, the reference
point for missing years and dates, and outlets."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from typer.testing import CliRunner

from sitroom.cli.app import app
from sitroom.read import read_bytes, read_path
from sitroom.read.inputs import iter_inputs
from sitroom.read.manifest import parse_retrieved, read_manifest
from sitroom.read.names import outlet_for_host, people_in_byline
from sitroom.read.times import elapsed_years
from sitroom.records import Byline, Provenance
from sitroom.store import open_store

runner = CliRunner()

YEARLESS_PAGE = """Summary

  • Talks on the harbour dispute resume.

  1. Talks resume at the harbourpublished at 09:45 Greenwich Mean Time 13 February

    Delegates met at the harbour office this morning, officials said.

  2. Ferry services suspendedpublished at 08:10 Greenwich Mean Time 13 February

    Ferries will not sail until the talks end, the operator said.
"""


def _when(day: str) -> Provenance:
    return Provenance(retrieved=parse_retrieved(day))


@pytest.mark.parametrize(
    ("retrieved", "year"),
    [
        ("2025-02-13", 2025),  # the same day: that year
        ("2025-02-12", 2024),  # the day before 13 February: the year before
        ("2023-11-30", 2023),
        ("2022-02-14", 2022),
        ("2030-01-01", 2029),
    ],
)
def test_yearless_page_is_never_dated_after_its_reference_point(retrieved, year) -> None:
    doc = read_bytes(YEARLESS_PAGE.encode(), source="page.txt", meta=_when(retrieved))
    posts = [p for p in doc.posts if p.kind == "post"]
    assert [p.published for p in posts] == [
        datetime(year, 2, 13, 9, 45, tzinfo=UTC),
        datetime(year, 2, 13, 8, 10, tzinfo=UTC),
    ]
    assert all(p.time_inferred for p in posts)
    reference = parse_retrieved(retrieved)
    assert all(p.published <= reference for p in posts)


def test_without_a_manifest_the_ingest_time_is_the_reference() -> None:
    now = datetime(2026, 2, 1, tzinfo=UTC)  # before 13 February 2026
    doc = read_bytes(YEARLESS_PAGE.encode(), source="page.txt", now=now)
    assert doc.posts[1].published == datetime(2025, 2, 13, 9, 45, tzinfo=UTC)
    assert doc.retrieved == now


def test_named_weekday_picks_the_latest_year_not_after_retrieval() -> None:
    page = YEARLESS_PAGE.replace("13 February", "Thursday 13 February")
    # 13 February was a Thursday in 2025 and in 2020; retrieved in 2026, 2025 is the latest.
    doc = read_bytes(page.encode(), source="p.txt", meta=_when("2026-06-01"))
    assert doc.posts[1].published == datetime(2025, 2, 13, 9, 45, tzinfo=UTC)
    # Retrieved in early 2025, before the 2025 date: the Thursday before that is in 2020.
    doc = read_bytes(page.encode(), source="p.txt", meta=_when("2025-01-10"))
    assert doc.posts[1].published == datetime(2020, 2, 13, 9, 45, tzinfo=UTC)


def test_years_since_a_named_year_are_evidence() -> None:
    assert elapsed_years("It is nearly three years since the war began in 2022.") == [2025]
    assert elapsed_years("The bridge opened in 2019, more than 4 years late.") == [2023]
    assert elapsed_years("Three years ago, in 2021, the port closed.") == []
    assert elapsed_years("The treaty of 2011 will run for ten years' time.") == []
    page = YEARLESS_PAGE.replace(
        "officials said.", "officials said, nearly three years after the blockade of 2022."
    )
    doc = read_bytes(page.encode(), source="p.txt", now=datetime(2026, 11, 1, tzinfo=UTC))
    assert doc.posts[1].published.year == 2025


def test_article_with_no_date_takes_its_reference_day_marked_inferred() -> None:
    text = "Harbour talks resume\n\nDelegates met at the harbour office, officials said.\n"
    doc = read_bytes(text.encode(), source="a.txt", meta=_when("2022-02-15"))
    assert doc.kind == "article"
    assert doc.published == datetime(2022, 2, 15, tzinfo=UTC)
    assert doc.time_inferred and doc.posts[0].time_inferred


def test_manifest_is_read_and_never_a_document(tmp_path) -> None:
    (tmp_path / "a.txt").write_text(YEARLESS_PAGE, encoding="utf-8")
    (tmp_path / "MANIFEST.jsonl").write_text(
        json.dumps(
            {
                "file": "a.txt",
                "url": "https://www.cnn.com/x",
                "outlet": None,
                "retrieved": "2024-03-01",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    assert read_manifest(tmp_path)["a.txt"].retrieved == datetime(
        2024, 3, 1, 23, 59, 59, tzinfo=UTC
    )
    items = list(iter_inputs([str(tmp_path)]))
    assert [i.path.name for i in items] == ["a.txt"]
    assert items[0].meta.url == "https://www.cnn.com/x"
    assert list(iter_inputs([str(tmp_path / "MANIFEST.jsonl")])) == []
    doc = read_path(tmp_path / "a.txt")
    assert doc.outlet == "CNN"  # from the URL's host
    assert doc.url == "https://www.cnn.com/x"
    assert doc.posts[1].published.year == 2024


def test_broken_manifest_line_is_reported(tmp_path) -> None:
    (tmp_path / "a.txt").write_text(YEARLESS_PAGE, encoding="utf-8")
    (tmp_path / "MANIFEST.jsonl").write_text('{"file": "a.txt", "retrieved": "soon"}\n')
    items = list(iter_inputs([str(tmp_path)]))
    assert items[0].kind == "missing" and "MANIFEST.jsonl:1" in items[0].problem


def test_cli_ingest_file_with_url_retrieved_outlet(tmp_path) -> None:
    page = tmp_path / "saved.txt"
    page.write_text(YEARLESS_PAGE, encoding="utf-8")
    db = tmp_path / "s.db"
    result = runner.invoke(
        app,
        [
            "ingest", str(page), "--db", str(db), "--no-enrich",
            "--url", "https://example.org/live/harbour", "--retrieved", "2023-03-01",
            "--outlet", "Harbour Gazette",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        posts = [p for p in store.posts() if p.kind == "post"]
        docs = store.documents()
    assert {p.outlet for p in posts} == {"Harbour Gazette"}
    assert {p.published.year for p in posts} == {2023}
    assert docs[0].url == "https://example.org/live/harbour"
    assert docs[0].retrieved.date().isoformat() == "2023-03-01"
    bad = runner.invoke(app, ["ingest", str(page), "--db", str(db), "--retrieved", "March"])
    assert bad.exit_code == 2


@pytest.mark.parametrize(
    ("host", "outlet"),
    [
        ("edition.cnn.com", "CNN"),
        ("www.theguardian.com", "The Guardian"),
        ("apnews.com", "AP"),
        ("www.aljazeera.com", "Al Jazeera"),
        ("www.bbc.co.uk", "BBC"),
        ("example.org", None),
    ],
)
def test_outlet_from_host(host, outlet) -> None:
    assert outlet_for_host(host) == outlet


def test_byline_people_and_outlet() -> None:
    assert people_in_byline("By Mara Quist and Tobias Reyes, CNN") == (
        [Byline("Mara Quist"), Byline("Tobias Reyes")],
        "CNN",
    )
    assert people_in_byline("From CNN’s Lena Ortiz, Sam Dahl and Ivo Petrov") == (
        [Byline("Lena Ortiz"), Byline("Sam Dahl"), Byline("Ivo Petrov")],
        "CNN",
    )
    assert people_in_byline("By The Associated Press") == ([], "AP")


def test_date_hint_from_manifest_url() -> None:
    meta = Provenance(url="https://news.example/world/live/2019/mar/01/harbour")
    page = YEARLESS_PAGE.replace("13 February", "1 March")
    doc = read_bytes(page.encode(), source="x.txt", meta=meta, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert doc.posts[1].published.date() == date(2019, 3, 1)


def test_outlet_from_the_credits_when_nothing_else_names_it() -> None:
    page = YEARLESS_PAGE.replace(
        "    Delegates met", "    Mara Quist\n    BBC harbour correspondent\n\n    Delegates met"
    )
    doc = read_bytes(page.encode(), source="page.txt", now=datetime(2026, 1, 1, tzinfo=UTC))
    assert doc.outlet == "BBC"
    assert read_bytes(YEARLESS_PAGE.encode(), source="page.txt").outlet is None


def test_fetched_url_knows_its_address_and_fetch_time() -> None:
    import httpx

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=YEARLESS_PAGE, headers={"content-type": "text/plain"})

    client = httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True)
    (item,) = iter_inputs(["https://www.bbc.co.uk/news/live/harbour"])
    before = datetime.now(UTC)
    data, content_type = item.load(client=client)
    assert item.meta.url == "https://www.bbc.co.uk/news/live/harbour"
    assert before <= item.meta.retrieved <= datetime.now(UTC)
    doc = read_bytes(data, source=item.source, content_type=content_type, meta=item.meta)
    assert doc.outlet == "BBC" and doc.retrieved == item.meta.retrieved


def test_briefing_marks_inferred_times_and_shows_years_when_it_spans_them() -> None:
    from sitroom.brief import BriefInput, brief_posts
    from sitroom.brief.render import render_markdown

    posts = [
        BriefInput(
            post_id="a" * 16,
            title="Harbour talks resume after the winter break",
            body="Delegates met at the harbour office on Friday, officials said.",
            published=datetime(2024, 12, 30, 9, 0, tzinfo=UTC),
            time_inferred=True,
        ),
        BriefInput(
            post_id="b" * 16,
            title="Ferry services resume across the coast",
            body="Ferries sailed again from Portville on Monday morning, the operator said.",
            published=datetime(2025, 1, 6, 9, 0, tzinfo=UTC),
        ),
    ]
    briefing = brief_posts(posts)
    assert briefing.times_inferred == 1
    text = render_markdown(briefing)
    assert "1 times inferred" in text
    assert "30 Dec 2024 09:00~" in text and "06 Jan 2025 09:00" in text
