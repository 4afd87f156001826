"""`python -m sitroom.bench fuzz`: structured mutations of every input format, fed to
`read_bytes` with the format forced, counting inputs that escape as anything other than a
`ReadError` (unhandled) and inputs that take over 10 s.

The same seeds and mutations drive the property tests (tests/test_read_bad_input.py, through
hypothesis); this long run is what the issue's ">= 10,000 inputs per reader" is measured on.
Crashing inputs are saved under `--save DIR` so that they can become regression tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from sitroom.read import ReadError, read_bytes

SLOW_SECONDS = 10.0

# Seeds: one small, well-formed input per reader, written for the fuzzer (an invented flood).
LIVE_TEXT = """Summary

  • The river Vell has burst its banks north of Ostry
  • Two bridges are closed to traffic

  3. Evacuation orderedpublished at 11:40 British Summer Time 4 July 2024
    Breaking

    Dana Pell
    Local democracy reporter

    The mayor said: "Everyone below the old mill must leave now."

  2. Water still risingpublished at 10:05 British Summer Time 4 July 2024

    The gauge at Ostry read 4.2 metres at ten o'clock.

    • Road A: closed
    • Road B: open

  1. Rain warning issuedpublished at 08:30 British Summer Time 4 July 2024

    Forecasters issued an amber warning for 60mm of rain.
"""

ARTICLE_TEXT = """Bridges closed as the Vell floods Ostry

Dana Pell

Local democracy reporter

Published 4 July 2024

Two bridges in Ostry were closed on Thursday as the river rose above 4 metres.

"We have never seen it this high," a council engineer said.

About 300 homes were evacuated, officials said.
"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Ostry Herald</title><link>https://herald.example/</link><description>News</description>
<item><title>Bridges closed</title><link>https://herald.example/bridges</link>
<guid>oh-1</guid><pubDate>Thu, 04 Jul 2024 10:00:00 +0100</pubDate><dc:creator>Dana Pell</dc:creator>
<description>&lt;p&gt;Two bridges were closed.&lt;/p&gt;</description><category>Floods</category></item>
<item><title>Warning issued</title><guid>oh-2</guid><pubDate>Thu, 04 Jul 2024 08:30:00 GMT</pubDate>
<description>An amber warning for rain.</description></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Ostry Live</title><id>urn:ostry</id>
<updated>2024-07-04T10:00:00Z</updated>
<entry><title>Water still rising</title><id>urn:ostry:2</id><updated>2024-07-04T10:05:00Z</updated>
<author><name>Dana Pell</name></author><content type="html">&lt;p&gt;4.2 metres.&lt;/p&gt;</content></entry>
</feed>
"""

BBC_HTML = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>Ostry floods live - BBC News</title>
<link rel="canonical" href="https://www.bbc.co.uk/news/live/ostry"></head><body>
<h1>Ostry floods</h1>
<section data-testid="lx-summary"><ul><li>Bridges closed</li></ul></section>
<ol data-testid="lx-stream">
<li id="post-asset-a1" data-testid="lx-post"><article><header><span class="lx-label">Breaking</span>
<h3>Evacuation ordered</h3><time datetime="2024-07-04T10:40:00.000Z">11:40 BST</time></header>
<div class="lx-contributor"><span class="lx-contributor-name">Dana Pell</span></div>
<p>The mayor said: "Everyone below the old mill must leave now."</p>
<figure><img src="mill.jpg" alt="The mill"><figcaption>The old mill</figcaption></figure></article></li>
<li id="post-asset-a0" data-testid="lx-post"><article><header><h3>Water rising</h3>
<time datetime="2024-07-04T09:05:00.000Z">10:05 BST</time></header><p>4.2 metres at ten.</p>
</article></li></ol></body></html>
"""

