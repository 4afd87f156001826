"""Live pages as HTML: Guardian live blogs, BBC live pages and other live blogs.

Posts are taken from the markup where it marks them: a container with its own id holding a
<time datetime>, a headline and paragraphs (the Guardian's `block-<id>` articles, the BBC's
post list items). Where no such structure is found the page's visible text is read with the
plain-text live reader, which knows the "published at HH:MM" shape the BBC's pages show.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from lxml import html as lxml_html

from sitroom.read.html_text import parse_html, text_of
from sitroom.read.live_text import PUBLISHED_RE, read_live_text
from sitroom.read.page import Page
from sitroom.read.times import YearEvidence, parse_stamp, to_utc
from sitroom.records import Byline, Document, Media, Post

_LABEL_RE = re.compile(
    r"^(breaking|analysis|key event|summary|pinned|bbc verify|explainer|watch|live|correction|update)$",
    re.IGNORECASE,
)
_CLASS_BYLINE_RE = re.compile(r"contributor|byline|author", re.IGNORECASE)
_CLASS_LABEL_RE = re.compile(r"label|badge|tag|kicker|key-event|breaking", re.IGNORECASE)


_MAX_DATETIME_CHARS = 64  # a datetime attribute is never longer; longer is damaged markup


def _parse_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        if len(value) > _MAX_DATETIME_CHARS:
            return None  # not a time: a damaged attribute (dateparser would take seconds)
        import dateparser  # lazy: a heavy parser, for the rare time ISO cannot read

        parsed = dateparser.parse(
            value,
            languages=["en"],  # every language's patterns compiled per call cost seconds
            settings={"TIMEZONE": "UTC", "RETURN_AS_TIMEZONE_AWARE": True},
        )
        if parsed is None:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # a time at the very edge of the calendar (year 1 or 9999)
        return None


def _classes(el) -> str:
    return (
        (el.get("class") or "")
        + " "
        + (el.get("data-testid") or "")
        + " "
        + (el.get("data-gu-name") or "")
    )


def _post_containers(root) -> list:
    """Elements that each hold one post: an id'd container with its own <time datetime>."""
    found = list(root.xpath("//*[@data-testid='content-post']"))  # the BBC's current layout
    for el in root.xpath("//*[@id and (self::article or self::div or self::li or self::section)]"):
        if el.get("id", "").startswith(("block-", "post-", "lx-", "live-post")) or (
            el.xpath(".//time[@datetime]") and el.xpath(".//p")
        ):
            found.append(el)
    # Keep innermost containers: a page wrapper with an id also holds times and <p>s.
    chosen = set(found)
    return [el for el in found if not any(d in chosen for d in el.iterdescendants())]


def _strong_byline(el) -> Byline | None:
    """The BBC's byline paragraph: a name in <strong>, then the role after a <br>; the
    paragraph is taken out of the post."""
    for p in el.xpath(".//p[.//strong and .//br]"):
        strong = p.xpath(".//strong")[0]
        name = " ".join(strong.text_content().split())
        words = " ".join(p.text_content().split())
        if name and len(words.split()) <= 16 and words.startswith(name):
            role = words[len(name) :].strip() or None
            p.drop_tree()
            return Byline(name, role)
    return None


