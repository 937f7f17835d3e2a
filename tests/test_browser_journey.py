"""A new user's first visit, in real Chromium: the demo, days, trending, sign-up, upvote, submit, comment, math."""

import re

import pytest
from django.utils import timezone

from paperfeed.demo import loader
from paperfeed.papers.models import Comment, Paper, Vote
from tests.conftest import FIXTURES, PASSWORD, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    loader.load_demo()


@pytest.fixture
def arxiv(replay, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "ARXIV_API_URL": replay.url + "/api/query"}
    body = (FIXTURES / "arxiv" / "query_astro-ph_0601001.xml").read_bytes()
    replay.routes["id_list=astro-ph"] = (200, body, "application/atom+xml")
    return replay


def test_a_new_user_finds_their_way_around(page, live_server, demo, arxiv, smtp):
    # The demo's latest day, and moving between days
    page.goto(f"{live_server.url}/papers")
    assert page.locator("article.entry").count() == 30
    first_day = page.locator("h1 small").inner_text()
    screenshot(page, "daily")
    page.click("a.prev")
    page.wait_for_url(re.compile(r"/papers/date/\d{4}-\d{2}-\d{2}$"))
    assert page.locator("h1 small").inner_text() != first_day
    page.click("a.next")
    assert page.locator("h1 small").inner_text() == first_day
    page.click("text=Week")
    page.wait_for_url(re.compile(r"/papers/week/\d{4}-W\d{2}$"))

    # Trending
    page.click("header >> text=Trending")
    page.wait_for_url("**/papers/trending")
    assert page.locator("article.entry").count() == 30
    assert page.locator(".score").count() == 0  # the ranking is explained on /about, not shown as numbers
    screenshot(page, "trending")

    # Sign up
    page.click("text=Sign up")
    page.fill("#id_username", "newcomer")
    page.fill("#id_email", "newcomer@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main button[type=submit]")
    page.locator("text=Check your email").wait_for()
    link = re.search(r"https?://[^/\s]+(/accounts/signup/confirm/\S+/)", smtp.messages[-1].get_content())[1]
    page.goto(live_server.url + link)
    page.wait_for_url("**/papers")
    assert page.locator("header .user").inner_text().startswith("newcomer")

    # Upvote without a reload: the count changes in place
    entry = page.locator("article.entry").first
    before = int(entry.locator(".count").inner_text())
    page.evaluate("window.__marker = 'same page'")
    entry.locator("form.vote button").click()
    entry.locator("form.vote button.voted").wait_for()
    assert int(entry.locator(".count").inner_text()) == before + 1
    assert page.evaluate("window.__marker") == "same page"
    assert Vote.objects.filter(user__username="newcomer").count() == 1
    entry.locator("form.vote button").click()
    entry.locator("form.vote button:not(.voted)").wait_for()
    assert int(entry.locator(".count").inner_text()) == before

    # Submit a paper; arXiv is a local server replaying a recorded response
    page.click("header >> text=Submit")
    page.fill("#arxiv-id", "https://arxiv.org/abs/astro-ph/0601001")
    page.click("main button[type=submit]")
    page.wait_for_url("**/papers/astro-ph/0601001")
    assert page.locator("h1").inner_text().startswith("Frequency of Hot Jupiters and Very Hot Jupiters")
    assert Paper.objects.get(arxiv_id="astro-ph/0601001").listing.submitted_by.username == "newcomer"

    # Comment
    page.fill("#comment-body", "Worth reading: *the* survey of this year.")
    page.click("form.comment-form button")
    page.locator(".comment .text em").wait_for()
    assert Comment.objects.filter(user__username="newcomer").count() == 1

    # The math in an abstract renders as math
    paper = Paper.objects.filter(abstract__contains="$", listing__day__lte=timezone.localdate()).first()
    page.goto(f"{live_server.url}{paper.get_absolute_url()}")
    math = page.locator(".abstract math").first
    math.wait_for()
    box = math.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0
    assert "$" not in page.locator(".abstract").inner_text()
    screenshot(page, "paper")


def test_the_listing_reads_well_on_a_phone(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/papers")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
    screenshot(page, "daily-phone")
    context.close()