GUARDIAN_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Ostry floods live</title>
<link rel="canonical" href="https://www.theguardian.com/world/live/ostry"></head><body>
<main data-gu-name="body"><div data-gu-name="key-events"><ul><li>Bridges closed</li></ul></div>
<article id="block-aa11bb22cc33dd44" class="block is-key-event" data-block-contributor="Dana Pell">
<header><time datetime="2024-07-04T11:40:00+01:00">11.40 BST</time><h2>Evacuation ordered</h2></header>
<p>"Everyone below the old mill must leave now," the mayor said.</p></article>
<article id="block-aa11bb22cc33dd43" class="block"><header><time datetime="2024-07-04T09:05:00Z">10.05 BST</time></header>
<p>The gauge read 4.2 metres.</p><ul><li>Road A: closed</li></ul></article>
</main></body></html>
"""

LIVE_HTML = """<html><head><title>Ostry live</title>
<script type="application/ld+json">{"@type": "LiveBlogPosting", "headline": "Ostry live"}</script>
</head><body><div class="live-blog">
<div class="live-post" id="p2"><h3>Evacuation ordered</h3><time datetime="2024-07-04T10:40:00Z">10:40</time>
<p class="byline">Dana Pell</p><p>Everyone below the old mill must leave now.</p></div>
<div class="live-post" id="p1"><h3>Water rising</h3><time datetime="2024-07-04T09:05:00Z">09:05</time>
<p>4.2 metres at ten.</p></div></div></body></html>
"""

ARTICLE_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Bridges closed in Ostry</title>
<meta name="author" content="Dana Pell"><meta property="article:published_time" content="2024-07-04T10:00:00Z">
</head><body><article><h1>Bridges closed in Ostry</h1><p class="byline">By Dana Pell</p>
<p>Two bridges in Ostry were closed on Thursday as the river rose above 4 metres.</p>
<p>"We have never seen it this high," a council engineer said.</p>
<p>About 300 homes were evacuated, officials said, and schools will stay shut.</p>
<a href="javascript:alert(1)">link</a></article></body></html>
"""

CNN_TEXT = """Live Updates

Ostry floods: live updates

By Dana Pell and Ivo Marr, CNN

Updated 6:15 p.m. ET, July 4, 2024

25 min ago

Mayor orders evacuation below the mill
From CNN's Lena Ortiz

The mayor said everyone below the old mill must leave now.

5:02 p.m. ET, July 3, 2024

Rain warning issued
From CNN's Sam Dahl

Forecasters issued an amber warning.
"""

AP_TEXT = """LIVE UPDATES

Live updates: Ostry floods as the Vell rises

By The Associated Press

Updated 4:12 PM GMT, July 4, 2024

OSTRY (AP) — Two bridges were closed on Thursday, the council said.

___

About 300 homes were evacuated, officials said.
"""

ALJAZEERA_TEXT = """LIVE

Ostry floods live: bridges closed as river rises

By Al Jazeera Staff

Published On 4 Jul 2024

4 Jul 2024

14:05 GMT

Evacuation ordered

The mayor said "Everyone below the old mill must leave now".

12:40 GMT

Water still rising

The gauge read 4.2 metres.
"""

GUARDIAN_TEXT = """Ostry floods live: bridges closed as river rises

Dana Pell (now) and Ivo Marr (earlier)

Thu 4 Jul 2024 14.30 BST

Key events

2h ago Evacuation ordered

1h ago

14.05 BST

Key event

Evacuation ordered

"Everyone below the old mill must leave now," the mayor said.

Updated at 14.20 BST

12.40 BST

The gauge read 4.2 metres.

Update: 2
Date: 2024-07-04T12:05:00Z
Title: Bridges closed
Content: Two bridges were closed.
"""

BBC_REPORTING_TEXT = """Live Reporting

Edited by Dana Pell

All times stated are UK

Ostry floods: bridges closed

  1. Evacuation ordered

    Dana Pell
    BBC News, Ostry

    The mayor said everyone below the old mill must leave now.

  2. Rain warning issued

    Forecasters issued an amber warning.
"""

SEEDS: dict[str, list[str]] = {
    "cnn-live": [CNN_TEXT],
    "ap-live": [AP_TEXT],
    "aljazeera-live": [ALJAZEERA_TEXT],
    "guardian-text": [GUARDIAN_TEXT],
    "bbc-live-reporting": [BBC_REPORTING_TEXT],
    "live-text": [LIVE_TEXT],
    "article-text": [ARTICLE_TEXT],
    "feed": [RSS, ATOM],
    "bbc-html": [BBC_HTML],
    "guardian-html": [GUARDIAN_HTML],
    "live-html": [LIVE_HTML, BBC_HTML],
    "article-html": [ARTICLE_HTML],
}

