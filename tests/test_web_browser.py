"""The web pages in a real browser (Debian's headless Chromium, driven by Playwright)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sitroom.records import Byline, Document, Post
from sitroom.store import open_store

CHROMIUM = os.environ.get("SITROOM_CHROMIUM", "/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,  # starts Chromium
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}"),
]
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
T0 = datetime(2024, 9, 2, 6, 0, tzinfo=UTC)
PAYLOAD = '<script>window.__pwned=1;alert("x")</script><img src=x onerror="window.__pwned=2">'
SOURCE = "https://example.org/live/flood"


def posts(n: int) -> list[Post]:
    texts = [
        "Crews raised a temporary barrier overnight as the river kept rising near the old bridge.",
        "The regional authority ordered 4,000 residents of low-lying streets to leave by noon.",
        "Rail services between Orna and Lisk are suspended until the line can be inspected.",
        "Forecasters expect another 60mm of rain before the weather clears on Thursday.",
    ]
    return [
        Post(
            key=f"k{i}",
            position=n - i,
            title=f"Update {i} from the river",
            body=texts[i % len(texts)],
            published=T0 + timedelta(minutes=20 * i),
            bylines=[Byline("Mira Sol", "Regional reporter")],
        )
        for i in range(n)
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    import uvicorn

    from sitroom.serve.app import create_app

    store = open_store(tmp_path_factory.mktemp("web") / "web.db")
    hostile = Post(
        key="hostile",
        position=50,
        title=f"Headline {PAYLOAD}",
        body=f"Body {PAYLOAD} with enough words to be a sentence in the briefing of the day.",
        published=T0 - timedelta(minutes=5),
        labels=[f"Label{PAYLOAD}"],
        bylines=[Byline(f"Writer {PAYLOAD}", f"Role {PAYLOAD}")],
    )
    store.ingest_document(
        Document(source=SOURCE, kind="live", format="live-text", posts=[*posts(4), hostile])
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", store
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.dialogs, pg.errors, pg.outside = [], [], []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on(
        "request",
        lambda r: (
            pg.outside.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "data:"))
            else None
        ),
    )
    yield pg
    context.close()


def test_hostile_page_text_shows_as_text_and_never_runs(site, page):
    url, store = site
    hostile_id = [p for p in store.posts() if p.key == "hostile"][0].id
    for path in ["/", f"/posts/{hostile_id}"]:
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
        assert page.dialogs == []
        assert page.evaluate("window.__pwned") is None
        assert page.locator("img[src='x']").count() == 0
        assert page.locator("article script, section script").count() == 0
        assert 'onerror="window.__pwned=2"' in page.inner_text("main")


def test_post_arriving_over_sse_appears_without_reload(site, page):
    url, store = site
    page.goto(url + "/")
    page.wait_for_selector("#live.on", timeout=15_000)
    page.evaluate("window.__marker = 'same page'")
    newest = Post(
        key="arrival",
        position=0,
        title="Bridge reopens to traffic after inspection",
        body="Engineers declared the old bridge safe and it reopened at 09:40.",
        published=T0 + timedelta(hours=3),
        labels=["Breaking"],
    )
    store.ingest_document(
        Document(source=SOURCE, kind="live", format="live-text", posts=[newest, *posts(4)])
    )
    card = page.wait_for_selector(
        "article.post:has-text('Bridge reopens to traffic')", timeout=15_000
    )
    assert page.evaluate("window.__marker") == "same page"  # no reload happened
    assert "breaking" in card.inner_text().lower()
    first = page.locator("#posts article.post").first.inner_text()
    assert "Bridge reopens" in first  # newest post goes to the top


def test_screenshots_of_every_page(site, page, tmp_path):
    url, store = site
    out = tmp_path  # the published screenshots are of the seed record (below)
    post_id = store.posts()[0].id
    for name, path in [
        ("home", "/"),
        ("post", f"/posts/{post_id}"),
        ("actors", "/actors"),
        ("quotes", "/quotes"),
        ("figures", "/figures"),
        ("map", "/map"),
        ("api", "/docs"),
        ("disputes", "/disputes"),
        ("indicators", "/indicators"),
    ]:
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
        shot = out / f"{name}.png"
        page.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 10_000, name
        assert page.locator("header.top nav a").count() >= 5
    assert page.errors == [], page.errors  # a CSP violation or script error shows here
    assert page.outside == [], page.outside


@pytest.mark.skipif(
    shutil.which("chromium") is None and not Path(CHROMIUM).exists(), reason="no chromium"
)
def test_map_draws_country_outlines(site, page):
    url, _ = site
    page.goto(url + "/map")
    assert page.locator("svg.map path.land").count() > 150


def test_analysis_pages_redraw_when_news_arrives(site, page):
    url, store = site
    page.goto(url + "/indicators")
    page.wait_for_selector("#live.on", timeout=15_000)
    page.evaluate("window.__marker = 'before'")
    news = Post(
        key="mobilisation",
        position=0,
        title="Reservists called up",
        body="The government announced the mobilisation of reservists as troops massing near the border continued.",
        published=T0 + timedelta(hours=5),
    )
    store.ingest_document(
        Document(source=SOURCE, kind="live", format="live-text", posts=[news, *posts(4)])
    )
    # The CSP forbids string evaluation, so poll from here for the reload.
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            if page.evaluate("window.__marker") is None:
                break
        except Exception:  # the page is between documents
            pass
        time.sleep(0.2)
    else:
        raise AssertionError("the indicators page did not redraw")
    page.wait_for_load_state("networkidle")
    assert "Escalation index" in page.inner_text("main")


# --- the seed record at phone and desk sizes ---------------------------------------------

REPO = Path(__file__).resolve().parent.parent
AXE = REPO / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"phone": (390, 844), "desk": (1440, 900)}
SEED_SOURCE = "https://example.org/live/seed-test"


def _serve(store):
    import uvicorn

    from sitroom.serve.app import create_app

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory, seeds_dir):
    """The seed corpus, ingested and enriched by the CLI, served on a free port."""
    import subprocess
    import sys

    db = tmp_path_factory.mktemp("seed") / "seed.db"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sitroom",
            "ingest",
            *sorted(map(str, seeds_dir.glob("*.txt"))),
            "--db",
            str(db),
        ],
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    store = open_store(db)
    server, thread, url = _serve(store)
    import httpx

    # The first analysis loads the embedding model; do it once here, not inside a page load.
    for path in ["/api/indicators", "/api/indicators?hourly=true"]:
        httpx.get(url + path, timeout=600).raise_for_status()
    yield url, store
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


def seed_pages(url: str, store) -> dict[str, str]:
    """Every kind of page, with one example of each page that takes a name or an id."""
    import httpx

    post_id = store.posts()[0].id
    actors = httpx.get(url + "/api/actors", timeout=120).json()
    actor = next(a["name"] for a in actors if a.get("quotes"))
    points = httpx.get(url + "/api/indicators", timeout=120).json()
    bucket = points[0]["bucket"] if points else "none"
    stories = httpx.get(url + "/api/stories", timeout=120).json()
    from urllib.parse import quote

    return {
        "home": "/",
        "post": f"/posts/{post_id}",
        "actors": "/actors",
        "actor": "/actors/" + quote(actor),
        "quotes": "/quotes",
        "quotes-empty": "/quotes?about=zzzznothing",
        "figures": "/figures",
        "map": "/map",
        "map-story": f"/map?story={stories[0]['id']}",
        "disputes": "/disputes",
        "indicators": "/indicators",
        "indicators-point": f"/indicators?bucket={bucket}",
        "indicators-hourly": "/indicators?hourly=true",
        "api": "/docs",
        "not-found": "/posts/ffffffffffff",
    }


@pytest.fixture(scope="module", params=list(SIZES))
def sized(request, browser):
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    pg = context.new_page()
    pg.size_name = request.param
    yield pg
    context.close()


@pytest.mark.slow
def test_no_page_is_wider_than_the_viewport(seed_site, sized):
    url, store = seed_site
    too_wide = {}
    for name, path in seed_pages(url, store).items():
        sized.goto(url + path)
        sized.wait_for_load_state("networkidle")
        width = sized.evaluate("document.documentElement.scrollWidth")
        if width > sized.viewport_size["width"]:
            too_wide[name] = width
    assert too_wide == {}, (sized.size_name, too_wide)


@pytest.mark.slow
@pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed: npm ci --prefix tests/js")
def test_axe_finds_no_serious_violation(seed_site, sized):
    url, store = seed_site
    found = {}
    for name, path in seed_pages(url, store).items():
        sized.goto(url + path)
        sized.wait_for_load_state("networkidle")
        sized.add_script_tag(path=str(AXE))
        result = sized.evaluate("async () => await axe.run(document)")
        bad = [
            f"{v['id']} ({v['impact']}, {len(v['nodes'])}): {v['nodes'][0]['target']}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        h1 = sized.locator("h1").count()
        if h1 != 1:
            bad.append(f"{h1} h1 elements")
        if bad:
            found[name] = bad
    assert found == {}, (sized.size_name, "\n".join(f"{k}: {v}" for k, v in found.items()))


@pytest.mark.slow
def test_crawl_finds_no_broken_internal_link(seed_site):
    """Follow every internal link from the home page (one level of query variants each)."""
    import re
    from html import unescape
    from urllib.parse import urljoin, urlsplit

    import httpx

    url, _ = seed_site
    seen, queue, broken = set(), ["/"], []
    with httpx.Client(base_url=url, timeout=30) as client:
        while queue and len(seen) < 2000:
            path = queue.pop()
            if path in seen:
                continue
            seen.add(path)
            response = client.get(path)
            if response.status_code != 200:
                broken.append((path, response.status_code))
                continue
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            for href in re.findall(r'(?:href|src)="([^"#]+)', response.text):
                target = urljoin(url + path, unescape(href))
                parts = urlsplit(target)
                if not target.startswith(url):
                    continue
                local = parts.path + (f"?{parts.query}" if parts.query else "")
                if local not in seen:
                    queue.append(local)
    assert len(seen) > 50
    assert broken == [], broken


def wait_until(page, script: str, arg=None, timeout: float = 15) -> None:
    """Poll a predicate from here: the CSP forbids the string evaluation wait_for_function uses."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if page.evaluate(script, arg):
            return
        time.sleep(0.2)
    raise AssertionError(f"not true after {timeout}s: {script}")


