"""The briefing is extractive and every line cites posts that say it."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from sitroom.brief import BriefInput, brief_posts, brief_store, render_briefing
from sitroom.records import Document, Figure, Post, Quote
from sitroom.store import open_store

T0 = datetime(2024, 9, 2, 6, 0, tzinfo=UTC)

# An invented crisis, written for these tests.
POSTS = [
    (
        "Dam engineers warn of overflow",
        "Engineers at the Valmora dam say water is 40cm below the crest. The regional authority has ordered 12,000 people to leave three villages downstream.",
    ),
    (
        "Evacuation under way",
        "Buses are taking residents of Lisk and Orna to shelters in the regional capital. The authority says 12,000 people have been told to leave.",
    ),
    (
        "Minister disputes overflow risk",
        'The water minister, Petra Halm, says the dam "is not in danger of collapse" and the evacuation is a precaution.',
    ),
    (
        "Rain forecast to ease",
        "Forecasters expect the rain to ease by Tuesday evening, with river levels peaking overnight.",
    ),
    (
        "Thanks for joining us",
        "That's all from our live page team - thanks for following our coverage.",
    ),
    (
        "Evacuation figures revised",
        "The regional authority now says 15,000 people have left their homes across five villages.",
    ),
]


def inputs() -> list[BriefInput]:
    return [
        BriefInput(
            post_id=f"p{i}",
            title=title,
            body=body,
            published=T0 + timedelta(hours=i),
            labels=["Breaking"] if i == 0 else [],
            source="Example News",
        )
        for i, (title, body) in enumerate(POSTS)
    ]


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_bullets_are_verbatim_and_cite_real_posts():
    posts = inputs()
    briefing = brief_posts(posts)
    by_id = {p.post_id: p for p in posts}
    assert 3 <= len(briefing.bullets) <= 8
    for line in briefing.bullets:
        assert line.citations, line
        assert all(c in by_id for c in line.citations)
        first = by_id[line.citations[0]]
        assert normalise(line.text) in normalise(first.body)


def test_desk_chatter_is_not_a_bullet():
    briefing = brief_posts(inputs())
    assert not any("thanks for following" in line.text.lower() for line in briefing.bullets)


def test_repeated_claim_yields_one_bullet_citing_both_posts():
    posts = inputs()
    posts.append(
        BriefInput(
            post_id="dup",
            title="Repeat",
            body="The regional authority has ordered 12,000 people to leave three villages downstream.",
            published=T0 + timedelta(hours=7),
        )
    )
    briefing = brief_posts(posts, n_bullets=5)
    evacuation = [line for line in briefing.bullets if "ordered 12,000 people" in line.text]
    assert len(evacuation) == 1
    assert {"p0", "dup"} <= set(evacuation[0].citations)


def test_timeline_is_in_time_order_and_skips_sign_offs():
    timeline = brief_posts(inputs()).timeline
    times = [line.time for line in timeline]
    assert times == sorted(times)
    assert "Thanks for joining us" not in [line.text for line in timeline]
    assert timeline[0].text == "Dam engineers warn of overflow"


def test_key_quotes_and_changing_figures():
    posts = inputs()
    posts[2].quotes = [
        Quote(
            text="is not in danger of collapse",
            kind="direct",
            speaker="Petra Halm",
            field="body",
            start=0,
            end=1,
        )
    ]
    posts[0].figures = [
        Figure(
            text="12,000 people",
            value=12000,
            unit="people",
            field="body",
            start=0,
            end=1,
            counted="people",
        )
    ]
    posts[5].figures = [
        Figure(
            text="15,000 people",
            value=15000,
            unit="people",
            field="body",
            start=0,
            end=1,
            counted="people",
        )
    ]
    briefing = brief_posts(posts)
    assert briefing.key_quotes[0].actor == "Petra Halm"
    assert briefing.key_quotes[0].quotes[0].citations == ["p2"]
    [change] = briefing.figures_changed
    assert change.values == [12000, 15000]
    assert [p.citations for p in change.points] == [["p0"], ["p5"]]


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_renderers_show_every_bullet(fmt):
    briefing = brief_posts(inputs())
    out = render_briefing(briefing, fmt)
    if fmt == "json":
        data = json.loads(out)
        assert [b["text"] for b in data["bullets"]] == [b.text for b in briefing.bullets]
    else:
        for line in briefing.bullets:
            assert line.text.split()[0] in out


def test_html_escapes_page_text():
    posts = inputs()
    posts[
        0
    ].body = 'Officials said <script>alert("x")</script> the bridge at Orna is closed to all traffic tonight.'
    out = render_briefing(brief_posts(posts, n_bullets=8), "html")
    assert "<script>" not in out
    assert "&lt;script&gt;" in out


def test_brief_store_defaults_to_the_last_day_of_the_record(tmp_path):
    old = Post(
        key="old",
        position=2,
        title="Old news",
        body="A week ago the river was calm and nothing much happened at all.",
        published=T0 - timedelta(days=7),
    )
    posts = [
        Post(
            key=f"k{i}", position=10 - i, title=title, body=body, published=T0 + timedelta(hours=i)
        )
        for i, (title, body) in enumerate(POSTS)
    ]
    doc = Document(
        source="https://example.org/live", kind="live", format="live-text", posts=[*posts, old]
    )
    with open_store(tmp_path / "b.db") as store:
        store.ingest_document(doc)
        briefing = brief_store(store)
        ids = {p.id: p for p in store.posts()}
    cited = {c for line in briefing.bullets + briefing.timeline for c in line.citations}
    assert cited and cited <= set(ids)
    assert all(ids[c].key != "old" for c in cited)
    assert briefing.posts == len(POSTS)


def test_seed_briefing_beats_titles_baseline(gold_dir, seeds_dir):
    from sitroom.eval import EvalContext
    from sitroom.eval.briefing import score

    pytest.importorskip("sitroom.read", reason="readers needed")
    from sitroom.read.article_text import read_article_text
    from sitroom.read.live_text import looks_like_live_text, read_live_text

    ctx = EvalContext(gold_dir=gold_dir, corpus_dir=seeds_dir)
    for path in seeds_dir.iterdir():
        text = path.read_text(encoding="utf-8")
        reader = read_live_text if looks_like_live_text(text) else read_article_text
        ctx._documents[path.name] = reader(text, source=str(path))
    result = score(ctx)
    assert result["docs"] >= 2
    assert result["rouge2"] > result["titles_rouge2"]
    assert result["rouge1"] >= 0.30