# Fragments that matter to each reader's grammar, spliced in by the mutations.
_MARKUP_TOKENS = [
    "<",
    ">",
    "</",
    "/>",
    "<rss",
    "<item",
    "<title",
    "</title>",
    "</body>",
    "<entry",
    "<feed",
    "<channel>",
    "<html",
    "<body>",
    "<article",
    '<time datetime="',
    '<li id="post-',
    "<script>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "&#",
    "&#x110000;",
    "&#99999999999999;",
    "&amp;",
    "&",
    '<?xml version="1.0" encoding="bogus-8"?>',
    '<!DOCTYPE x [<!ENTITY a "aaaa">]>',
    '<meta charset="x-unknown">',
    'data-testid="lx-post"',
    'id="block-00ff00ff00"',
    '<time datetime="99999-99-99T99:99:99Z">',
    '<time datetime="-1">',
    "\x00",
    "\ufeff",
    "<pubDate>Fri, 99 Foo 99999999 99:99:99 +9999</pubDate>",
    "<updated>0000-00-00</updated>",
    '<img src="',
    "<figure>",
    "<figcaption>",
    'data-block-contributor="',
    '"',
    "'",
]
_TEXT_TOKENS = [
    "published at ",
    "published at 25:61 British Summer Time 31 February 2024",
    "published at 10:00 GMT 1 January 99999999999",
    "published at 00:00 XYZ 0 0 0",
    "  99999999999999999999. ",
    "  0. ",
    "  -1. ",
    "Summary\n",
    "  • ",
    "Breaking\n",
    "Analysis\n",
    "Image source, ",
    "Image caption,\n",
    "Media caption,\n",
    "Published 31 June 2024\n",
    "Updated 1e309\n",
    "\n\n\n",
    "\t",
    "\r",
    "\r\n",
    "\u2028",
    "\u200b",
    "—",
    "’",
    "\ufffd",
    "\x0c",
    "By ",
    "Correspondent\n",
    "10:05",
    "10.05 BST",
    "3 days ago",
    "yesterday at 99:99",
    "Updated 99:99 p.m. ET, February 30, 2024\n",
    "25 min ago\n",
    "99999999 hr ago\n",
    "From CNN's ",
    "(AP) — ",
    "___\n",
    "14:05 GMT\n",
    "Published On 31 Feb 2024\n",
    "Key event\n",
    "Update: 99999999999999999999\nDate: 2024-13-45T25:00:00Z\n",
    "Title: ",
    "Content: ",
    "Live Reporting\n",
    "All times stated are UK\n",
    "Edited by ",
]
_TOKENS = {
    name: _TEXT_TOKENS
    for name in (
        "live-text",
        "article-text",
        "cnn-live",
        "ap-live",
        "aljazeera-live",
        "guardian-text",
        "bbc-live-reporting",
    )
}


def _tokens(fmt: str) -> list[str]:
    return _TOKENS.get(fmt, _MARKUP_TOKENS + _TEXT_TOKENS[:8])


def mutate(text: str, fmt: str, rng: random.Random, steps: int | None = None) -> str:
    """`text` after a few structured mutations: cuts, duplications, spliced grammar tokens,
    swapped lines, character noise, and now and then a very long single line."""
    tokens = _tokens(fmt)
    for _ in range(steps if steps is not None else rng.randint(1, 6)):
        if not text:
            text = rng.choice(tokens)
        n = len(text)
        i, j = sorted((rng.randrange(n + 1), rng.randrange(n + 1)))
        op = rng.randrange(10)
        if op == 0:  # cut a span
            text = text[:i] + text[j:]
        elif op == 1:  # duplicate a span
            text = text[:j] + text[i:j] + text[j:]
        elif op in (2, 3, 4):  # splice a grammar token
            text = text[:i] + rng.choice(tokens) + text[i:]
        elif op == 5:  # truncate (a page cut off mid-way)
            text = text[:j]
        elif op == 6:  # swap two lines
            lines = text.split("\n")
            a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
        elif op == 7:  # character noise
            chars = list(text)
            for _ in range(rng.randint(1, 8)):
                if chars:
                    chars[rng.randrange(len(chars))] = chr(
                        rng.choice((rng.randrange(32, 127), rng.randrange(0x80, 0x3000)))
                    )
            text = "".join(chars)
        elif op == 8:  # join lines (single-line pages)
            text = text.replace("\n", " " if rng.random() < 0.5 else "")
        else:  # repeat a span many times (size and nesting)
            piece = text[i:j][:200] or rng.choice(tokens)
            text = text[:j] + piece * rng.randint(2, 300) + text[j:]
    return text


