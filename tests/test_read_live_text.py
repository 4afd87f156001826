"""Plain-text readers: live pages (BBC-style copy) and articles. Pages here are invented."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest

from sitroom.read.article_text import read_article_text
from sitroom.read.live_text import looks_like_live_text, read_live_text
from sitroom.records import Byline


@pytest.fixture()
def gmt_page(fixtures_dir: Path):
    text = (fixtures_dir / "text" / "live_gmt_page.txt").read_text(encoding="utf-8")
    return read_live_text(text, source="fixture")


def _post(doc, position: int):
    return next(p for p in doc.posts if p.kind == "post" and p.position == position)


def test_summary_bullets_and_summary_post(gmt_page) -> None:
    assert len(gmt_page.summary) == 3
    assert gmt_page.summary[1].startswith("The regional governor says")
    first = gmt_page.posts[0]
    assert (first.kind, first.position, first.key, first.title) == (
        "summary",
        0,
        "summary",
        "Summary",
    )
    assert first.body.split("\n") == [f"• {b}" for b in gmt_page.summary]


def test_numbered_posts_titles_and_times(gmt_page) -> None:
    posts = [p for p in gmt_page.posts if p.kind == "post"]
    assert [p.position for p in posts] == [1, 2, 3, 4, 5]
    assert posts[0].title == "We're pausing our coverage here"
    assert posts[1].published == datetime(2023, 3, 3, 17, 40, tzinfo=UTC)
    assert not any(p.time_inferred for p in posts)
    assert gmt_page.warnings == []


def test_label_before_and_after_title(gmt_page) -> None:
    assert _post(gmt_page, 2).labels == ["Analysis"]
    assert _post(gmt_page, 2).title == "Why the barrier matters for the whole coast"
    assert _post(gmt_page, 3).labels == ["Breaking"]
    assert _post(gmt_page, 1).labels == []


def test_byline_with_role_and_image_kept_out_of_body(gmt_page) -> None:
    post = _post(gmt_page, 2)
    assert post.bylines == [Byline("Mira Okafor", "Environment correspondent")]
    assert post.body.startswith("The barrier was built after the floods")
    (image,) = post.media
    assert image.source == "Coastal Press"
    assert image.alt == "Engineers closing the gates of the barrier at dusk"
    assert image.caption == "The gates were closed shortly before the surge arrived"
    assert "gates were closed" not in post.body


def test_bare_name_line_is_a_picture_not_a_byline(gmt_page) -> None:
    post = _post(gmt_page, 3)
    assert post.bylines == []
    assert [m.alt for m in post.media] == ["Lena Varga"]
    assert post.body.startswith("Governor Lena Varga told reporters")


def test_bullet_list_inside_post(gmt_page) -> None:
    paragraphs = _post(gmt_page, 3).body.split("\n\n")
    assert paragraphs[-2].endswith("return:")
    assert paragraphs[-1].split("\n") == [
        "• The water level at the inner lock",
        "• A structural check of the two road bridges",
        "• Power being restored to the pumping station",
    ]


def test_media_caption_and_trailing_alt_text(gmt_page) -> None:
    post = _post(gmt_page, 4)
    assert [m.kind for m in post.media] == ["video", "image"]
    assert post.media[0].caption.startswith("Watch: Families queue")
    assert post.media[1].alt.startswith("A map showing")
    assert post.body.startswith("About 4,200 people")
    assert "Watch:" not in post.body and "A map showing" not in post.body


def test_team_credit_is_a_byline_without_role(gmt_page) -> None:
    assert _post(gmt_page, 5).bylines == [Byline("Regional Picture Desk", None)]


def test_post_key_does_not_depend_on_position(gmt_page, fixtures_dir: Path) -> None:
    text = (fixtures_dir / "text" / "live_gmt_page.txt").read_text(encoding="utf-8")
    # The page grows: a new post 1 goes on top and every number shifts by one.
    grown = text.replace("  5. ", "  6. ").replace("  4. ", "  5. ").replace("  3. ", "  4. ")
    grown = grown.replace("  2. ", "  3. ").replace("  1. ", "  2. ")
    top = "  1. A new updatepublished at 18:30 Greenwich Mean Time 3 March 2023\n\n    News.\n\n"
    grown = grown.replace("  2. We're", top + "  2. We're")
    regrown = read_live_text(grown, source="fixture")
    old_keys = {p.title: p.key for p in gmt_page.posts}
    new_keys = {p.title: p.key for p in regrown.posts}
    assert all(new_keys[title] == key for title, key in old_keys.items())
    assert _post(regrown, 3).title == "Why the barrier matters for the whole coast"


def test_same_stamp_and_title_get_distinct_keys() -> None:
    page = (
        "  1. Latest figurespublished at 10:00 GMT 1 May 2024\n\n    Second text.\n\n"
        "  2. Latest figurespublished at 10:00 GMT 1 May 2024\n\n    First text.\n"
    )
    keys = [p.key for p in read_live_text(page, source="t").posts]
    assert len(set(keys)) == 2 and keys[1].endswith("#2")


def test_truncated_page_keeps_what_parses_and_warns(fixtures_dir: Path) -> None:
    text = (fixtures_dir / "text" / "live_gmt_page.txt").read_text(encoding="utf-8")
    cut = text[: text.index("  4. Shelters") + len("  4. Shelters fill up in the up")]
    doc = read_live_text(cut, source="t")
    # Post 4 was cut inside its header: no post is made of it (issue 14), the read warns.
    assert [p.position for p in doc.posts if p.kind == "post"] == [1, 2, 3]
    assert doc.warnings and any("post 4" in w and "incomplete" in w for w in doc.warnings)
    assert _post(doc, 3).body.startswith("Governor Lena Varga")


def test_garbage_gives_no_posts_and_a_warning() -> None:
    doc = read_live_text("\x00\x01 not a page at all", source="t")
    assert doc.posts == [] and doc.warnings


def test_looks_like_live_text(fixtures_dir: Path) -> None:
    live = (fixtures_dir / "text" / "live_gmt_page.txt").read_text(encoding="utf-8")
    article = (fixtures_dir / "text" / "article_byline.txt").read_text(encoding="utf-8")
    assert looks_like_live_text(live)
    assert not looks_like_live_text(article)
    assert not looks_like_live_text("1. First point\n2. Second point\n")


def test_seed_live_pages_are_recognised(seeds_dir: Path) -> None:
    kinds = {
        p.name: looks_like_live_text(p.read_text(encoding="utf-8")) for p in seeds_dir.glob("*.txt")
    }
    assert sum(kinds.values()) == 4 and len(kinds) == 5


# --- the bundled demo page ---------------------------------------------------------------------


def test_sample_page_parses_with_bst_times_across_midnight() -> None:
    text = resources.files("sitroom.data").joinpath("sample_live_page.txt").read_text("utf-8")
    assert looks_like_live_text(text)
    doc = read_live_text(text, source="sample", now=datetime(2030, 1, 1, tzinfo=UTC))
    posts = [p for p in doc.posts if p.kind == "post"]
    assert [p.position for p in posts] == list(range(1, 16))
    assert len(doc.summary) == 5 and doc.posts[0].kind == "summary"
    assert doc.warnings == []
    # The year comes from the dated photo caption on the page, not from the ingest date.
    assert posts[0].published == datetime(2025, 6, 14, 9, 42, tzinfo=UTC)
    # 00:35 BST on 14 June is still 13 June in UTC.
    assert posts[7].published == datetime(2025, 6, 13, 23, 35, tzinfo=UTC)
    assert posts[-1].published == datetime(2025, 6, 13, 19, 30, tzinfo=UTC)
    times = [p.published for p in posts]
    assert times == sorted(times, reverse=True)
    assert {"Analysis", "Breaking"} <= {label for p in posts for label in p.labels}
    assert all(b.role for p in posts for b in p.bylines)
    assert all("Image source" not in p.body and "Image caption" not in p.body for p in posts)


# --- articles -------------------------------------------------------------------------------------


def test_article_title_byline_and_body(fixtures_dir: Path) -> None:
    text = (fixtures_dir / "text" / "article_byline.txt").read_text(encoding="utf-8")
    doc = read_article_text(text, source="a")
    assert (doc.kind, doc.format) == ("article", "article-text")
    assert doc.title == "Ferry links cut as storm moves north"
    assert doc.bylines == [
        Byline("Hanne Osterby", "Transport reporter covering the northern ports")
    ]
    (post,) = doc.posts
    assert (post.kind, post.position, post.key, post.title) == ("article", 1, "article", doc.title)
    assert post.body.startswith("Ferry operators cancelled")
    assert "Follow" not in post.body and "Hanne Osterby" not in post.body
    assert len(post.body.split("\n\n")) == 3


def test_article_without_title_and_with_date_hint() -> None:
    text = (
        "Rescuers reached the village on Tuesday after the road reopened.\n\n"
        "Ola Brenn\n\nCorrespondent in the north.\n\n"
        "The council said repairs would take weeks.\n"
    )
    doc = read_article_text(text, source="a", date_hint=datetime(2021, 4, 6).date())
    assert doc.title is None
    assert doc.bylines == [Byline("Ola Brenn", "Correspondent in the north")]
    assert doc.published == datetime(2021, 4, 6, tzinfo=UTC) and doc.posts[0].time_inferred
    assert doc.posts[0].body.count("\n\n") == 1


def test_article_dateline_gives_published() -> None:
    text = "Storm closes ports\n\nPublished 7 November 2022\n\nBy Kai Lund\n\nPorts shut early today.\n"
    doc = read_article_text(text, source="a")
    assert doc.published == datetime(2022, 11, 7, tzinfo=UTC)
    assert doc.bylines == [Byline("Kai Lund")]
    assert doc.posts[0].body == "Ports shut early today."


def test_copy_without_blank_lines_or_indentation(fixtures_dir: Path) -> None:
    text = (fixtures_dir / "text" / "live_gmt_page.txt").read_text(encoding="utf-8")
    flat = "\r\n".join(line.strip() for line in text.split("\n") if line.strip())
    doc = read_live_text(flat, source="flat")
    assert [p.position for p in doc.posts] == [0, 1, 2, 3, 4, 5]
    assert _post(doc, 2).bylines == [Byline("Mira Okafor", "Environment correspondent")]
    assert (
        _post(doc, 2).media[0].caption == "The gates were closed shortly before the surge arrived"
    )
    assert _post(doc, 2).body.startswith("The barrier was built")
    assert _post(doc, 3).labels == ["Breaking"] and _post(doc, 3).bylines == []
    assert _post(doc, 3).body.split("\n\n")[-1].count("• ") == 3


def test_stamp_on_its_own_line_and_two_reporters() -> None:
    page = (
        "  1. Breaking\n\n    Bridge reopens\n    published at 08:15 British Summer Time 4 August 2024\n\n"
        "    Jo Marsh\n    Transport correspondent\n    Ravi Tell\n    Reporting from Linden\n\n"
        "    The bridge reopened this morning.\n\n"
        "  2. Bridge still closedpublished at 07:00 British Summer Time 4 August 2024\n\n"
        "    Engineers are checking the bridge.\n"
    )
    doc = read_live_text(page, source="t")
    first = _post(doc, 1)
    assert (first.title, first.labels) == ("Bridge reopens", ["Breaking"])
    assert first.published == datetime(2024, 8, 4, 7, 15, tzinfo=UTC)
    assert first.bylines == [
        Byline("Jo Marsh", "Transport correspondent"),
        Byline("Ravi Tell", "Reporting from Linden"),
    ]
    assert first.body == "The bridge reopened this morning."


def test_bare_name_between_paragraphs_is_a_picture() -> None:
    page = (
        "  1. Minister speakspublished at 10:00 GMT 1 May 2024\n\n"
        "    The minister spoke to reporters.\n\n    Hana Keller\n\n    She said talks would go on.\n"
    )
    post = read_live_text(page, source="t").posts[0]
    assert post.body == "The minister spoke to reporters.\n\nShe said talks would go on."
    assert [m.alt for m in post.media] == ["Hana Keller"]


def test_page_headline_above_summary() -> None:
    page = (
        "Live Reporting\n\nEdited by Pia Norr\n\nFlood barrier holds as storm passes\n\nSummary\n\n"
        "  • The barrier held\n\n"
        "  1. Barrier holdspublished at 10:00 GMT 1 May 2024\n\n    The barrier held overnight.\n"
    )
    doc = read_live_text(page, source="t")
    assert doc.title == "Flood barrier holds as storm passes"
    assert doc.summary == ["The barrier held"]


def test_seed_pages_without_headline_have_no_title(seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if looks_like_live_text(text) and text.lstrip().startswith("Summary"):
            assert read_live_text(text, source=path.name).title is None


def test_numbered_list_inside_a_post_is_not_a_post() -> None:
    page = (
        "1. Three demandspublished at 10:00 GMT 1 May 2024\n\nThe unions listed three demands:\n\n"
        "2. Higher pay\n\n3. Shorter shifts\n\n"
        "2. Talks beginpublished at 09:00 GMT 1 May 2024\n\nTalks began this morning.\n"
    )
    doc = read_live_text(page, source="t")
    assert [(p.position, p.title) for p in doc.posts] == [(1, "Three demands"), (2, "Talks begin")]
    assert "Higher pay" in doc.posts[0].body


def test_unpunctuated_lead_in_to_a_list_is_body() -> None:
    page = (
        "  1. Latestpublished at 10:00 GMT 1 May 2024\n\n"
        "    Rescue boats at the harbour wall\n\n    Here is where things stand\n\n"
        "    • Roads closed\n    • Schools shut\n"
    )
    post = read_live_text(page, source="t").posts[0]
    assert post.body == "Here is where things stand\n\n• Roads closed\n• Schools shut"
    assert [m.alt for m in post.media] == ["Rescue boats at the harbour wall"]


def test_article_picture_caption_and_first_paragraph_not_a_role() -> None:
    text = (
        "Storm hits coast\n\nWaves over the sea wallImage source, Coastal Press\nImage caption,\n\n"
        "Waves broke over the sea wall\n\nPer Vinter\n\n"
        "The storm reached the coast at dawn, flooding the promenade and closing the harbour.\n"
    )
    doc = read_article_text(text, source="a")
    (picture,) = doc.posts[0].media
    assert (picture.alt, picture.source, picture.caption) == (
        "Waves over the sea wall",
        "Coastal Press",
        "Waves broke over the sea wall",
    )
    assert doc.bylines == [Byline("Per Vinter")]
    assert doc.posts[0].body.startswith("The storm reached the coast at dawn")


def test_wrapped_bullet_lines_continue_their_item() -> None:
    page = (
        "Summary\n\n  • Rivers are rising across the\n    northern valleys\n\n  • Schools shut\n\n"
        "  1. Latestpublished at 10:00 GMT 1 May 2024\n\n    Where things stand:\n\n"
        "    • Roads closed in the\n      upper town\n    • Ferries cancelled\n"
    )
    doc = read_live_text(page, source="t")
    assert doc.summary == ["Rivers are rising across the northern valleys", "Schools shut"]
    assert doc.posts[1].body == (
        "Where things stand:\n\n• Roads closed in the upper town\n• Ferries cancelled"
    )


ROLELESS = """  1. Harbour reopens after stormpublished at 10:00 Greenwich Mean Time 3 March 2024

    {first}
{gap}

    The harbour reopened on Sunday morning, the port authority said.
