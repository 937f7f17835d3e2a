"""/api/daily_papers means each field as Hugging Face does, checked through huggingface_hub: paper.publishedAt is
arXiv's date, submittedOnDailyAt (and the item's publishedAt) falls on the day the paper is listed even when it
was imported on another day, ?date= returns only items stamped with that date, and the default order is newest
on the daily list first (a day's imported papers by upvotes), not by id."""

from datetime import UTC, date, datetime

import httpx
import pytest
from huggingface_hub import HfApi, close_session

from paperfeed.papers import paper_actions
from paperfeed.papers.models import Paper
from tests.conftest import make_user


@pytest.fixture
def hub(live_server, index_dir, make_paper, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "API_RATE_LIMIT_IP": 100_000}
    # Imported today (the test's real clock), listed on days in the past.
    make_paper("2611.00001", title="Loud", published="2026-11-17", first_listing_date="2026-11-18")
    make_paper("2611.00002", title="Quiet", published="2026-11-16", first_listing_date="2026-11-18")
    make_paper("2611.00003", title="Next day", published="2026-11-18", first_listing_date="2026-11-19")
    for i in range(2):
        paper_actions.upvote(make_user(f"fan{i}"), Paper.objects.get(arxiv_id="2611.00001"))
    yield HfApi(endpoint=live_server.url, token=False)
    close_session()


def test_dates_round_trip_through_huggingface_hub(hub):
    papers = list(hub.list_daily_papers(date="2026-11-18", token=False))
    assert {p.id for p in papers} == {"2611.00001", "2611.00002"}
    for p in papers:
        assert p.submitted_at.astimezone(UTC).date() == date(2026, 11, 18), (p.id, p.submitted_at)
    loud = next(p for p in papers if p.id == "2611.00001")
    assert loud.published_at == datetime(2026, 11, 17, tzinfo=UTC)


def test_the_items_publishedat_is_the_daily_listing_time(hub, live_server):
    items = httpx.get(f"{live_server.url}/api/daily_papers", params={"date": "2026-11-18"}).json()
    for item in items:
        assert item["publishedAt"] == item["paper"]["submittedOnDailyAt"]
        assert item["publishedAt"].startswith("2026-11-1"), item["publishedAt"]
        assert datetime.fromisoformat(item["publishedAt"]).date() <= date(2026, 11, 18)


def test_the_default_order_is_newest_on_the_daily_list_then_upvotes(hub):
    assert [p.id for p in hub.list_daily_papers(token=False)] == ["2611.00003", "2611.00001", "2611.00002"]
    assert [p.id for p in hub.list_daily_papers(date="2026-11-18", token=False)] == ["2611.00001", "2611.00002"]
