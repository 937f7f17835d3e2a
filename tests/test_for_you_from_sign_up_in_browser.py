"""In real Chromium: a new reader signs up, finds the start panel on an empty For you, picks three papers and
follows a category, and the feed has changed when the page comes back (no retraining job ran in between);
Not interested takes an entry away without a reload. Screenshots at 1280 and 390 px in test-output/for-you/."""

import time

import pytest

from paperfeed.recommend.models import NotInterested, ReaderModel
from tests.browser_support import sign_up
from tests.conftest import TEST_OUTPUT
from tests.recommend_support import topic_papers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = TEST_OUTPUT / "for-you"


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} is {scroll_width} px wide at {width}"
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def categories_of_feed(page) -> list[str]:
    return [m.inner_text().split("·")[0].strip() for m in page.locator("main > article.entry .meta").all()]


def test_a_new_reader_starts_their_feed_in_ten_seconds(page, live_server, make_paper, smtp):
    papers = topic_papers(make_paper, per_topic=6)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_up(page, live_server.url, smtp, "newreader")
    page.wait_for_url("**/papers")

    page.goto(f"{live_server.url}/papers/for-you")
    panel = page.locator("section.start-panel")
    panel.wait_for()
    assert page.locator("main .reason", has_text="you").count() == 0  # nothing claims to be about this reader
    shoot(page, "start-panel")
    before = [e.get_attribute("id") for e in page.locator("main > article.entry").all()]

    started = time.monotonic()
    picks = [p.arxiv_id for p in papers["robotics"][-2:]] + [papers["vision"][-1].arxiv_id]
    page.evaluate("window.__same_page = true")
    for arxiv_id in picks:
        entry = panel.locator(f"article.entry[id='p-{arxiv_id}']")
        entry.locator("form.vote button").click()
        entry.locator("form.vote button.voted").wait_for()
    assert page.evaluate("window.__same_page") is True  # picking loads no page
    panel.locator("input[name=category][value='cs.RO']").check()
    panel.locator("form.follow-cats button").click()
    page.wait_for_url("**/papers/for-you")
    page.locator("main > article.entry .reason").first.wait_for()
    took = time.monotonic() - started

    assert page.locator("section.start-panel").count() == 0
    after = [e.get_attribute("id") for e in page.locator("main > article.entry").all()]
    assert after != before
    assert set(categories_of_feed(page)[:4]) == {"cs.RO"}  # the four robotics papers not picked come first
    reasons = page.locator("main > article.entry .reason").all_inner_texts()
    assert any("you upvoted" in r or "cs.RO" in r for r in reasons[:4])
    assert not {f"p-{a}" for a in picks} & set(after)  # what you picked is not offered back
    model = ReaderModel.objects.get(user__username="newreader")
    assert model.trained_at is None and model.stale  # the feed changed before any retraining job ran
    assert took < 10, f"picking three papers and a category took {took:.1f} s"
    shoot(page, "feed-after-picking")

    page.evaluate("window.__same_page = true")
    entries = page.locator("main > article.entry")
    count = entries.count()
    gone = entries.first.get_attribute("id")
    entries.first.locator("form.not-interested button").click()
    page.locator(f"main > article[id='{gone}']").wait_for(state="detached")
    assert entries.count() == count - 1
    assert page.evaluate("window.__same_page") is True
    assert NotInterested.objects.filter(user__username="newreader", paper__arxiv_id=gone[2:]).exists()
    page.reload()
    assert gone not in [e.get_attribute("id") for e in page.locator("main > article.entry").all()]
    shoot(page, "after-not-interested")
