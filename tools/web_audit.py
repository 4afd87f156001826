"""Audit a running `sitroom serve`: for every kind of page at phone and desk sizes, print the
page width (sideways scrolling when it exceeds the viewport), the number of h1 elements and
every axe-core violation of any impact.

    sitroom serve --db seed.db --port 8915 &
    python tools/web_audit.py http://127.0.0.1:8915

Needs Debian's Chromium (/usr/bin/chromium) and axe-core (npm ci --prefix tests/js).
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import quote

import httpx
from playwright.sync_api import sync_playwright

AXE = Path(__file__).resolve().parent.parent / "tests/js/node_modules/axe-core/axe.min.js"
SIZES = [(390, 844), (1440, 900)]


def pages(url: str) -> dict[str, str]:
    get = lambda path: httpx.get(url + path, timeout=600).json()  # noqa: E731
    actor = next(a["name"] for a in get("/api/actors") if a.get("quotes"))
    points, stories = get("/api/indicators"), get("/api/stories")
    return {
        "home": "/",
        "post": f"/posts/{get('/api/posts?limit=1')[0]['id']}",
        "actors": "/actors",
        "actor": "/actors/" + quote(actor),
        "quotes": "/quotes",
        "quotes-empty": "/quotes?about=zzzz",
        "figures": "/figures",
        "map": "/map",
        "map-story": f"/map?story={stories[0]['id']}" if stories else "/map",
        "disputes": "/disputes",
        "indicators": "/indicators",
        "indicators-point": f"/indicators?bucket={points[0]['bucket']}"
        if points
        else "/indicators",
        "indicators-hourly": "/indicators?hourly=true",
        "api": "/docs",
        "not-found": "/posts/ffffffffffff",
    }


def main(url: str) -> int:
    bad = 0
    todo = pages(url)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for width, height in SIZES:
            context = browser.new_context(
                viewport={"width": width, "height": height}, bypass_csp=True
            )
            page = context.new_page()
            page.set_default_timeout(120_000)
            for name, path in todo.items():
                page.goto(url + path)
                page.wait_for_load_state("networkidle")
                scroll = page.evaluate("document.documentElement.scrollWidth")
                page.add_script_tag(path=str(AXE))
                found = page.evaluate("async () => await axe.run(document)")["violations"]
                h1 = page.locator("h1").count()
                bad += (scroll > width) + len(found) + (h1 != 1)
                listed = [f"{v['id']} ({v['impact']}, {len(v['nodes'])})" for v in found]
                print(
                    f"{width}x{height} {name:18} width {scroll:5} h1 {h1} axe {len(found)} {listed}"
                )
            context.close()
    print(f"problems: {bad}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"))
