"""The visible text of an HTML page: its elements' text with block elements on lines of their
own, scripts, styles and navigation dropped."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from sitroom.read.errors import ReadError

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
_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)


def parse_html(text: str) -> lxml_html.HtmlElement:
    # lxml refuses a str that declares its encoding (XHTML pages do): the text is decoded.
    text = _XML_DECLARATION_RE.sub("", text, count=1)
    try:
        root = lxml_html.document_fromstring(text)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise ReadError(f"cannot parse the HTML: {exc}") from exc
    for bad in root.xpath("|".join(f"//{t}" for t in _DROP_TAGS)):
        bad.drop_tree()
    return root


def text_of(el: lxml_html.HtmlElement) -> str:
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
    root = parse_html(text)
    body = root.find("body")
    return "\n\n".join(text_of(body if body is not None else root).split("\n"))
