"""The map page in Chromium: the points are drawn (the canvas is not blank), hovering a point shows its title,
clicking it opens a card that links to the paper, `?q=` lights the search's results, and a signed-in reader
likes a paper for For you from the card without a reload (an anonymous one is offered a log-in); no CSP
violation on the way. Screenshots at 1280 and 390 px go to test-output/map/."""

from __future__ import annotations

import base64

import pytest
from django.utils import timezone

from paperfeed.papers.models import Listing, Paper, Vote
from paperfeed.search import indexer, replica
from paperfeed.topics.build import build_map
from tests.browser_support import sign_up
from tests.conftest import TEST_OUTPUT
from tests.map_support import sample_records, store_sample

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OUT = TEST_OUTPUT / "map"


@pytest.fixture
def mapped(settings, tmp_path):
    store_sample(sample_records(per_field=40))
    build_map()
    # Search in the page is keyword-only here: loading the embedding model would take longer than the test.
    settings.PAPERFEED = {**settings.PAPERFEED, "SEARCH_INDEX_DIR": str(tmp_path / "index"), "EMBEDDING_MODEL": ""}
    replica.forget()
    indexer.catch_up()
    yield
    replica.forget()


def coloured_pixels(browser, png: bytes) -> int:
    """Pixels of a screenshot that are not near-white, counted in a blank page of their own."""
    blank = browser.new_page()
    try:
        return blank.evaluate(
            """async (src) => {
                const img = new Image(); img.src = src; await img.decode();
                const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
                const g = c.getContext('2d'); g.drawImage(img, 0, 0);
                const d = g.getImageData(0, 0, c.width, c.height).data; let n = 0;
                for (let i = 0; i < d.length; i += 4) if (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235) n++;
                return n;
            }""",
            "data:image/png;base64," + base64.b64encode(png).decode(),
        )
    finally:
        blank.close()


def open_map(page, url: str):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(url)
    page.wait_for_selector("#map[data-state=ready]")
    page.wait_for_timeout(300)  # a frame after the first, with the overlay drawn
    return violations


def point_on_screen(page, arxiv_id: str) -> tuple[float, float]:
    box = page.locator("#map").bounding_box()
    x, y = page.evaluate("(id) => document.getElementById('map').paperfeedMap.screenPosition(id)", arxiv_id)[:2]
    return box["x"] + x, box["y"] + y


def test_the_map_draws_points_shows_titles_on_hover_and_opens_a_paper_from_a_click(browser, page, live_server, mapped):
    OUT.mkdir(parents=True, exist_ok=True)
    violations = open_map(page, f"{live_server.url}/map")
    status = page.locator("#map-status").inner_text()
    assert "160 papers" in status, status
    shot = page.locator("#map").screenshot(path=str(OUT / "map-1280.png"))
    assert coloured_pixels(browser, shot) > 1000, "the map's canvas is blank"

    paper = Paper.objects.order_by("pk")[17]
    x, y = point_on_screen(page, paper.arxiv_id)
    page.mouse.move(x, y)
    tip = page.locator("#map-tip")
    tip.wait_for(state="visible")
    shown = Paper.objects.get(arxiv_id=tip.get_attribute("data-id"))  # the point drawn on top under the mouse
    page.wait_for_function("(t) => document.getElementById('map-tip').textContent.startsWith(t)", arg=shown.title[:30])
    sx, sy = point_on_screen(page, shown.arxiv_id)
    assert abs(sx - x) < 8 and abs(sy - y) < 8
    page.screenshot(path=str(OUT / "map-hover-1280.png"))

    page.mouse.click(x, y)
    card = page.locator("#map-card")
    card.wait_for(state="visible")
    assert card.get_attribute("data-id") == shown.arxiv_id
    assert card.locator(".map-sign-in a").get_attribute("href") == "/accounts/login/?next=/map"
    assert card.locator("#map-like").count() == 0  # anonymous: a log-in link, no like
    card.locator("#map-card-link").click()
    page.wait_for_url(f"**/papers/{shown.arxiv_id}")
    assert page.locator("h1").inner_text().startswith(shown.title[:20])
    assert page.locator(".paper-topic a").first.get_attribute("href").startswith("/topics/")
    assert violations == []


def test_a_search_on_the_map_lights_its_results(browser, page, live_server, mapped):
    OUT.mkdir(parents=True, exist_ok=True)
    matching = Paper.objects.filter(title__icontains="game").count()
    assert matching > 0
    violations = open_map(page, f"{live_server.url}/map?q=game")
    page.wait_for_selector("#map[data-lit]")
    lit = int(page.locator("#map").get_attribute("data-lit"))
    assert lit >= matching, (lit, matching)
    assert "lit in red" in page.locator("#map-status").inner_text()
    page.locator("#map").screenshot(path=str(OUT / "map-search-1280.png"))

    page.set_viewport_size({"width": 390, "height": 844})
    open_map(page, f"{live_server.url}/map?q=game")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot = page.screenshot(path=str(OUT / "map-390.png"))
    assert coloured_pixels(browser, shot) > 1000
    assert violations == []


def test_a_signed_in_reader_likes_a_paper_on_the_map_and_their_for_you_has_a_signal(
    browser, page, live_server, mapped, smtp
):
    OUT.mkdir(parents=True, exist_ok=True)
    Listing.objects.update(day=timezone.localdate())  # in the For-you window
    sign_up(page, live_server.url, smtp, "mapreader")
    page.goto(f"{live_server.url}/papers/for-you")
    page.locator("section.start-panel").wait_for()  # no signal yet
    violations = open_map(page, f"{live_server.url}/map")
    assert page.locator("#map").get_attribute("data-for-you") == "0"

    paper = Paper.objects.filter(primary_category="cs.GT").order_by("pk")[3]
    page.evaluate("window.__same_page = true")
    x, y = point_on_screen(page, paper.arxiv_id)
    page.mouse.move(x, y)
    page.locator("#map-tip").wait_for(state="visible")  # picking has found the point before the click
    page.mouse.click(x, y)
    card = page.locator("#map-card")
    card.wait_for(state="visible")
    picked = card.get_attribute("data-id")  # the point drawn on top under the mouse
    card.get_by_role("button", name="Like for For you").click()
    page.wait_for_selector(f"#map[data-liked='{picked}']")
    assert card.locator("#map-liked").is_visible() and not card.locator("#map-like").is_visible()
    assert page.evaluate("window.__same_page") is True  # liking loads no page
    assert int(page.locator("#map").get_attribute("data-mine")) == 1
    assert int(page.locator("#map").get_attribute("data-for-you")) > 0  # their For-you top papers are lit
    page.locator("#map").screenshot(path=str(OUT / "map-liked-1280.png"))
    assert Vote.objects.filter(user__username="mapreader", paper__arxiv_id=picked).exists()

    page.goto(f"{live_server.url}/papers/for-you")
    page.locator("main > article.entry .reason").first.wait_for()
    assert page.locator("section.start-panel").count() == 0
    assert violations == []