"""


@pytest.mark.parametrize(
    ("first", "gap", "byline", "alt"),
    [
        ("Coastal Radio Sport", "    ", "Coastal Radio Sport", None),  # empty role line under it
        ("Mara Quist", "  ", "Mara Quist", None),  # a person credited with an empty role line
        ("BBC Monitoring", "", "BBC Monitoring", None),  # a newsroom: acronym in the name
        ("Reuters", "", "Reuters", None),  # a newsroom: one word
        ("Mara Quist", "", None, "Mara Quist"),  # a bare personal name is a picture's caption
    ],
)
def test_byline_without_a_role_line(first, gap, byline, alt) -> None:
    doc = read_live_text(ROLELESS.format(first=first, gap=gap), source="t")
    post = doc.posts[0]
    assert [b.name for b in post.bylines] == ([byline] if byline else [])
    assert all(b.role is None for b in post.bylines)
    assert [m.alt for m in post.media] == ([alt] if alt else [])
    assert post.body.startswith("The harbour reopened")


@pytest.mark.parametrize(
    ("name", "role", "byline"),
    [
        (
            "The Harbour Hour",
            "BBC Radio Portville",
            True,
        ),  # a programme, "at"-less but a newsroom role
        ("Mara ten Quist", "Coastal affairs correspondent", True),  # a lower-case particle
        ("Ivo Petrov, Transport Correspondent", "BBC Spotlight", True),  # role after a comma
        ("Ships wait outside the harbour", "as the storm passes", False),  # a caption, not a credit
    ],
)
def test_name_and_role_at_the_top_of_a_post(name: str, role: str, byline: bool) -> None:
    text = ROLELESS.replace("{first}\n{gap}\n", f"{name}\n    {role}\n")
    post = read_live_text(text, source="t").posts[0]
    assert post.bylines == ([Byline(name, role)] if byline else [])
    assert post.body.startswith("The harbour reopened")
