"""Regenerate docs/screenshot.png, the README's picture: the daily list at 1280 px, header search box and
Subscribe button included, from a running hub (normally `paperfeed demo`).

    paperfeed demo &            # serves http://127.0.0.1:8000 on the demo corpus
    python scripts/make_screenshot.py [--url http://127.0.0.1:8000] [--out docs/screenshot.png]

Needs Playwright and a Chromium (Debian's /usr/bin/chromium, or PAPERFEED_TEST_CHROMIUM), as the browser tests do.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the hub's address")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshot.png"), help="where the PNG goes")
    parser.add_argument("--height", type=int, default=800, help="viewport height in px (the width is 1280)")
    args = parser.parse_args()
    chromium = os.environ.get("PAPERFEED_TEST_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": args.height})
        response = page.goto(args.url.rstrip("/") + "/papers")
        if response is None or response.status != 200:
            raise SystemExit(f"{args.url}/papers answered {response and response.status}: is the hub running?")
        for part in ("header .search-box", "header .subscribe-button", "article.entry"):
            if page.locator(part).count() == 0:
                raise SystemExit(f"{part} is missing from {args.url}/papers: load the demo corpus first")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=args.out)
        browser.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
