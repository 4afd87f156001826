"""Who published a page: the manifest (or --outlet), else the reader's own finding (page
markup, a byline's "..., CNN"), else the URL's host in sitroom/data/outlets.yaml."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

import yaml

from sitroom.records import Byline, Document


@cache
def _table() -> dict:
    text = resources.files("sitroom.data").joinpath("outlets.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def outlet_for_host(host: str) -> str | None:
    """The outlet a host belongs to (a subdomain belongs to its domain)."""
    host = host.lower().removeprefix("www.")
    hosts: dict[str, str] = _table()["hosts"]
    while host:
        if host in hosts:
            return hosts[host]
        host = host.partition(".")[2]
    return None


def byline_outlet_names() -> dict[str, str]:
    return _table()["byline_outlets"]


def _outlet_re() -> re.Pattern[str]:
    names = sorted(byline_outlet_names(), key=len, reverse=True)
    return re.compile(r",\s*(?P<outlet>" + "|".join(re.escape(n) for n in names) + r")\s*$")


def split_byline_outlet(text: str) -> tuple[str, str | None]:
    """'By A and B, CNN' -> ('By A and B', 'CNN'); the outlet is None when none ends it."""
    match = _outlet_re().search(text)
    if match is None:
        return text, None
    return text[: match.start()].rstrip(), byline_outlet_names()[match["outlet"]]


_PLACE_SUFFIX_RE = re.compile(r"\s+(?:in|at|from|reporting from)\s+[A-Z].*$")
_NOT_A_NAME_RE = re.compile(r"^(staff|wire services|agencies|news agencies|reporters?)$", re.I)
_BY_RE = re.compile(r"^\s*(?:by|from)\s+", re.IGNORECASE)
_POSSESSIVE_RE = re.compile(r"^(?P<outlet>[A-Z][\w ]{1,30}?)[’']s\s+")


def people_in_byline(text: str) -> tuple[list[Byline], str | None]:
    """'By A, B and C, CNN' -> three people and 'CNN'; "From CNN's A and B" -> two people
    and 'CNN'. Names stay as written; roles are not part of such lines."""
    text = _BY_RE.sub("", text.strip())
    bare = re.sub(r"\s+(staff|wire services|newsroom)$", "", text, flags=re.I)
    if bare in byline_outlet_names():  # "By The Associated Press", "From CNN staff"
        return [], byline_outlet_names()[bare]
    text, outlet = split_byline_outlet(text)
    possessive = _POSSESSIVE_RE.match(text)
    if possessive and possessive["outlet"] in byline_outlet_names():
        outlet = byline_outlet_names()[possessive["outlet"]]
        text = text[possessive.end() :]
    names = [n.strip() for n in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text)]
    # "From CNN's Sam Dahl in London": where a reporter is is not part of the name.
    names = [_PLACE_SUFFIX_RE.sub("", n) for n in names]
    return [Byline(name=n) for n in names if n and not _NOT_A_NAME_RE.match(n)], outlet


def resolve_outlet(
    given: str | None, document: Document, host: str, implied: str | None = None
) -> str | None:
    """The outlet shown for a document, from the strongest source that names it: the
    manifest or --outlet, the host of the URL (the page's own, or the one its markup gives),
    what the reader found on the page, the outlet the page's layout belongs to."""
    for url in (host, document.url or ""):
        name = outlet_for_host(urlsplit(url).hostname or "" if "/" in url else url)
        if name:
            return given or name
    return given or document.outlet or implied or outlet_of_bylines(document)


def outlet_of_bylines(document: Document) -> str | None:
    """The outlet most of the page's credits name ("BBC defence correspondent", "BBC
    Monitoring"), when one does."""
    names = byline_outlet_names()
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")
    counts: dict[str, int] = {}
    for byline in [*document.bylines, *(b for p in document.posts for b in p.bylines)]:
        found = pattern.search(f"{byline.name} {byline.role or ''}")
        if found:
            outlet = names[found.group(1)]
            counts[outlet] = counts.get(outlet, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None