def _post_from(el, position: int) -> tuple[Post, str | None] | None:
    """The post an element holds, and its time as text when the markup gives no
    machine-readable one ("published at 14:48 BST 20 April")."""
    time_el = el.xpath(".//time[@datetime]")
    published = _parse_datetime(time_el[0].get("datetime")) if time_el else None
    stamp_el = el.xpath(".//*[@data-testid='accessible-timestamp']")
    stamp_text = " ".join(stamp_el[0].text_content().split()) if stamp_el else None
    for stamp in el.xpath(".//*[@data-testid='timestamp']"):
        stamp.drop_tree()  # the time sits inside the BBC's heading: it is not the title
    heading = el.xpath(".//h1|.//h2|.//h3")
    title = text_of(heading[0]).replace("\n", " ") if heading else None
    labels: list[str] = []
    bylines: list[Byline] = []
    media: list[Media] = []
    strong = _strong_byline(el)
    if strong is not None:
        bylines.append(strong)
    if el.get("data-block-contributor"):
        bylines.append(Byline(el.get("data-block-contributor").strip()))
    classes = _classes(el).lower()
    if "key-event" in classes or "key_event" in classes:
        labels.append("Key event")
    if "pinned" in classes:
        labels.append("Pinned")
    for node in el.iter():
        if not isinstance(node.tag, str) or node is el:
            continue
        cls = _classes(node)
        text = " ".join(node.text_content().split())
        if _CLASS_LABEL_RE.search(cls) and _LABEL_RE.match(text) and text.title() not in labels:
            labels.append(text if text.isupper() is False else text.title())
        elif _CLASS_BYLINE_RE.search(cls) and text and not bylines and len(text.split()) <= 12:
            name_el = node.xpath(".//*[contains(@class,'name')]")
            role_el = node.xpath(".//*[contains(@class,'role') or contains(@class,'title')]")
            if name_el:
                bylines.append(
                    Byline(
                        " ".join(name_el[0].text_content().split()),
                        " ".join(role_el[0].text_content().split()) if role_el else None,
                    )
                )
            else:
                bylines.append(Byline(text))
    for fig in el.xpath(".//figure"):
        caption = fig.xpath(".//figcaption")
        img = fig.xpath(".//img")
        media.append(
            Media(
                kind="video" if fig.xpath(".//video") else "image",
                caption=" ".join(caption[0].text_content().split()) if caption else None,
                alt=img[0].get("alt") if img else None,
            )
        )
        fig.drop_tree()
    paragraphs = []
    for node in el.xpath(".//p|.//li|.//blockquote"):
        inner = []
        for anc in node.iterancestors():
            if anc is el:
                break
            inner.append(anc.tag)
        if "figure" in inner or (node.tag == "p" and ("li" in inner or "blockquote" in inner)):
            continue
        if _CLASS_BYLINE_RE.search(_classes(node)) or _CLASS_LABEL_RE.search(_classes(node)):
            continue
        text = " ".join(node.text_content().split())
        if not text:
            continue
        paragraphs.append(("• " + text) if node.tag == "li" else text)
    if not paragraphs and not title:
        return None
    key = el.get("id") or f"{published.isoformat() if published else position}|{title}"
    post = Post(
        key=key,
        position=position,
        title=title,
        body="\n\n".join(paragraphs),
        published=published,
        labels=labels,
        bylines=bylines,
        media=media,
        url=None,
    )
    return post, (stamp_text if published is None else None)


def read_live_html(page: Page) -> Document:
    text, source = page.text, page.source
    root = parse_html(text)
    warnings = []
    if not re.search(r"</html\s*>", text[-2000:], re.IGNORECASE):
        warnings.append("the page ends before </html>: it may be truncated, kept what parsed")
    title_el = (
        root.xpath("//meta[@property='og:title']/@content")
        or root.xpath("//h1//text()")
        or root.xpath("//title/text()")
    )
    page_title = " ".join(str(title_el[0]).split()) if title_el else None
    posts: list[Post] = []
    stamps: dict[str, str] = {}  # post key -> its time as text, to resolve below
    for el in _post_containers(root):
        found = _post_from(el, len(posts) + 1)
        if found is not None:
            posts.append(found[0])
            if found[1]:
                stamps[found[0].key] = found[1]
    summary = [
        " ".join(li.text_content().split())
        for li in root.xpath(
            "//*[contains(@class,'summary') or contains(@data-testid,'summary')]//li"
        )
    ]
    updates = jsonld_updates(text)
    if len(updates) > len(posts):  # the page's list is longer than the markup shows
        posts = [_post_from_jsonld(u, n) for n, u in enumerate(updates, 1)]
    _complete_times(posts, stamps, updates, page)
    if len(posts) < 1:
        # No post markup we know: read what a person sees, as the plain-text reader would.
        document = read_live_text(
            page.visible,
            source=source,
            date_hint=page.date_hint,
            now=page.now,
            retrieved=page.retrieved,
        )
        document.warnings = warnings + document.warnings
        document.title = document.title or page_title
        return document
    if summary:
        posts.insert(
            0,
            Post(
                key="summary",
                position=0,
                title="Summary",
                body="\n".join(f"• {s}" for s in summary),
                kind="summary",
            ),
        )
    keys: dict[str, int] = {}
    for post in posts:
        if post.key in keys:
            keys[post.key] += 1
            post.key = f"{post.key}#{keys[post.key]}"
        else:
            keys[post.key] = 1
    untimed = sum(1 for p in posts if p.published is None and p.kind == "post")
    if untimed:
        warnings.append(f"{untimed} posts carry no machine-readable time")
    timed = [p.published for p in posts if p.published is not None]
    return Document(
        source=source,
        kind="live",
        format="live-html",
        title=page_title,
        published=min(timed) if timed else None,  # when the page started
        summary=summary,
        posts=posts,
        warnings=warnings,
        url=_page_url(root),
        outlet=_site_name(root),
    )