def huge_line(fmt: str, rng: random.Random, size: int) -> str:
    """A page of `size` characters on one line, made of its own seed repeated."""
    seed = rng.choice(SEEDS[fmt]).replace("\n", " ")
    return (seed * (size // len(seed) + 1))[:size]


def generate(fmt: str, rng: random.Random) -> bytes:
    """One fuzz input for reader `fmt`."""
    roll = rng.random()
    if roll < 0.002:
        return huge_line(fmt, rng, rng.choice((1_000_000, 3_000_000))).encode()
    text = mutate(rng.choice(SEEDS[fmt]), fmt, rng)
    if roll < 0.05:  # the wrong encoding, or raw bytes
        return text.encode("utf-16" if roll < 0.02 else "latin-1", errors="replace")
    if roll < 0.06:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 400)))
    return text.encode("utf-8", errors="surrogatepass")


def try_read(data: bytes, fmt: str) -> tuple[str, float, str | None]:
    """('ok' | 'refused' | 'unhandled', CPU seconds, traceback of an unhandled failure).

    The time is this process's CPU time, not the wall clock: what the input itself costs,
    whatever else the machine is doing."""
    started = time.process_time()
    try:
        read_bytes(data, source=f"fuzz.{fmt}", format=fmt)
        outcome, trace = "ok", None
    except ReadError:
        outcome, trace = "refused", None
    except Exception:  # noqa: BLE001 -- counting exactly these is the point
        outcome, trace = "unhandled", traceback.format_exc()
    return outcome, time.process_time() - started, trace


def run(
    inputs_per_reader: int,
    *,
    seed: int = 14,
    formats: list[str] | None = None,
    save: Path | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> dict:
    """Fuzz each reader; the figures as the `--json` object."""
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    unhandled: list[dict] = []
    slow: list[dict] = []
    slowest = 0.0
    for fmt in formats or list(SEEDS):
        counts[fmt] = 0
        for n in range(inputs_per_reader):
            data = generate(fmt, rng)
            outcome, seconds, trace = try_read(data, fmt)
            counts[fmt] += 1
            slowest = max(slowest, seconds)
            if outcome == "unhandled" or seconds > SLOW_SECONDS:
                record = {"reader": fmt, "seconds": round(seconds, 2), "bytes": len(data)}
                if trace:
                    record["error"] = trace.strip().splitlines()[-1]
                (unhandled if outcome == "unhandled" else slow).append(record)
                if save is not None:
                    save.mkdir(parents=True, exist_ok=True)
                    name = hashlib.sha1(data).hexdigest()[:12]
                    (save / f"{fmt}-{name}.bin").write_bytes(data)
                    record["saved"] = str(save / f"{fmt}-{name}.bin")
            if progress and (n + 1) % 1000 == 0:
                progress(fmt, n + 1)
    return {
        "inputs": counts,
        "unhandled": len(unhandled),
        "over_10s": len(slow),
        "slowest_s": round(slowest, 2),
        "failures": (unhandled + slow)[:50],
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitroom.bench fuzz", description=__doc__)
    parser.add_argument("--inputs", type=int, default=10_000, help="inputs per reader")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--reader", action="append", choices=list(SEEDS), help="only this reader")
    parser.add_argument("--save", type=Path, help="save crashing and slow inputs here")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    def report(fmt: str, n: int) -> None:
        print(f"{fmt}: {n}/{args.inputs}", file=sys.stderr, flush=True)  # also with --json

    started = time.perf_counter()
    figures = run(
        args.inputs,
        seed=args.seed,
        formats=args.reader,
        save=args.save,
        progress=report,
    )
    figures["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(figures))
    else:
        for fmt, n in figures["inputs"].items():
            print(f"{fmt:14} {n} inputs")
        print(
            f"unhandled {figures['unhandled']}, over 10 s {figures['over_10s']}, "
            f"slowest {figures['slowest_s']} s, {figures['seconds']} s in all"
        )
        for f in figures["failures"]:
            print(f"  {f}")
    return 1 if figures["unhandled"] or figures["over_10s"] else 0