def _seed_post(title: str, body: str, when: datetime, key: str) -> Post:
    return Post(key=key, position=0, title=title, body=body, published=when)


@pytest.mark.slow
def test_news_updates_timeline_briefing_counts_and_edits_show(seed_site, browser):
    url, store = seed_site
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(url + "/")
    page.wait_for_selector("#live.on", timeout=15_000)
    page.evaluate("window.__marker = 'same page'")
    count_before = page.inner_text("#post-count")
    brief_before = page.inner_text("#brief-window")
    latest = max(p.published for p in store.posts() if p.published)
    first = _seed_post(
        "Ferry crossings halted at the northern harbour",
        "The harbour master halted all ferry crossings after a crane collapsed onto the quay.",
        latest + timedelta(minutes=30),
        "seedtest-1",
    )
    store.ingest_document(
        Document(source=SEED_SOURCE, kind="live", format="live-text", posts=[first])
    )
    page.wait_for_selector("#posts article.post:has-text('Ferry crossings halted')", timeout=15_000)
    wait_until(
        page,
        "([c, b]) => document.querySelector('#post-count').textContent !== c"
        " && document.querySelector('#brief-window').textContent !== b",
        [count_before, brief_before],
        timeout=40,
    )
    assert "(1)" in page.title()
    bar = page.locator("#new-posts")
    assert "1 new" in bar.inner_text()
    # An edit further down: a post that was on the page when it opened gets a new version.
    seed_doc = next(d for d in store.documents() if d.source != SEED_SOURCE)
    doc = store.document_record(seed_doc.id)
    target = min(
        (p for p in doc.posts if p.kind != "summary" and p.published), key=lambda p: p.published
    )
    target.body += " Officials later corrected the time of the announcement."
    second = _seed_post(
        "Coastguard opens a line for families",
        "The coastguard opened a telephone line for families of the crew.",
        latest + timedelta(minutes=40),
        "seedtest-2",
    )
    store.ingest_document(
        Document(source=SEED_SOURCE, kind="live", format="live-text", posts=[second, first])
    )
    store.ingest_document(doc)
    wait_until(page, "() => document.querySelector('#new-posts').textContent.includes('1 edited')")
    assert "2 new" in bar.inner_text()
    assert "(3)" in page.title()
    assert page.locator("[aria-live]").count() >= 1
    assert page.evaluate("window.__marker") == "same page"
    card = page.locator("article.post.edited-now")
    assert card.count() == 1 and "v2" in card.inner_text().lower()
    bar.click()
    assert page.evaluate("document.title").startswith("Briefing")
    assert bar.is_hidden()
    # The card a live post gets is the server's own: the same markup a page load shows.
    bare = "a => { const c = a.cloneNode(true); c.classList.remove('new', 'edited-now');"
    bare += " c.removeAttribute('tabindex'); return c.outerHTML; }"
    card = "#posts article.post:has-text('Coastguard opens a line')"
    live_html = page.locator(card).evaluate(bare)
    page.goto(url + "/")
    assert page.locator(card).evaluate(bare) == live_html
    context.close()