def _page_url(root) -> str | None:
    found = root.xpath("//link[@rel='canonical']/@href") or root.xpath(
        "//meta[@property='og:url']/@content"
    )
    url = str(found[0]).strip() if found else ""
    return url if url.startswith(("http://", "https://")) else None


def _site_name(root) -> str | None:
    found = root.xpath("//meta[@property='og:site_name']/@content")
    return " ".join(str(found[0]).split()) or None if found else None


_JSONLD_RE = re.compile(
    r"""<script[^>]+type=["']application/ld\+json["'][^>]*>(?P<json>.*?)</script>""",
    re.IGNORECASE | re.DOTALL,
)


def _walk_jsonld(node: Any) -> Iterator[dict]:
    if isinstance(node, list):
        for item in node:
            yield from _walk_jsonld(item)
    elif isinstance(node, dict):
        yield node
        for key in ("@graph", "mainEntity"):
            if key in node:
                yield from _walk_jsonld(node[key])


def jsonld_updates(text: str) -> list[dict]:
    """The `liveBlogUpdate` items of a schema.org LiveBlogPosting in the page's JSON-LD (in
    the page's order), [] when there is none."""
    for match in _JSONLD_RE.finditer(text):
        try:
            data = json.loads(match["json"].strip())
        except ValueError:
            continue
        for node in _walk_jsonld(data):
            kind = node.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if "LiveBlogPosting" in kinds and isinstance(node.get("liveBlogUpdate"), list):
                return [u for u in node["liveBlogUpdate"] if isinstance(u, dict)]
    return []


def _authors(update: dict) -> list[Byline]:
    author = update.get("author") or []
    authors = author if isinstance(author, list) else [author]
    names = [a.get("name") if isinstance(a, dict) else a for a in authors]
    return [Byline(" ".join(str(n).split())) for n in names if n and str(n).strip()]


def _post_from_jsonld(update: dict, position: int) -> Post:
    body = update.get("articleBody") or update.get("text") or update.get("description") or ""
    # JSON-LD text is often HTML-escaped ("&#x201C;", "&quot;"): read it as HTML text, so the
    # record holds the characters, and quotation marks are marks
    if "<" in body:
        body = lxml_html.fromstring(f"<div>{body}</div>").text_content()
    else:
        body = html.unescape(body)
    headline = update.get("headline") or update.get("name")
    headline = html.unescape(str(headline)) if headline else headline
    return Post(
        key=str(
            update.get("@id") or update.get("url") or f"{update.get('datePublished')}|{headline}"
        ),
        position=position,
        title=" ".join(str(headline).split()) if headline else None,
        body="\n\n".join(p.strip() for p in re.split(r"\n\s*\n|\n", body) if p.strip()),
        published=_parse_datetime(update.get("datePublished")),
        bylines=_authors(update),
    )


def _complete_times(
    posts: list[Post], stamps: dict[str, str], updates: list[dict], page: Page
) -> None:
    """Times the markup gives only as text ("published at 14:48 BST 20 April"): the JSON-LD
    time of the same post when the page has one, else the stamp with its year filled in
    from the page's reference point (marked inferred)."""
    by_id = {}
    for u in updates:
        ident = str(u.get("@id") or u.get("url") or "")
        if "asset:" in ident:
            by_id[ident[ident.index("asset:") :]] = _parse_datetime(u.get("datePublished"))
    evidence = YearEvidence([], page.date_hint, [], page.reference, page.retrieved is not None)
    for post in posts:
        stamp_text = stamps.get(post.key)
        if stamp_text is None or post.published is not None:
            continue
        if by_id.get(post.key):
            post.published = by_id[post.key]
            continue
        stamp = parse_stamp(PUBLISHED_RE.sub("", stamp_text))
        if stamp is None or not stamp.has_date:
            continue
        day = (
            date(stamp.year, stamp.month, stamp.day)  # type: ignore[arg-type]
            if stamp.year
            else evidence.complete(stamp.month, stamp.day, stamp.weekday)  # type: ignore[arg-type]
        )
        if day is not None:
            post.published = to_utc(day, stamp.hour, stamp.minute, stamp.zone)
            post.time_inferred = stamp.year is None
