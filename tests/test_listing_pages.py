"""Daily, weekly and monthly listings in Hugging Face's URL scheme, with sorts and day-to-day navigation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from paperfeed.papers import paper_actions
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def titles(response):
    return [item.paper.title for item in response.context["page"].items]


@pytest.fixture
def three_days(make_paper):
    make_paper("2602.00001", title="Monday paper", first_listing_date="2026-02-09")
    make_paper("2602.00002", title="Tuesday quiet", first_listing_date="2026-02-10")
    make_paper("2602.00003", title="Tuesday loud", first_listing_date="2026-02-10")
    make_paper("2602.00004", title="Thursday paper", first_listing_date="2026-02-12")


def test_papers_shows_the_latest_day_with_papers(client, three_days):
    response = client.get("/papers")
    assert response.status_code == 200
    assert titles(response) == ["Thursday paper"]


def test_a_day_is_sorted_by_upvotes_by_default(client, three_days):
    voters = [make_user(f"voter{i}") for i in range(3)]
    from paperfeed.papers.models import Paper

    loud = Paper.objects.get(arxiv_id="2602.00003")
    for v in voters:
        paper_actions.upvote(v, loud)
    response = client.get("/papers/date/2026-02-10")
    assert titles(response) == ["Tuesday loud", "Tuesday quiet"]
    assert b">3</span>" in response.content


def test_most_discussed_sort_puts_commented_papers_first(client, alice, three_days):
    from paperfeed.papers.models import Paper

    paper_actions.add_comment(alice, Paper.objects.get(arxiv_id="2602.00002"), "Nice")
    response = client.get("/papers/date/2026-02-10?sort=discussed")
    assert titles(response)[0] == "Tuesday quiet"


def test_previous_and_next_skip_days_without_papers(client, three_days):
    response = client.get("/papers/date/2026-02-10")
    assert response.context["prev_slug"] == "2026-02-09"
    assert response.context["next_slug"] == "2026-02-12"
    assert b'href="/papers/date/2026-02-12"' in response.content


def test_week_and_month_collect_their_days(client, three_days):
    week = client.get("/papers/week/2026-W07")
    assert sorted(titles(week)) == ["Monday paper", "Thursday paper", "Tuesday loud", "Tuesday quiet"]
    assert week.context["prev_slug"] == "2026-W06" and week.context["next_slug"] == "2026-W08"
    month = client.get("/papers/month/2026-02")
    assert len(titles(month)) == 4
    assert client.get("/papers/month/2026-03").context["page"].total == 0


def test_new_sort_lists_latest_first(client, three_days):
    response = client.get("/papers/week/2026-W07?sort=new")
    assert titles(response)[0] == "Thursday paper"


@pytest.mark.parametrize(
    "url",
    [
        "/papers/date/2026-02-30",
        "/papers/date/2026-2-1",
        "/papers/date/yesterday",
        "/papers/date/0001-01-01",
        "/papers/week/2026-W54",
        "/papers/week/2026-07",
        "/papers/month/2026-13",
        "/papers/month/99999-01",
        "/papers/date/2026-02-10?page=0",
        "/papers/date/2026-02-10?page=-1",
        "/papers/date/2026-02-10?page=abc",
        "/papers/date/2026-02-10?sort=best",
        "/papers/trending?page=1e9",
    ],
)
def test_bad_dates_pages_and_sorts_get_a_400_page_not_a_500(client, three_days, url):
    response = client.get(url)
    assert response.status_code == 400
    assert b"That did not work" in response.content


def test_a_page_past_the_end_is_404(client, three_days):
    assert client.get("/papers/date/2026-02-10?page=2").status_code == 404


def test_pagination_splits_a_long_day(client, make_paper, settings):
    settings.PAPERFEED = {**settings.PAPERFEED, "PAGE_SIZE": 2}
    for i in range(1, 6):
        make_paper(f"2603.0000{i}", first_listing_date="2026-03-02")
    first = client.get("/papers/date/2026-03-02")
    assert len(titles(first)) == 2 and first.context["page"].has_next
    last = client.get("/papers/date/2026-03-02?page=3")
    assert len(titles(last)) == 1 and not last.context["page"].has_next


def test_hidden_and_withdrawn_papers_leave_listings(client, make_paper):
    make_paper("2604.00001", title="Visible", first_listing_date="2026-04-01")
    hidden = make_paper("2604.00002", title="Hidden", first_listing_date="2026-04-01")
    hidden.hidden = True
    hidden.save()
    make_paper(
        "2604.00003",
        title="Gone",
        comment="This paper has been withdrawn by the authors",
        first_listing_date="2026-04-01",
    )
    assert titles(client.get("/papers/date/2026-04-01")) == ["Visible"]


def test_future_days_are_not_the_default_listing(client, make_paper):
    make_paper("2605.00001", title="Today", first_listing_date=timezone.localdate().isoformat())
    make_paper(
        "2605.00002", title="Tomorrow", first_listing_date=(timezone.localdate() + timedelta(days=1)).isoformat()
    )
    assert titles(client.get("/papers")) == ["Today"]