@pytest.mark.slow
def test_screenshots_of_every_page_at_both_sizes(seed_site, sized):
    url, store = seed_site
    out = os.environ.get("SITROOM_SCREENSHOT_DIR")
    if not out:
        pytest.skip("set SITROOM_SCREENSHOT_DIR=docs/screenshots to write them")
    Path(out).mkdir(parents=True, exist_ok=True)
    for name, path in seed_pages(url, store).items():
        sized.goto(url + path)
        sized.wait_for_load_state("networkidle")
        shot = Path(out) / f"{name}-{sized.size_name}.png"
        sized.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 5_000


@pytest.mark.slow
def test_keyboard_reaches_content_and_every_control(seed_site, browser):
    url, _ = seed_site
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # On a phone the pages sit behind the menu button, which the keyboard opens.
    assert not page.locator("#site-nav").is_visible()
    toggle = page.locator(".nav-toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#site-nav a[href='/figures']").is_visible()
    # The bars of the index are links the keyboard reaches, each with a name.
    page.goto(url + "/indicators")
    bars = page.locator("svg.plot-narrow a")
    assert bars.count() >= 1
    for n in range(bars.count()):
        assert "index" in bars.nth(n).get_attribute("aria-label")
    bars.first.focus()
    assert page.evaluate("document.activeElement.tagName.toLowerCase()") == "a"
    context.close()
