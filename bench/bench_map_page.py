"""The map page with N points in Chromium: server time and size of the points download, time until the map is
drawn, and frames per second while panning, measured with the browser's performance APIs.

The points are synthetic (100 Gaussian blobs, one per topic) on N stored papers: what is measured is the
download, the drawing and the panning, which do not depend on where the points came from. Chromium here renders
WebGL in software (SwiftShader, no GPU) on 2 shared cores, so its frame rate is a floor, not what a laptop sees.

.venv/bin/python bench/bench_map_page.py --n 100000
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from datetime import date, timedelta

import numpy as np
from common import ROOT, setup_django, time_get

TOPICS = 100


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fill(n: int) -> None:
    from paperfeed.papers.models import Listing, Paper
    from paperfeed.topics.models import MapBuild, PaperPoint, Topic

    rng = np.random.default_rng(3)
    centres = rng.uniform(5, 95, (TOPICS, 2))
    topic = rng.integers(0, TOPICS, n)
    xy = np.clip(centres[topic] + rng.normal(0, 2.5, (n, 2)), 0, 100)
    build = MapBuild.objects.create(papers=n, topics=TOPICS, finished_at="2026-07-01T00:00:00Z")
    topics = Topic.objects.bulk_create(
        [
            Topic(
                label=f"topic {t}, words",
                words=[f"topic {t}"],
                x=c[0],
                y=c[1],
                size=int((topic == t).sum()),
                last_build=build,
            )
            for t, c in enumerate(centres)
        ]
    )
    first = date(2025, 7, 1)
    for start in range(0, n, 10000):
        rows = range(start, min(n, start + 10000))
        papers = Paper.objects.bulk_create(
            [
                Paper(arxiv_id=f"2601.{i:06d}", title=f"Paper {i} about topic {topic[i]}", authors=["A. Author"])
                for i in rows
            ]
        )
        Listing.objects.bulk_create(
            [Listing(paper=p, day=first + timedelta(days=i % 365)) for p, i in zip(papers, rows)]
        )
        PaperPoint.objects.bulk_create(
            [
                PaperPoint(paper=p, x=float(xy[i, 0]), y=float(xy[i, 1]), topic=topics[topic[i]], build=build)
                for p, i in zip(papers, rows)
            ]
        )


# Starts counting animation frames for 3 s and leaves the promise on window, so the mouse can drag meanwhile.
FPS_START = """() => {
  window.fpsResult = new Promise((done) => {
    let frames = 0;
    const t0 = performance.now();
    function tick() {
      frames++;
      if (performance.now() - t0 < 3000) requestAnimationFrame(tick);
      else done(frames / ((performance.now() - t0) / 1000));
    }
    requestAnimationFrame(tick);
  });
}"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100000)
    args = ap.parse_args()
    setup_django("bench-map-page-")
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    fill(args.n)
    print(f"{args.n:,} papers with points stored in {time.perf_counter() - t0:.0f} s")
    client = Client(HTTP_HOST="127.0.0.1")
    times, queries = time_get(client, "/api/v1/topics/points", 3)
    size = len(client.get("/api/v1/topics/points").content)
    print(
        f"/api/v1/topics/points: {np.median(times):,.0f} ms server time (median of 3), {size / 2**20:.1f} MB JSON, "
        f"{queries} queries"
    )

    port = free_port()
    env = {
        **os.environ,
        "PAPERFEED_SERVE_WORKER": "false",
        "PAPERFEED_BIND": f"127.0.0.1:{port}",
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "paperfeed", "serve", "--no-migrate"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        from playwright.sync_api import sync_playwright

        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(120_000)
            page.goto(f"http://127.0.0.1:{port}/map")
            page.wait_for_selector("#map[data-state=ready]")
            drawn = page.evaluate("performance.now()")
            fcp = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1")
            print(
                f"Chromium, {args.n:,} points: first contentful paint {fcp:,.0f} ms, map drawn {drawn:,.0f} ms "
                "after navigation start"
            )
            page.evaluate(FPS_START)
            idle = page.evaluate("() => window.fpsResult")
            box = page.locator("#map").bounding_box()
            cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.mouse.move(cx, cy)
            page.mouse.down()
            page.evaluate(FPS_START)  # counts frames while the mouse drags the map below
            for step in range(60):
                page.mouse.move(cx + 200 * np.sin(step / 6), cy + 120 * np.cos(step / 6))
                page.wait_for_timeout(40)
            page.mouse.up()
            panning = page.evaluate("() => window.fpsResult")
            print(f"frames per second: {idle:.1f} idle, {panning:.1f} while panning (software WebGL)")
            browser.close()
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
