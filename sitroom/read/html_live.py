"""Live pages as HTML: Guardian live blogs, BBC live pages and other live blogs.

Posts are taken from the markup where it marks them: a container with its own id holding a
<time datetime>, a headline and paragraphs (the Guardian's `block-<id>` articles, the BBC's
post list items). Where no such structure is found the page's visible text is read with the
plain-text live reader, which knows the "published at HH:MM" shape the BBC's pages show.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from lxml import html as lxml_html

from sitroom.records import Byline, Document, Media, Post

_BLOCK_TAGS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "article",
    "section",
    "header",
    "footer",
    "figure",
    "figcaption",
    "blockquote",
    "tr",
    "br",
    "time",
    "main",
    "aside",
}
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "form", "button", "nav")
_LABEL_RE = re.compile(
    r"^(breaking|analysis|key event|summary|pinned|bbc verify|explainer|watch|live|correction|update)$",
    re.IGNORECASE,
)
_CLASS_BYLINE_RE = re.compile(r"contributor|byline|author", re.IGNORECASE)
_CLASS_LABEL_RE = re.compile(r"label|badge|tag|kicker|key-event|breaking", re.IGNORECASE)
OUTLETS = {"guardian-html": "The Guardian", "bbc-html": "BBC"}


_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)


def _parse(text: str):
    # lxml refuses a str that declares its encoding (XHTML pages do): the text is decoded.
    text = _XML_DECLARATION_RE.sub("", text, count=1)
    try:
        root = lxml_html.document_fromstring(text)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        from sitroom.read import ReadError

        raise ReadError(f"cannot parse the HTML: {exc}") from exc
    for bad in root.xpath("|".join(f"//{t}" for t in _DROP_TAGS)):
        bad.drop_tree()
    return root


def _text_of(el) -> str:
    """An element's text with block elements on their own lines, spaces collapsed."""
    parts: list[str] = []

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if tag == "li":
            parts.append("• ")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCK_TAGS:
            parts.append("\n")

    walk(el)
    lines = [
        re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip() for line in "".join(parts).split("\n")
    ]
    return "\n".join(line for line in lines if line)


def visible_text(text: str) -> str:
    """The page's visible text, one block per line, blank lines between blocks."""
    root = _parse(text)
    body = root.find("body")
    return "\n\n".join(_text_of(body if body is not None else root).split("\n"))


def _parse_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        import dateparser

        parsed = dateparser.parse(
            value, settings={"TIMEZONE": "UTC", "RETURN_AS_TIMEZONE_AWARE": True}
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
    found = []
    for el in root.xpath("//*[@id and (self::article or self::div or self::li or self::section)]"):
        if el.get("id", "").startswith(("block-", "post-", "lx-", "live-post")) or (
            el.xpath(".//time[@datetime]") and el.xpath(".//p")
        ):
            found.append(el)
    # Keep innermost containers: a page wrapper with an id also holds times and <p>s.
    chosen = set(found)
    return [el for el in found if not any(d in chosen for d in el.iterdescendants())]


def _post_from(el, position: int, flavour: str) -> Post | None:
    time_el = el.xpath(".//time[@datetime]")
    published = _parse_datetime(time_el[0].get("datetime")) if time_el else None
    heading = el.xpath(".//h1|.//h2|.//h3")
    title = _text_of(heading[0]).replace("\n", " ") if heading else None
    labels: list[str] = []
    bylines: list[Byline] = []
    media: list[Media] = []
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
    return Post(
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


def read_live_html(
    text: str,
    *,
    source: str,
    flavour: str = "live-html",
    date_hint: date | None = None,
    now: datetime | None = None,
) -> Document:
    root = _parse(text)
    warnings = []
    if not re.search(r"</html\s*>", text[-2000:], re.IGNORECASE):
        warnings.append("the page ends before </html>: it may be truncated, kept what parsed")
    title_el = (
        root.xpath("//meta[@property='og:title']/@content")
        or root.xpath("//h1//text()")
        or root.xpath("//title/text()")
    )
    page_title = " ".join(str(title_el[0]).split()) if title_el else None
    posts = []
    for el in _post_containers(root):
        post = _post_from(el, len(posts) + 1, flavour)
        if post is not None:
            posts.append(post)
    summary = [
        " ".join(li.text_content().split())
        for li in root.xpath(
            "//*[contains(@class,'summary') or contains(@data-testid,'summary')]//li"
        )
    ]
    if len(posts) < 1:
        # No post markup we know: read what a person sees, as the plain-text reader would.
        from sitroom.read.live_text import read_live_text

        document = read_live_text(visible_text(text), source=source, date_hint=date_hint, now=now)
        document.format = flavour
        document.outlet = OUTLETS.get(flavour)
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
    return Document(
        source=source,
        kind="live",
        format=flavour,
        title=page_title,
        summary=summary,
        posts=posts,
        warnings=warnings,
        outlet=OUTLETS.get(flavour),
    )
